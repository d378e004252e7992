// Wire units <-> public types. Pure; the status path allocates nothing.
#pragma once

#include "penlink/types.hpp"
#include "protocol/messages.hpp"

namespace penlink::core {

DeviceInfo to_device_info(const protocol::Info& info, int protocol_version);
Capabilities to_capabilities(const protocol::Info& info);
void to_status(const protocol::Status& wire, Status& out);
Event to_event(const protocol::Event& wire);
PenSettings to_settings(const protocol::Settings& wire);

}  // namespace penlink::core
