#include "transport/serial_ports.hpp"
#include "penlink/pen.hpp"

namespace penlink {

std::vector<SerialPortInfo> list_serial_ports() { return transport::enumerate_serial_ports(); }

}  // namespace penlink
