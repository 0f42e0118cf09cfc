// The production message_sink: replies and button answers go out through the Telegram client, each on its
// own coroutine so the webhook never waits on Telegram. A 403 on a reply marks the chat inactive.
#pragma once

#include "bot/telegram/telegram_client.hpp"
#include "bot/effects/update_pipeline.hpp"

namespace rb {

class settings_store;

class telegram_sink : public message_sink {
public:
    telegram_sink(net::any_io_executor ex, telegram_client& client, settings_store& settings);
    void post(send_message message) override;
    void post(answer_callback answer) override;
    void post(edit_message edit) override;

private:
    awaitable<void> deliver(send_message message);

    net::any_io_executor ex_;
    telegram_client& client_;
    settings_store& settings_;
};

}  // namespace rb
