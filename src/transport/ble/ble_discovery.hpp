// Scanning for penlink pens over BLE: devices that advertise the penlink service
// (protocol.md 15.2). No sdbus-c++ type here, so the API layer can call it without D-Bus headers.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace penlink::transport {

struct BlePenCandidate {
    std::string address;  ///< upper case
    std::string name;
    std::string adapter;  ///< "hci0"
    bool has_rssi = false;
    std::int16_t rssi_dbm = 0;
};

/// Scans with `adapter` (empty: the first) for `timeout`, calling on_found (on this thread) for
/// each pen as it appears; returns them all in that order. Throws like BleTransport::open for a
/// missing bus, BlueZ, adapter or a powered-off adapter.
std::vector<BlePenCandidate> scan_for_ble_pens(
    std::chrono::milliseconds timeout, const std::string& adapter,
    const std::function<void(const BlePenCandidate&)>& on_found);

}  // namespace penlink::transport
