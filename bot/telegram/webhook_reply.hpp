// The first reply to an update as the webhook's HTTP answer: Telegram makes that one call itself when it reads the
// answer (core.telegram.org/bots/api, "Making requests when getting updates"). One HTTP exchange fewer per update,
// at a price: the bot never learns whether the call succeeded, so it has no retry, no per-chat limit and no 403
// handling, and the reply is lost if Telegram cannot deliver it. Off by default (REPLY_IN_RESPONSE).
#pragma once

#include <optional>
#include <string>

#include "handlers/action.hpp"

namespace rb {

// {"method":"sendMessage",...} with the body the client would send; nullopt when the text is too long for one
// message (the answer carries one call; the outbox sends the parts).
std::optional<std::string> webhook_reply_body(const send_message& m);

}  // namespace rb
