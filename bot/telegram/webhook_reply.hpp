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

// {"method":"answerCallbackQuery",...}: a button press's answer (the toast on the button), as
// CALLBACK_ANSWER_IN_RESPONSE gives it back in the webhook's answer. Cheap to lose, unlike a reply: the press's change
// and its edited message are committed and sent from the outbox as ever, and a lost answer only lets the button's
// spinner run until Telegram stops it.
std::string webhook_answer_body(const answer_callback& a);

}  // namespace rb
