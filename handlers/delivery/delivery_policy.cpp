// Lanes, staleness limits and the step after a send (see delivery_policy.hpp).
#include "handlers/delivery/delivery_policy.hpp"

#include <algorithm>

namespace rb {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

// "hydrate_2" is the second hydrate ping: the same advice, the same limit.
std::string_view base_kind(std::string_view kind) {
    const auto bar = kind.rfind('_');
    if (bar == std::string_view::npos || bar + 1 == kind.size()) return kind;
    if (!std::all_of(kind.begin() + static_cast<std::ptrdiff_t>(bar) + 1, kind.end(),
                     [](char c) { return c >= '0' && c <= '9'; }))
        return kind;
    return kind.substr(0, bar);
}

}  // namespace

std::string_view to_string(delivery_verdict v) noexcept {
    switch (v) {
        case delivery_verdict::delivered:
            return "delivered";
        case delivery_verdict::drop:
            return "drop";
        case delivery_verdict::retry:
            return "retry";
        case delivery_verdict::hand_back:
            return "hand_back";
        case delivery_verdict::drop_and_deactivate:
            return "drop_and_deactivate";
        case delivery_verdict::pause_sending:
            return "pause_sending";
    }
    return "unknown";
}

bool is_reply_kind(std::string_view kind) noexcept {
    return kind == reply_kind || kind == edit_kind || kind == toast_kind;
}

delivery_lane lane_of(std::string_view kind) noexcept {
    if (is_reply_kind(kind)) return delivery_lane::reply;
    if (base_kind(kind) == "eat") return delivery_lane::urgent;
    return delivery_lane::later;
}

// The limits, and why:
//  - eat: the plan says "within 30-60 minutes"; two hours late the window has closed and the next meal is near.
//  - toast: Telegram drops a callback query's answer after about 15 s; a late one only errors.
//  - sleep: "wind down for bed"; three hours late the runner is asleep or up.
//  - hydrate, ice: the hours after the run; six hours late the advice belongs to another part of the day.
//  - roll, epsom: same-day advice; twelve hours late it is the wrong day's.
//  - morning_roll and kinds added later: half a day late is still the same day.
//  - replies and edits: the runner is waiting for them; a day late they still answer what was asked.
milliseconds staleness_limit(std::string_view kind) noexcept {
    if (kind == toast_kind) return seconds(15);
    if (kind == reply_kind || kind == edit_kind) return hours(24);
    const auto base = base_kind(kind);
    if (base == "eat") return hours(2);
    if (base == "sleep") return hours(3);
    if (base == "hydrate" || base == "ice") return hours(6);
    if (base == "roll" || base == "epsom") return hours(12);
    return hours(18);
}

std::optional<std::string> stale_reason(const reminder& r, std::int64_t now_ms) {
    const auto late = milliseconds(now_ms - r.due_ms);
    if (late <= staleness_limit(r.kind)) return std::nullopt;
    return "stale: " + r.kind + " " + std::to_string(std::chrono::duration_cast<minutes>(late).count()) + " min late";
}

delivery_step after_delivery(const reminder& r, const delivery_result& result, std::int64_t now_ms,
                             const retry_policy& policy) {
    switch (result.outcome) {
        case send_outcome::sent:
            return {delivery_verdict::delivered, {}, {}};
        case send_outcome::rejected:
            return {delivery_verdict::drop, {}, "rejected"};
        case send_outcome::blocked:
            // Only the runner's own private chat says "this runner blocked the bot"; in a group it means the bot
            // was removed from that group, which says nothing about the runner's other chats.
            if (r.chat_id == r.owner_id && r.chat_id > 0) return {delivery_verdict::drop_and_deactivate, {}, "blocked"};
            return {delivery_verdict::drop, {}, "blocked_in_group"};
        case send_outcome::bot_fault:
            return {delivery_verdict::pause_sending, policy.probe, "bot_fault"};
        case send_outcome::throttled:
            return {delivery_verdict::hand_back, std::max(result.retry_after, milliseconds(0)), {}};
        case send_outcome::transient:
            break;
    }
    const int shift = std::clamp(r.attempt, 0, 20);
    const auto delay = std::min(milliseconds(policy.initial.count() << shift), policy.cap);
    if (stale_reason(r, now_ms + delay.count())) return {delivery_verdict::drop, {}, "stale_after_retries"};
    return {delivery_verdict::retry, delay, {}};
}

}  // namespace rb
