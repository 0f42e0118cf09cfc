// Text and non-text messages: run reports become a plan (reply + schedule_plan), questions get the topic's
// answer, meal requests get meals, small talk a short answer. Never schedules for an implausible, future
// or negated run. Pure: everything comes from the turn.
#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>

#include "handlers/plans/plan.hpp"
#include "handlers/plans/plan_basis.hpp"
#include "handlers/plans/plan_text.hpp"
#include "handlers/route_parts.hpp"
#include "handlers/time/civil_time.hpp"
#include "handlers/time/places.hpp"

namespace rb {
namespace {

using nlohmann::json;

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
}

bool has_word(const std::string& text, std::string_view word) {
    for (auto at = text.find(word); at != std::string::npos; at = text.find(word, at + 1)) {
        const bool starts = at == 0 || !std::isalnum(static_cast<unsigned char>(text[at - 1]));
        const auto end = at + word.size();
        if (starts && (end == text.size() || !std::isalpha(static_cast<unsigned char>(text[end])))) return true;
    }
    return false;
}

// The parser already refused to call this a run report; this only picks the friendlier of two replies for
// a message that still talks about running ("going to run 15 miles tomorrow", "didn't run today").
bool talks_about_running(const std::string& text) {
    constexpr std::array<std::string_view, 12> words = {"run", "ran",     "running", "race",     "marathon", "miles",
                                                        "km",  "parkrun", "jog",     "long run", "10k",      "5k"};
    return std::any_of(words.begin(), words.end(), [&](std::string_view w) { return has_word(text, w); });
}

std::string muscle_label(const std::string& muscle) {
    const std::string m = lower(muscle);
    if (m == "it_band" || m == "itb" || m == "it band") return "IT band";
    std::string out = m;
    std::replace(out.begin(), out.end(), '_', ' ');
    return out;
}

// The carbohydrate a plan's meal idea should carry: the runner's own target (plan.hpp: fuel_for, 1-1.2 g/kg), or a
// 70 kg runner's when their weight is not known, from three quarters of its low end to a quarter over its high end
// (meals come in whole portions; the eat-now ping says to have it "about" that much).
carb_window meal_window(const fuel_targets& f) { return {f.carbs_g_low * 0.75, f.carbs_g_high * 1.25}; }
carb_window meal_window(const recovery_plan& plan) {
    return meal_window(plan.fuel ? *plan.fuel : fuel_for(70, plan.size));
}

// "how many carbs after a half?" from a runner whose weight is known: their own grams (plan.hpp: fuel_for), after an
// ordinary run and after a long one, rather than only the general rule.
std::string personal_fuel_text(const template_set& texts, double weight_kg) {
    const fuel_targets meal = fuel_for(weight_kg, plan_size::standard);
    const fuel_targets hourly = fuel_for(weight_kg, plan_size::full);
    return texts.render("personal_fuel", json{{"kg", std::lround(weight_kg)},
                                              {"capped_at", weight_kg > fuel_weight_cap_kg
                                                                ? std::to_string(std::lround(fuel_weight_cap_kg))
                                                                : std::string()},
                                              {"carbs", meal.carbs_g_low},
                                              {"protein", meal.protein_g},
                                              {"hourly_low", hourly.carbs_g_low},
                                              {"hourly_high", hourly.carbs_g_high}});
}

std::string answer_question(const turn& t, const parsed_message& p, bool personal = false) {
    if (p.topic == "soreness") {
        // A swollen part is not a sore one: "swollen ankle" got the sore-feet answer about rolling the arches.
        const std::string group = p.swollen ? "swelling" : p.muscle_group.empty() ? "general" : p.muscle_group;
        const std::string name = "soreness/" + group;
        const std::string label = p.muscle.empty() ? std::string() : muscle_label(p.muscle);
        return t.texts.render(t.texts.has(name) ? name : "soreness/general", json{{"muscle", label}});
    }
    if (p.topic.empty()) return t.texts.render("topic/unknown");
    const std::string name = "topic/" + p.topic;
    // A diet or allergy said with the question ("allergic to nuts, what should I eat?") leaves out the answer's
    // fixed examples (peanut butter, meatballs, Greek yoghurt): the meal idea below it honours the filters.
    static constexpr std::string_view diets[] = {"vegetarian", "vegan", "dairy_free", "gluten_free", "nut_free"};
    const bool diet = std::any_of(std::begin(diets), std::end(diets), [&](auto d) { return p.filters.has(d); });
    std::string answer = t.texts.render(t.texts.has(name) ? name : "topic/general", json{{"diet", diet}});
    if (p.topic == "eating" || p.topic == "carb_protein_ratio" || p.topic == "protein") {
        const auto& kg = t.ctx.settings.weight_kg;
        std::optional<carb_window> fit;  // the meal idea then carries about the grams just said
        if (personal && kg && *kg > 0) {
            answer += "\n\n" + personal_fuel_text(t.texts, *kg);
            fit = meal_window(fuel_for(*kg, plan_size::standard));
        }
        answer += "\n\n" + render_meal_reply(t.texts, p.filters, t.seed, 1, true, fit);
    }
    return answer;
}

std::string implausible_text(const turn& t, const run_report& run) {
    const double d = run.distance_in_unit();
    const bool printable = run.distance_given && std::isfinite(d) && std::fabs(d) < 100000;
    json values{{"distance", printable ? distance_text(run) : "that distance"}};
    if (run.faster_than_anyone()) {
        const auto minutes = static_cast<long>(std::lround(*run.duration_s / 60.0));
        values["too_fast_time"] =
            minutes >= 1 ? std::to_string(minutes) + " min" : std::to_string(*run.duration_s) + " s";
    }
    return t.texts.render("implausible_distance", values);
}

std::optional<distance_unit> chat_unit(const chat_settings& s) {
    return s.units_set ? std::optional<distance_unit>(s.units) : std::nullopt;
}

// "ran 10 miles this morning" sent at 15:00 on the runner's clock: the run ended three hours ago at least, so the
// eat-now step has gone. Only once the runner's zone is known; before that their clock is a guess.
run_report with_time_of_day(const run_report& reported, const turn& t) {
    run_report run = reported;
    if (run.ended_min_ago || !run.ended_by_hour || t.ctx.settings.time_zone.empty()) return run;
    const std::int64_t local = to_local_ms(t.zone, t.ctx.now_ms);
    const auto minute_of_day = static_cast<int>(civil::floor_mod(local, civil::ms_per_day) / civil::ms_per_minute);
    if (const int since = minute_of_day - *run.ended_by_hour * 60; since > 0) run.ended_min_ago = since;
    return run;
}

// The run id comes from the message id: an edit of the same report re-plans under the same id (storage keeps
// the due times it already has), while a new report replaces whatever else was pending. A weight given in
// the same message is saved and used at once; a question or soreness in it is answered below the plan.
std::vector<action> plan_run(const turn& t, const parsed_message& p, bool edited) {
    const run_report run = with_time_of_day(*p.run, t);
    const std::string run_id = "m" + std::to_string(t.msg.message_id);
    chat_settings settings = t.ctx.settings;
    std::vector<action> out;
    summary_notes notes;
    if (p.weight_kg && settings.weight_kg != p.weight_kg) {
        settings.weight_kg = p.weight_kg;
        out.push_back(t.save(settings));
        notes.weight_saved = true;
    }
    notes.replaces_previous = std::any_of(t.ctx.upcoming.begin(), t.ctx.upcoming.end(),
                                          [&](const reminder& r) { return r.run_id != run_id; });
    notes.unit_guessed = !run.unit_explicit && run.distance_given && !settings.units_set;
    const recovery_plan plan = make_plan(run, settings, t.ctx.now_ms, t.zone);
    // A diet named with the run ("finished 10k, I'm vegan") holds for the meal idea and the eat-now ping too, and
    // the idea carries about the carbohydrate the plan asks for (apple slices, 25 g, were offered after a
    // marathon whose target was 70-85 g).
    const carb_window fit = meal_window(plan);
    auto ideas = pick_meals(t.texts.meals(), p.filters, t.seed, 1, true, fit);
    if (ideas.empty()) ideas = pick_meals(t.texts.meals(), p.filters, t.seed, 1, false, fit);
    const meal* idea = ideas.empty() ? nullptr : ideas.front();
    std::string text = render_plan_summary(plan, run, settings, t.ctx.now_ms, t.zone, t.texts, notes);
    if (!p.topic.empty()) text += "\n\n" + answer_question(t, p);
    if (!plan.past && p.topic != "eating" && p.topic != "protein" && p.topic != "carb_protein_ratio")
        text += "\n\n" + render_meal_reply(t.texts, p.filters, t.seed, 1, true, fit);
    send_message reply = t.reply(std::move(text));
    // Until the chat has a time zone, every run reply asks for one, with the likely ones a tap away.
    if (settings.time_zone.empty()) {
        reply.text += "\n\n" + t.texts.render("ask_timezone", json{{"utc_time", clock_text(t.ctx.now_ms)}});
        reply.buttons = zone_buttons(t.texts.places(), t.msg.from ? t.msg.from->language_code : std::string());
    }
    out.push_back(std::move(reply));
    schedule_plan schedule{t.msg.chat.id,
                           t.owner,
                           run_id,
                           render_reminders(plan, settings, t.texts, idea),
                           edited ? plan_mode::edit : plan_mode::replace,
                           std::nullopt,
                           {}};
    schedule.basis = write_plan_basis(plan_basis{run_id, t.msg.chat.id, t.ctx.now_ms, run, idea ? idea->name : ""});
    out.push_back(std::move(schedule));
    return out;
}

// Another sport: a kind word, no plan; a question asked with it is answered too.
std::string other_sport_text(const turn& t, const parsed_message& p) {
    std::string text = t.texts.render("other_sport", json{{"activity", p.sport_activity}});
    if (!p.topic.empty()) text += "\n\n" + answer_question(t, p);
    return text;
}

std::string smalltalk_text(const turn& t, const parsed_message& p) {
    const std::string name = t.msg.from ? t.msg.from->first_name : std::string();
    if (p.about_the_bot) return t.texts.render("about") + "\n\n" + t.texts.render("help");
    if (p.thanks) return t.texts.render("thanks");
    if (p.farewell) return t.texts.render("farewell", json{{"pending", !t.ctx.upcoming.empty()}});
    if (p.greeting) return t.texts.render("greeting", json{{"first_name", name}});
    // "ok" to a reminder: a line back, not the menu of what the bot can do.
    if (p.acknowledged) return t.texts.render("acknowledged", json{{"pending", !t.ctx.upcoming.empty()}});
    return t.texts.render("fallback");
}

}  // namespace

