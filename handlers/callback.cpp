// Reminder buttons: building them, reading their data, and answering a press (answer the callback, edit the
// ping to show the choice, change the reminder). Only the reminder's owner may press; ids start with the owner.
#include "callback.hpp"

#include "route_parts.hpp"

namespace rb {
namespace {

constexpr std::size_t max_callback_data = 64;

std::string_view verb(button_choice c) {
    switch (c) {
        case button_choice::done:
            return "done";
        case button_choice::snooze:
            return "snooze";
        case button_choice::skip:
            return "skip";
    }
    return "done";
}

std::string_view outcome_template(button_choice c) {
    switch (c) {
        case button_choice::done:
            return "callback/done";
        case button_choice::snooze:
            return "callback/snoozed";
        case button_choice::skip:
            return "callback/skipped";
    }
    return "callback/done";
}

bool owned_by(std::string_view reminder_id, std::int64_t owner) {
    const std::string prefix = std::to_string(owner) + ":";
    return reminder_id.size() > prefix.size() && reminder_id.substr(0, prefix.size()) == prefix;
}

action change_for(const button_press& press, std::int64_t owner) {
    if (press.choice == button_choice::snooze) return snooze_reminder{owner, press.reminder_id, snooze_step};
    return finish_reminder{owner, press.reminder_id};
}

}  // namespace

button_rows reminder_buttons(const std::string& reminder_id) {
    const std::string snooze = "r:snooze:" + reminder_id;
    if (reminder_id.empty() || snooze.size() > max_callback_data) return {};
    return {{inline_button{"✅ Done", "r:done:" + reminder_id}, inline_button{"⏰ Snooze 15 min", snooze},
             inline_button{"⏭ Skip", "r:skip:" + reminder_id}}};
}

std::optional<button_press> parse_button_data(std::string_view data) {
    if (data.size() > max_callback_data || data.substr(0, 2) != "r:") return std::nullopt;
    data.remove_prefix(2);
    for (const button_choice c : {button_choice::done, button_choice::snooze, button_choice::skip}) {
        const std::string prefix = std::string(verb(c)) + ":";
        if (data.size() > prefix.size() && data.substr(0, prefix.size()) == prefix) {
            return button_press{c, std::string(data.substr(prefix.size()))};
        }
    }
    return std::nullopt;
}

// Telegram sends the pinged message back as plain text (entities apart), so it is escaped again before the
// choice is appended; the edit drops the buttons, which is what makes a second press impossible.
std::vector<action> handle_callback(const callback_query& q, const context& ctx, std::int64_t owner) {
    const template_set& texts = *ctx.templates;
    const auto press = parse_button_data(q.data);
    if (!press) return {answer_callback{q.id, texts.render("callback/malformed")}};
    if (!owned_by(press->reminder_id, owner)) return {answer_callback{q.id, texts.render("callback/not_yours")}};
    const std::string outcome = texts.render(outcome_template(press->choice));
    std::vector<action> out{answer_callback{q.id, outcome}, change_for(*press, owner)};
    if (q.message) {
        out.push_back(edit_message{q.message->chat.id, q.message->message_id,
                                   html_escape(q.message->text) + "\n\n<i>" + outcome + "</i>"});
    }
    return out;
}

}  // namespace rb
