// Conversions between the C structs of penlink.h and the C++ value types. Status and Event
// conversions are allocation-free: they run once per frame.
#pragma once

#include "penlink/pen.hpp"
#include "penlink/penlink.h"

namespace penlink::capi {

ConnectOptions to_cpp(const pl_connect_options& options);
RfMode to_cpp(const pl_rf_mode& mode, const char* function);
LedMode to_cpp(const pl_led_mode& mode, const char* function);

// Each to_c fills the fields of out.version (checked by the caller, or set by it to the
// library's own version for a struct the library lends) and writes nothing beyond them.
void to_c(const Status& status, pl_status& out) noexcept;
void to_c(const DeviceInfo& info, pl_device_info& out) noexcept;
void to_c(const Capabilities& capabilities, pl_capabilities& out) noexcept;
void to_c(const PenSettings& settings, pl_settings& out) noexcept;
/// Only the library makes a pl_event: sets out.version to PL_EVENT_VERSION and fills it all.
void to_c(const Event& event, pl_event& out) noexcept;

}  // namespace penlink::capi
