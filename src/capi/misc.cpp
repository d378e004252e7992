// Version, struct initialisers and names: the C ABI calls that need no pen.
#include <algorithm>
#include <cstring>
#include <string>

#include "capi/boundary.hpp"
#include "capi/struct_versions.hpp"
#include "penlink/pen.hpp"

using namespace penlink;

extern "C" {

void pl_version(int* major, int* minor, int* patch) {
    // Compiled into the library, so this is the loaded library's version, not the header's.
    if (major != nullptr) *major = PENLINK_VERSION_MAJOR;
    if (minor != nullptr) *minor = PENLINK_VERSION_MINOR;
    if (patch != nullptr) *patch = PENLINK_VERSION_PATCH;
}

const char* pl_version_string(void) { return PENLINK_VERSION_STRING; }

int pl_connect_options_init(pl_connect_options* opts, unsigned version) {
    return capi::init_struct(opts, version, pl_connect_options PL_CONNECT_OPTIONS_INIT,
                             "pl_connect_options_init", "opts");
}

int pl_rf_mode_init(pl_rf_mode* mode, unsigned version) {
    return capi::init_struct(mode, version, pl_rf_mode PL_RF_MODE_INIT, "pl_rf_mode_init", "mode");
}

int pl_led_mode_init(pl_led_mode* mode, unsigned version) {
    return capi::init_struct(mode, version, pl_led_mode PL_LED_MODE_INIT, "pl_led_mode_init",
                             "mode");
}

int pl_settings_init(pl_settings* settings, unsigned version) {
    return capi::init_struct(settings, version, pl_settings PL_SETTINGS_INIT, "pl_settings_init",
                             "settings");
}

int pl_device_info_init(pl_device_info* info, unsigned version) {
    return capi::init_struct(info, version, pl_device_info PL_DEVICE_INFO_INIT,
                             "pl_device_info_init", "info");
}

int pl_capabilities_init(pl_capabilities* caps, unsigned version) {
    return capi::init_struct(caps, version, pl_capabilities PL_CAPABILITIES_INIT,
                             "pl_capabilities_init", "caps");
}

int pl_status_init(pl_status* status, unsigned version) {
    return capi::init_struct(status, version, pl_status PL_STATUS_INIT, "pl_status_init", "status");
}

const char* pl_pen_state_name(pl_pen_state requested) {
    const int state = capi::raw_enum(requested);
    if (state < PL_PEN_IDLE || state > PL_PEN_EMERGENCY_STOPPED) return "unknown";
    return to_string(static_cast<PenState>(state));
}

const char* pl_connection_state_name(pl_connection_state requested) {
    const int state = capi::raw_enum(requested);
    if (state < PL_CONNECTION_CONNECTING || state > PL_CONNECTION_CLOSED) return "unknown";
    return to_string(static_cast<ConnectionState>(state));
}

int pl_faults_describe(char* buffer, size_t buffer_size, size_t* needed, uint32_t fault_bits) {
    return capi::guarded([&] {
        if (buffer_size > 0) capi::require(buffer, "pl_faults_describe", "buffer");
        const std::string text = describe_faults(fault_bits);
        if (needed != nullptr) *needed = text.size() + 1;
        if (buffer_size > 0) {
            const std::size_t length = std::min(text.size(), buffer_size - 1);
            std::memcpy(buffer, text.data(), length);
            buffer[length] = '\0';
        }
        return 0;
    });
}

}  // extern "C"
