// The versions of penlink.h's transparent structs: their names for error messages and how many
// bytes each version covers. A caller built against version v allocated at least the bytes of
// v's fields, possibly fewer than this build's sizeof, so the library writes no further than
// end[v] into a struct the caller allocated.
//
// Growing a struct: append the fields to it in penlink.h, raise its PL_X_VERSION, and add the
// end of its new last field to `end` here (the static_asserts below fail until you do). Then
// read or write the new fields (convert.cpp) only when the struct's version is at least the
// new one, and add the new fields to PL_X_INIT.
#pragma once

#include <cstddef>
#include <cstring>
#include <iterator>

#include "capi/boundary.hpp"
#include "penlink/auth.h"
#include "penlink/penlink.h"

namespace penlink::capi {

template <class Struct>
struct StructVersions;

// end[v] is where the last field of version v ends (end[0] is unused).
template <>
struct StructVersions<pl_connect_options> {
    static constexpr unsigned highest = PL_CONNECT_OPTIONS_VERSION;
    static constexpr const char* name = "pl_connect_options";
    static constexpr std::size_t end[] = {
        0,
        offsetof(pl_connect_options, log_level) + sizeof(pl_connect_options::log_level),
        offsetof(pl_connect_options, module_paths) + sizeof(pl_connect_options::module_paths),
        offsetof(pl_connect_options, require_authentication) +
            sizeof(pl_connect_options::require_authentication),
        offsetof(pl_connect_options, record_path) + sizeof(pl_connect_options::record_path),
        offsetof(pl_connect_options, callback_executor_payload) +
            sizeof(pl_connect_options::callback_executor_payload)};
};

template <>
struct StructVersions<pl_security_stats> {
    static constexpr unsigned highest = PL_SECURITY_STATS_VERSION;
    static constexpr const char* name = "pl_security_stats";
    static constexpr std::size_t end[] = {0, offsetof(pl_security_stats, rejected_by_pen) +
                                                 sizeof(pl_security_stats::rejected_by_pen)};
};

template <>
struct StructVersions<pl_status_rate> {
    static constexpr unsigned highest = PL_STATUS_RATE_VERSION;
    static constexpr const char* name = "pl_status_rate";
    static constexpr std::size_t end[] = {
        0, offsetof(pl_status_rate, reason) + sizeof(pl_status_rate::reason)};
};

template <>
struct StructVersions<pl_rf_mode> {
    static constexpr unsigned highest = PL_RF_MODE_VERSION;
    static constexpr const char* name = "pl_rf_mode";
    static constexpr std::size_t end[] = {
        0, offsetof(pl_rf_mode, pulse_ms) + sizeof(pl_rf_mode::pulse_ms)};
};

template <>
struct StructVersions<pl_led_mode> {
    static constexpr unsigned highest = PL_LED_MODE_VERSION;
    static constexpr const char* name = "pl_led_mode";
    static constexpr std::size_t end[] = {
        0, offsetof(pl_led_mode, duty_percent) + sizeof(pl_led_mode::duty_percent)};
};

template <>
struct StructVersions<pl_settings> {
    static constexpr unsigned highest = PL_SETTINGS_VERSION;
    static constexpr const char* name = "pl_settings";
    static constexpr std::size_t end[] = {
        0, offsetof(pl_settings, fault_bits) + sizeof(pl_settings::fault_bits)};
};

template <>
struct StructVersions<pl_device_info> {
    static constexpr unsigned highest = PL_DEVICE_INFO_VERSION;
    static constexpr const char* name = "pl_device_info";
    static constexpr std::size_t end[] = {
        0, offsetof(pl_device_info, protocol_version) + sizeof(pl_device_info::protocol_version)};
};

template <>
struct StructVersions<pl_capabilities> {
    static constexpr unsigned highest = PL_CAPABILITIES_VERSION;
    static constexpr const char* name = "pl_capabilities";
    static constexpr std::size_t end[] = {0, offsetof(pl_capabilities, led_pulse_rate_max_hz) +
                                                 sizeof(pl_capabilities::led_pulse_rate_max_hz)};
};

template <>
struct StructVersions<pl_status> {
    static constexpr unsigned highest = PL_STATUS_VERSION;
    static constexpr const char* name = "pl_status";
    static constexpr std::size_t end[] = {
        0, offsetof(pl_status, fault_bits) + sizeof(pl_status::fault_bits),
        offsetof(pl_status, telemetry) + sizeof(pl_status::telemetry)};
};

template <>
struct StructVersions<pl_discovery_options> {
    static constexpr unsigned highest = PL_DISCOVERY_OPTIONS_VERSION;
    static constexpr const char* name = "pl_discovery_options";
    static constexpr std::size_t end[] = {
        0, offsetof(pl_discovery_options, payload) + sizeof(pl_discovery_options::payload)};
};

// Every version has its entry, and the newest ends at the struct's last field.
template <class Struct>
constexpr bool versions_complete() {
    using V = StructVersions<Struct>;
    return std::size(V::end) == V::highest + 1 && V::end[V::highest] <= sizeof(Struct) &&
           sizeof(Struct) - V::end[V::highest] < alignof(Struct);
}
static_assert(versions_complete<pl_connect_options>());
static_assert(versions_complete<pl_rf_mode>());
static_assert(versions_complete<pl_led_mode>());
static_assert(versions_complete<pl_settings>());
static_assert(versions_complete<pl_device_info>());
static_assert(versions_complete<pl_capabilities>());
static_assert(versions_complete<pl_status>());
static_assert(versions_complete<pl_security_stats>());
static_assert(versions_complete<pl_discovery_options>());

/// Throws InvalidArgumentError naming the struct unless version is one this build knows.
template <class Struct>
void require_known_version(unsigned version, const char* function) {
    require_version(version, StructVersions<Struct>::highest, function,
                    StructVersions<Struct>::name);
}

/// The body of every pl_x_init(): checks out and version, then copies the defaults of that
/// version's fields into *out and sets out->version. Writes nothing past that version's fields.
template <class Struct>
int init_struct(Struct* out, unsigned version, const Struct& defaults, const char* function,
                const char* argument) {
    return guarded([&] {
        require(out, function, argument);
        require_known_version<Struct>(version, function);
        std::memcpy(static_cast<void*>(out), &defaults, StructVersions<Struct>::end[version]);
        out->version = version;
        return 0;
    });
}

}  // namespace penlink::capi
