// Wire units <-> public types. Pure; the status path allocates nothing.
#pragma once

#include "penlink/types.hpp"
#include "protocol/messages.hpp"

namespace penlink::core {

/// Refuses Device Info no real pen could report (a 65.5 mm needle, an empty speed range, a zero
/// watchdog, an upside-down add-on range) with RejectedError(ErrorCode::Protocol) naming the
/// field, its value and the rule it breaks. The session calls it on every Info during connect,
/// before to_capabilities(), so nothing downstream ever trusts such a pen.
void check_info(const protocol::Info& info);

DeviceInfo to_device_info(const protocol::Info& info, int protocol_version);
Capabilities to_capabilities(const protocol::Info& info);
/// Fills out from wire. out is a default Status or one filled here before: its readings past
/// its telemetry_count are zero, so only those it held and wire does not carry are cleared.
void to_status(const protocol::Status& wire, Status& out);
/// Copies a status frame's fields and only the telemetry readings it carries (to's readings
/// past from.telemetry_count keep what they held: to_status never reads them). Most of a wire
/// Status is its readings array, which a frame from a pen without modules leaves unused.
void copy_status(const protocol::Status& from, protocol::Status& to);
Event to_event(const protocol::Event& wire);
PenSettings to_settings(const protocol::Settings& wire);

}  // namespace penlink::core
