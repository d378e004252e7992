// The penlink GATT service (protocol.md 15): one source for the UUIDs and the link figures the
// transport assumes. tests/ble/fake_bluez.py reads these lines, so keep the format.
#pragma once

#include <cstddef>

namespace penlink::transport::gatt {

inline constexpr const char* kServiceUuid = "7e1a0001-5c2b-4f8e-9a61-70656e6c696b";
/// Host to pen, write without response.
inline constexpr const char* kWriteUuid = "7e1a0002-5c2b-4f8e-9a61-70656e6c696b";
/// Pen to host, notify.
inline constexpr const char* kNotifyUuid = "7e1a0003-5c2b-4f8e-9a61-70656e6c696b";

/// ATT MTU when BlueZ does not report one (no MTU exchange): 23, so 20 bytes per write.
inline constexpr std::size_t kDefaultMtu = 23;
/// ATT header bytes of a write or a notification.
inline constexpr std::size_t kAttHeader = 3;
/// Connection interval the pen is expected to request (protocol.md 15.3), in ms. BlueZ does not
/// expose the interval over D-Bus, so rate estimates assume it unless the URL says otherwise.
inline constexpr int kAssumedIntervalMs = 15;
/// The share of the link's estimated capacity the status stream may take (protocol.md 15.3).
/// Writes (host to pen) and notifications (pen to host) are separate packets of a connection
/// event, so status never delays a command; the pen sends replies and events ahead of Status
/// (protocol.md 11), and the rest of the notify direction carries them. 92 rather than 90 so that
/// whole frames per second, rounded down, still come to at least 90% of the link.
inline constexpr unsigned kStatusSharePercent = 92;

}  // namespace penlink::transport::gatt
