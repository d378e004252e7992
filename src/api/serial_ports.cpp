#include "penlink/pen.hpp"
#include "transport/serial_ports.hpp"

namespace penlink {

std::vector<SerialPortInfo> list_serial_ports() { return transport::enumerate_serial_ports(); }

}  // namespace penlink
