// What serial ports this machine has, for "which port is my pen on?" (penctl list, the public
// penlink::list_serial_ports()). Uses libserialport, so it sees USB details (VID/PID, serial
// number) where the OS knows them.
#pragma once

#include <vector>

#include "penlink/types.hpp"

namespace penlink::transport {

/// Every serial port the OS reports, sorted by path. May be empty. Safe from any thread.
/// Throws penlink::ConnectionError (ConnectionFailed) if the OS cannot be asked at all.
std::vector<penlink::SerialPortInfo> enumerate_serial_ports();

}  // namespace penlink::transport
