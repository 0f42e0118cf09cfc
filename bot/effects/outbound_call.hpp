// An outbound Bot API call as the outbox stores it: the handlers' send_message, edit_message or answer_callback,
// encoded as a small JSON object ({"m":"send"|"edit"|"toast", ...}) so the dispatcher can make the same call later,
// on any instance, with the same client (text splitting, buttons, limits).
#pragma once

#include <optional>
#include <string>
#include <variant>

#include "handlers/action.hpp"
#include "storage/update_store.hpp"

namespace rb {

using outbound_call = std::variant<send_message, edit_message, answer_callback>;

// The outbox entry for an outbound action; nullopt for storage actions.
std::optional<outbound_entry> outbox_entry_of(const action& a);

// Reads back what outbox_entry_of stored; nullopt (never a throw) when it is not a call this version can make.
std::optional<outbound_call> decode_outbound(const std::string& stored);

}  // namespace rb
