#include "transport/serial_ports.hpp"

#include <algorithm>
#include <string>

#include <libserialport.h>

#include "penlink/errors.hpp"

namespace penlink::transport {

namespace {

std::string text_or_empty(const char* text) { return text ? std::string(text) : std::string(); }

// Frees the list however enumeration ends.
class PortList {
public:
    PortList() = default;
    ~PortList() {
        if (ports_) sp_free_port_list(ports_);
    }
    PortList(const PortList&) = delete;
    PortList& operator=(const PortList&) = delete;
    sp_port*** out() { return &ports_; }
    sp_port** get() const { return ports_; }

private:
    sp_port** ports_ = nullptr;
};

SerialPortInfo describe(sp_port* port) {
    SerialPortInfo info;
    info.path = text_or_empty(sp_get_port_name(port));
    info.description = text_or_empty(sp_get_port_description(port));
    if (sp_get_port_transport(port) == SP_TRANSPORT_USB) {
        info.is_usb = true;
        int vid = 0;
        int pid = 0;
        if (sp_get_port_usb_vid_pid(port, &vid, &pid) == SP_OK) {
            info.usb_vid = vid;
            info.usb_pid = pid;
        }
        info.manufacturer = text_or_empty(sp_get_port_usb_manufacturer(port));
        info.product = text_or_empty(sp_get_port_usb_product(port));
        info.serial_number = text_or_empty(sp_get_port_usb_serial(port));
    }
    return info;
}

}  // namespace

std::vector<SerialPortInfo> enumerate_serial_ports() {
    PortList list;
    sp_return result = sp_list_ports(list.out());
    if (result != SP_OK) {
        std::string reason = "libserialport error " + std::to_string(result);
        if (result == SP_ERR_FAIL) {
            char* message = sp_last_error_message();  // the OS's reason; ours to free
            reason = text_or_empty(message);
            sp_free_error_message(message);
        }
        throw ConnectionError(ErrorCode::ConnectionFailed,
                              "could not list serial ports: " + reason);
    }
    std::vector<SerialPortInfo> ports;
    for (sp_port** port = list.get(); port && *port; ++port) ports.push_back(describe(*port));
    std::sort(ports.begin(), ports.end(),
              [](const SerialPortInfo& a, const SerialPortInfo& b) { return a.path < b.path; });
    return ports;
}

}  // namespace penlink::transport
