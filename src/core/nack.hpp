// Turns a pen's refusal (Nack) into a typed Result whose message names the request, the value,
// the limit and the unit in the user's units.
#pragma once

#include "penlink/errors.hpp"
#include "protocol/messages.hpp"

namespace penlink::core {

Result result_from_nack(const protocol::Nack& nack);

}  // namespace penlink::core
