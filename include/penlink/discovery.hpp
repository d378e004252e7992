/// @file discovery.hpp
/// @brief Finding pens on every transport: USB serial ports whose VID/PID belong to a known pen,
/// and Bluetooth LE devices advertising the penlink service (docs/protocol.md 15).
///
/// Threads: discover() blocks the calling thread for at most its timeout (serial ports are
/// listed at once; BLE scans for the rest of it) and calls the filter's on_found on that same
/// thread, as each pen is found. The USB table may be extended from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "penlink/export.h"

namespace penlink {

/// How a discovered pen is reached. The numbers are part of the C ABI (pl_transport_kind).
enum class TransportKind { Serial = 0, Ble = 1 };

/// One candidate pen, ready to pass to Pen::connect(url).
struct DiscoveredPen {
    std::string url;   ///< "serial:///dev/ttyACM0" or "ble://AA:BB:CC:DD:EE:FF"
    std::string name;  ///< advertised BLE name, or the USB product (or the table's name)
    TransportKind transport = TransportKind::Serial;  ///< serial port or Bluetooth LE
    // BLE
    std::string address;        ///< "AA:BB:CC:DD:EE:FF"; empty for serial
    std::string adapter;        ///< "hci0"; empty for serial
    bool has_rssi = false;      ///< RSSI is known (BLE, seen while scanning)
    std::int32_t rssi_dbm = 0;  ///< signal strength in dBm, when has_rssi
    // USB serial
    std::int32_t usb_vid = 0;   ///< USB vendor id; 0 for BLE
    std::int32_t usb_pid = 0;   ///< USB product id; 0 for BLE
    std::string serial_number;  ///< USB serial number where known
};

/// A USB VID/PID pair that identifies a pen's serial interface.
struct UsbPenId {
    std::int32_t vid = 0;  ///< USB vendor id
    std::int32_t pid = 0;  ///< USB product id
    std::string name;  ///< shown when the port has no product string, e.g. "penlink reference pen"
};

/// What discover() looks for, and where its progress goes.
struct DiscoveryFilter {
    bool serial = true;  ///< look at serial ports (USB, known VID/PID only)
    bool ble = true;     ///< scan for BLE pens (needs BlueZ; skipped with a log warning if absent)
    /// Only pens whose name starts with this (empty: all).
    std::string name_prefix;
    /// BLE adapter to scan with, e.g. "hci1" (empty: the first powered one).
    std::string ble_adapter;
    /// Called on the calling thread as each pen is found, before discover() returns.
    std::function<void(const DiscoveredPen&)> on_found;
};

/// Finds pens for up to timeout (a serial-only filter returns at once). Serial pens come first,
/// then BLE pens in the order they were seen. Throws InvalidArgumentError for a negative timeout
/// or a bad adapter name; a transport that cannot be searched (no BlueZ, adapter off) is skipped
/// with a log warning naming why, so the other transports still answer.
PENLINK_EXPORT std::vector<DiscoveredPen> discover(std::chrono::milliseconds timeout,
                                                   const DiscoveryFilter& filter = {});

/// Adds a VID/PID to the table discover() matches serial ports against (replacing the name if
/// the pair is there). Throws InvalidArgumentError for a VID or PID outside 1-0xFFFF.
PENLINK_EXPORT void register_usb_pen(const UsbPenId& id);
/// The table: the built-in entries, then those registered.
PENLINK_EXPORT std::vector<UsbPenId> known_usb_pens();

}  // namespace penlink
