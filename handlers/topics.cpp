// What a runner asks about (recovery topics, a sore muscle), what meal they want and with which filters,
// and small talk. Keyword tables in priority order: the first topic whose words appear wins, so the
// narrow ones ("ice cream", "foot roller", "epsom") come before the broad ones ("ice", "roll", "bath").
#include <array>

#include "message_text.hpp"

namespace rb::text {
namespace {

template <std::size_t N>
using words = std::array<std::string_view, N>;

struct topic_words {
    topic about;
    std::span<const std::string_view> phrases;
};

constexpr words<14> ratio_w{"ratio", "carb to protein", "carbs to protein", "carb protein", "carbs protein",
                            "carbohydrate to protein", "carbohydrates to protein", "carb and protein",
                            "carbs and protein", "carbs vs protein", "carb vs protein", "three to one",
                            "3 to 1", "carb protein ratio"};
constexpr words<22> heat_w{"deep heat", "deepheat", "tiger balm", "tigerbalm", "balm", "heat rub", "muscle rub",
                           "rub", "rubs", "liniment", "icy hot", "bengay", "biofreeze", "voltarol", "voltaren",
                           "ibuleve", "heat cream", "heat gel", "warming cream", "muscle cream", "deep freeze",
                           "deep relief"};
constexpr words<21> reward_w{"ice cream", "icecream", "beer*", "pint*", "wine", "alcohol", "booze", "treat*",
                             "reward*", "cake*", "pizza*", "donut*", "doughnut*", "burger*", "prosecco",
                             "champagne", "cocktail*", "sweets", "dessert*", "junk food", "celebrat*"};
constexpr words<23> massage_w{"massag*", "masseuse", "masseur", "theragun", "hypervolt", "percussion", "gun",
                              "massage ball", "lacrosse ball", "tennis ball", "spiky ball", "foot roller*",
                              "foot roll*", "compression*", "normatec", "recovery boots", "boots",
                              "leg massager", "the stick", "stick roller", "trigger point*", "physio*",
                              "sports massage"};
constexpr words<9> rolling_w{"foam*", "roll", "rolling", "roller*", "rolled", "rolls", "smr", "self myofascial",
                             "rumble roller"};
constexpr words<15> cold_w{"ice bath*", "icebath*", "ice", "icing", "iced", "ice pack*", "plunge*", "cold*",
                           "cryo*", "freezing", "sea swim*", "chill*", "frozen peas", "contrast", "ice packs"};
constexpr words<13> epsom_w{"epsom*", "bath*", "salts", "salt bath", "magnesium", "soak*", "hot tub", "jacuzzi",
                            "sauna", "hot bath", "warm bath", "hot shower", "bathtub"};
constexpr words<5> timing_w{"chocolate milk", "window", "30 minute*", "half an hour", "thirty minute*"};
constexpr words<7> protein_w{"protein*", "whey", "casein", "amino*", "bcaa*", "leucine", "collagen"};
constexpr words<21> hydration_w{"drink*", "drank", "fluid*", "water", "hydrat*", "rehydrat*", "dehydrat*",
                                "electrolyte*", "thirst*", "sweat*", "isotonic", "gatorade", "powerade", "nuun",
                                "salt tablet*", "sodium", "pee", "urine", "litre*", "liter*", "thirsty"};
constexpr words<23> eating_w{"eat*", "ate", "food*", "meal*", "snack*", "breakfast", "lunch", "dinner", "supper",
                             "brunch", "hungry", "hunger", "nutrition", "carb*", "refuel*", "fuel*", "glycogen",
                             "calorie*", "banana*", "pasta", "smoothie*", "appetite", "diet"};
constexpr words<32> sore_w{"splint*", "strain*", "blister*", "fasciitis", "sore*", "doms", "ache*", "aching",
                           "achy", "hurt*", "pain*", "stiff*", "tight*",
                           "cramp*", "killing me", "tender", "throb*", "trashed", "wrecked", "dead legs",
                           "legs are dead", "legs feel dead", "jelly", "niggle*", "heavy legs", "legs feel heavy",
                           "can't walk", "cant walk", "stairs", "beat up", "battered", "destroyed"};
constexpr words<27> rest_w{"rest*", "sleep*", "nap*", "day off", "days off", "too far", "too soon", "run again",
                           "next run", "how soon", "when can i", "back to running", "recover", "recovering",
                           "recovery time", "taper*", "walk*", "cross train*", "time off", "tired", "fatigue*",
                           "exhausted", "knackered", "overtrain*", "how many days", "how long before",
                           "race again"};

constexpr topic_words topic_table[] = {
    {topic::carb_protein_ratio, ratio_w}, {topic::heat_rubs, heat_w},     {topic::rewards, reward_w},
    {topic::massage, massage_w},          {topic::foam_rolling, rolling_w}, {topic::cold_therapy, cold_w},
    {topic::epsom_salts, epsom_w},        {topic::eating, timing_w},      {topic::protein, protein_w},
    {topic::hydration, hydration_w},      {topic::eating, eating_w},      {topic::soreness, sore_w},
    {topic::rest, rest_w},
};

struct muscle_word {
    std::string_view phrase;
    std::string_view name;
};
// Specific muscles before "legs", so "my calves and legs are sore" names the calves.
constexpr muscle_word muscles[] = {
    {"hip flexor*", "hip flexors"}, {"it band*", "it band"}, {"itb", "it band"},   {"iliotibial", "it band"},
    {"hamstring*", "hamstrings"},   {"hammies", "hamstrings"}, {"hammy", "hamstrings"}, {"calf", "calves"},
    {"calves", "calves"},           {"calfs", "calves"},     {"quad*", "quads"},   {"thigh*", "quads"},
    {"glutes", "glutes"},           {"butt", "glutes"},      {"bum", "glutes"},    {"piriformis", "piriformis"},
    {"shin*", "shins"},             {"knee*", "knees"},      {"hip", "hips"},      {"hips", "hips"},
    {"achilles", "achilles"},       {"ankle*", "ankles"},    {"foot", "feet"},     {"feet", "feet"},
    {"arch", "feet"},               {"arches", "feet"},      {"plantar", "feet"},  {"lower back", "back"},
    {"glute", "glutes"},            {"gluteal", "glutes"},   {"gluteus", "glutes"},
    {"my back", "back"},            {"groin", "groin"},      {"adductor*", "adductors"}, {"legs", "legs"},
    {"leg", "legs"},
};

constexpr words<13> recovery_context_w{"recover*", "post run", "post race", "post marathon", "tip*", "advice",
                                       "legs", "muscle*", "after a run", "after my run", "after running",
                                       "after a race", "after the race"};
constexpr words<6> after_w{"after", "post", "following", "since", "before", "during"};
constexpr words<8> run_w{"run*", "race*", "marathon*", "parkrun*", "workout*", "session*", "training", "ultra*"};

}  // namespace

std::optional<topic> find_topic(const tokens& t, std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end && i < t.size(); ++i)
        if (t[i].kind == token_kind::ratio) return topic::carb_protein_ratio;  // "3:1"
    for (const auto& row : topic_table)
        if (has_any(t, begin, end, row.phrases)) return row.about;
    return std::nullopt;
}

std::string find_muscle(const tokens& t) {
    for (const auto& m : muscles)
        if (has_phrase(t, 0, t.size(), m.phrase)) return std::string(m.name);
    return {};
}

bool says_sore(const tokens& t) { return has_any(t, 0, t.size(), sore_w); }

bool has_recovery_context(const tokens& t) {
    if (has_any(t, 0, t.size(), recovery_context_w)) return true;
    return has_any(t, 0, t.size(), after_w) && has_any(t, 0, t.size(), run_w);
}

}  // namespace rb::text
