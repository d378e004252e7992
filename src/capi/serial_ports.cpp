// pl_serial_port_list: a snapshot of penlink::list_serial_ports() with C views of its strings.
#include <memory>

#include "capi/boundary.hpp"
#include "capi/callbacks.hpp"
#include "capi/handles.hpp"

using namespace penlink;

extern "C" {

int pl_serial_ports_enumerate(pl_serial_port_list** out) {
    return capi::guarded([&] {
        capi::require(out, "pl_serial_ports_enumerate", "out");
        *out = nullptr;
        auto list = std::make_unique<pl_serial_port_list>();
        list->ports = list_serial_ports();
        list->views.reserve(list->ports.size());
        // views point into ports, which is never resized after this.
        for (const auto& port : list->ports) {
            list->views.push_back(pl_serial_port_info{
                PL_SERIAL_PORT_INFO_VERSION, port.path.c_str(), port.description.c_str(),
                port.is_usb ? 1 : 0, port.usb_vid, port.usb_pid, port.manufacturer.c_str(),
                port.product.c_str(), port.serial_number.c_str()});
        }
        capi::register_handle(list.get(), capi::HandleKind::SerialPortList);
        *out = list.release();
        return 0;
    });
}

size_t pl_serial_port_list_count(const pl_serial_port_list* list) {
    if (list == nullptr || !capi::is_live(list, capi::HandleKind::SerialPortList)) return 0;
    return list->views.size();
}

const pl_serial_port_info* pl_serial_port_list_get(const pl_serial_port_list* list, size_t index) {
    if (list == nullptr || !capi::is_live(list, capi::HandleKind::SerialPortList)) return nullptr;
    if (index >= list->views.size()) return nullptr;
    return &list->views[index];
}

void pl_serial_port_list_free(pl_serial_port_list* list) {
    if (list == nullptr) return;
    if (!capi::unregister_handle(list, capi::HandleKind::SerialPortList)) {
        capi::log(LogLevel::Error,
                  "pl_serial_port_list_free: pointer is not a live pl_serial_port_list; ignored");
        return;
    }
    std::unique_ptr<pl_serial_port_list> owned(list);
}

}  // extern "C"
