// Sending of replies; see telegram_sink.hpp. Failures are logged by chat id, never with message text.
#include "bot/telegram/telegram_sink.hpp"

#include "bot/process/log.hpp"
#include "storage/settings_store.hpp"

namespace rb {
namespace {

void log_failure(std::string_view what, std::int64_t chat_id, const api_result& r) {
    log_event(log_level::warn, "reply_failed",
              {{"call", what}, {"chat_id", chat_id}, {"outcome", to_string(r.status)},
               {"http_status", static_cast<int>(r.http_status)}, {"description", r.description}});
}

auto log_exception(std::string_view what) {
    return [what](std::exception_ptr e) {
        if (!e) return;
        try {
            std::rethrow_exception(e);
        } catch (const std::exception& ex) {
            log_event(log_level::error, "reply_crashed", {{"call", what}, {"error", ex.what()}});
        }
    };
}

}  // namespace

telegram_sink::telegram_sink(net::any_io_executor ex, telegram_client& client, settings_store& settings)
    : ex_(std::move(ex)), client_(client), settings_(settings) {}

awaitable<void> telegram_sink::deliver(send_message message) {
    const api_result r = co_await client_.send(message);
    if (r.ok()) co_return;
    log_failure("sendMessage", message.chat_id, r);
    // The runner blocked the bot: stop planning pings nobody can receive (private chats: owner == chat).
    if (r.status == api_status::blocked && message.chat_id > 0) co_await settings_.deactivate(message.chat_id);
}

void telegram_sink::post(send_message message) {
    net::co_spawn(ex_, deliver(std::move(message)), log_exception("sendMessage"));
}

void telegram_sink::post(answer_callback answer) {
    auto task = [](telegram_client& client, answer_callback a) -> awaitable<void> {
        const api_result r = co_await client.answer(a);
        if (!r.ok()) log_failure("answerCallbackQuery", 0, r);
    };
    net::co_spawn(ex_, task(client_, std::move(answer)), log_exception("answerCallbackQuery"));
}

void telegram_sink::post(edit_message edit) {
    auto task = [](telegram_client& client, edit_message e) -> awaitable<void> {
        const api_result r = co_await client.edit(e);
        if (!r.ok()) log_failure("editMessageText", e.chat_id, r);
    };
    net::co_spawn(ex_, task(client_, std::move(edit)), log_exception("editMessageText"));
}

}  // namespace rb
