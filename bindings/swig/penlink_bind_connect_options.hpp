/// @file penlink_bind_connect_options.hpp
/// @brief penlink::ConnectOptions as the SWIG bindings see it (plain integers instead of
/// std::chrono, keys added through methods), and its conversion back for penlink::Pen::connect.
///
/// A plain value, safe to copy; not for use from two threads at once. Header-only like
/// penlink_bind.hpp.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "penlink/penlink.hpp"

namespace penlink::bind {

/// penlink::ConnectOptions with plain integers (milliseconds) instead of std::chrono.
struct ConnectOptions {
    std::int32_t connect_timeout_ms = 3000;
    std::int32_t command_timeout_ms = 0;  ///< 0 = suited to the link (300, more on slow BLE)
    std::int32_t command_retries = 2;
    std::int32_t heartbeat_interval_ms = 0;  ///< 0 = a quarter of the watchdog, fitted to the link
    std::int32_t link_timeout_ms = 0;        ///< 0 = twice the watchdog (>= 1000), more on slow BLE
    std::int32_t idle_status_rate_hz = 10;
    std::int32_t callback_queue_capacity = 4096;
    /// Directories of partner module descriptors (*.json), searched before PENLINK_MODULE_PATH.
    std::vector<std::string> module_paths;
    /// true: refuse every pen no key is given for (see penlink::ConnectOptions).
    bool require_authentication = false;
    /// Non-empty: the whole session, from the Hello on, is recorded into this file (see
    /// penlink::ConnectOptions::record_path and docs/records.md).
    std::string record_path;
    /// A penlink::Threading number: 0 Shared (default), 1 Dedicated. A plain integer because
    /// each language has its own Threading enum (checked against C++ by
    /// test_value_types_agree.py); to_native refuses any other number.
    std::int32_t threading = 0;

    /// Adds the key (64 hex digits) of the pen with this serial number (authenticated
    /// sessions, docs/protocol.md section 16). Throws InvalidArgumentError without the key.
    void add_key_hex(const std::string& serial, const std::string& hex) {
        keys.add_hex(serial, hex);
    }
    /// Adds every "SERIAL KEY" line of a key file (refused if others may read it).
    void load_key_file(const std::string& path) { keys.load_file(path); }
    /// The serial numbers that have a key.
    std::vector<std::string> key_serials() const { return keys.serials(); }
#ifndef SWIG
    penlink::PenKeys keys;
#endif
};

#ifndef SWIG
namespace detail {

inline penlink::ConnectOptions to_native(const ConnectOptions& options) {
    penlink::ConnectOptions native;
    native.connect_timeout = std::chrono::milliseconds(options.connect_timeout_ms);
    native.command_timeout = std::chrono::milliseconds(options.command_timeout_ms);
    native.command_retries = options.command_retries;
    native.heartbeat_interval = std::chrono::milliseconds(options.heartbeat_interval_ms);
    native.link_timeout = std::chrono::milliseconds(options.link_timeout_ms);
    native.idle_status_rate_hz = options.idle_status_rate_hz;
    native.callback_queue_capacity = options.callback_queue_capacity;
    native.module_paths = options.module_paths;
    native.keys = options.keys;
    native.require_authentication = options.require_authentication;
    native.record_path = options.record_path;
    if (options.threading != static_cast<std::int32_t>(penlink::Threading::Shared) &&
        options.threading != static_cast<std::int32_t>(penlink::Threading::Dedicated)) {
        throw penlink::InvalidArgumentError("connect option threading " +
                                            std::to_string(options.threading) +
                                            " is neither Shared (0) nor Dedicated (1)");
    }
    native.threading = static_cast<penlink::Threading>(options.threading);
    return native;
}

}  // namespace detail
#endif

}  // namespace penlink::bind
