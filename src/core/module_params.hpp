// A module's parameters between what a person gives (key and ParamValue) and the wire
// (SetParams/GetParams/Params, raw integers), checked against the module's descriptor before
// anything is sent, and the pen's refusals explained in the descriptor's terms.
#pragma once

#include <string>
#include <vector>

#include "penlink/errors.hpp"
#include "penlink/module.hpp"
#include "protocol/messages.hpp"

namespace penlink::core {

/// Throws InvalidArgumentError (unknown key, wrong kind of value, a key twice, more than 16),
/// NotSupportedError (a read-only parameter) or OutOfRangeError (outside min..max or off the
/// step grid), each naming "module.key", the value, the limit and the unit.
protocol::SetParams build_set_params(const Module& module, const std::vector<ParamSetting>& values);

/// keys empty: every parameter of the module (up to 16 per request; more are read in turns by
/// the caller). Throws InvalidArgumentError for an unknown key.
protocol::GetParams build_get_params(const Module& module, const std::vector<std::string>& keys);

/// The values in a Params reply, by key, in the order sent. Throws RejectedError (Protocol) for
/// a reply of another slot or an id the descriptor does not have.
std::vector<ParamSetting> values_of(const Module& module, const protocol::Params& reply);

/// The value of raw for spec, as a person gives it.
ParamValue value_of_raw(const ParamSpec& spec, std::int32_t raw);

/// The pen's Nack of a SetParams or GetParams, in the descriptor's words.
Result explain_param_nack(const Module& module, const protocol::Nack& nack);

}  // namespace penlink::core