std::string render_meal_reply(const template_set& texts, const meal_filters& filters, std::uint64_t seed,
                              std::size_t count, bool after_run, std::optional<carb_window> window) {
    auto meals = pick_meals(texts.meals(), filters, seed, count, after_run, window);
    if (meals.empty() && after_run) meals = pick_meals(texts.meals(), filters, seed, count, false, window);
    if (meals.empty()) return texts.render("meal_none", json{{"filters", describe_filters(filters, texts.words())}});
    json list = json::array();
    for (const meal* m : meals) {
        std::string ingredients;
        for (const auto& i : m->ingredients) ingredients += (ingredients.empty() ? "" : ", ") + i;
        if (!ingredients.empty())
            ingredients[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(ingredients[0])));
        list.push_back({{"name", m->name},
                        {"carbs_g", m->carbs_g},
                        {"protein_g", m->protein_g},
                        {"ratio", m->ratio_text()},
                        {"ingredients", ingredients},
                        {"how", m->how}});
    }
    return texts.render(
        "meal", json{{"after_run", after_run}, {"filters", describe_filters(filters, texts.words())}, {"meals", list}});
}

// A red flag is answered with help and nothing else: no celebration, no plan, no meal, nothing scheduled,
// also for an edit (the runner may have added the symptom). The pending plan's reminders are cancelled, and the
// reply says so: a "drink up" ping after "do not drink more water" (low sodium), or an ice bath after chest pain,
// would contradict the help the runner was just sent to.
std::vector<action> handle_text(const turn& t, std::string_view text, bool edited) {
    const parsed_message p = parse_message(text, t.texts.words(), chat_unit(t.ctx.settings));
    if (!p.urgent.empty()) {
        const std::string name = "urgent/" + p.urgent;
        std::string help = t.texts.render(t.texts.has(name) ? name : "urgent/general");
        const auto n = t.ctx.upcoming.size();
        if (n == 0) return {t.reply(std::move(help))};
        help += "\n\n" + t.texts.render("reminders_stopped_for_help", json{{"count", n}, {"plural", n != 1}});
        return {cancel_all_reminders{t.owner}, t.reply(std::move(help))};
    }
    if (p.what == intent::run_report && p.run) {
        if (!p.run->plausible())
            return edited ? std::vector<action>{} : std::vector<action>{t.reply(implausible_text(t, *p.run))};
        return plan_run(t, p, edited);
    }
    if (edited) return {};  // only a corrected run report is worth a second answer
    // "my time zone is PST", "I'm in Chicago": said without /timezone, it is taken as /timezone would take it.
    if (t.ctx.zones)
        if (const auto zone = read_zone_statement(text, t.texts.places(), *t.ctx.zones, t.ctx.now_ms))
            return change_zone(t.ctx, t.owner, t.msg.chat.id, *zone);
    switch (p.what) {
        case intent::question:
            return {t.reply(answer_question(t, p, true))};
        case intent::meal_request: {
            // A diet the meals cannot promise is said plainly, never silently dropped.
            std::string text;
            if (!p.unknown_filters.empty()) {
                std::string names;
                for (const auto& f : p.unknown_filters) names += (names.empty() ? "" : ", ") + f;
                text = t.texts.render("meal_unknown_filter", json{{"filters", names}}) + "\n\n";
            }
            return {t.reply(text + render_meal_reply(t.texts, p.filters, t.seed, 3, false))};
        }
        case intent::smalltalk:
            if (!p.sport.empty()) return {t.reply(other_sport_text(t, p))};
            return {t.reply(smalltalk_text(t, p))};
        default:
            break;
    }
    if (talks_about_running(lower(text))) return {t.reply_template("future_run")};
    return {t.reply_template("fallback")};
}

std::vector<action> handle_non_text(const turn& t) { return {t.reply_template("non_text")}; }

}  // namespace rb
