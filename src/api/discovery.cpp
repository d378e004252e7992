// penlink::discover(): serial ports matched against the USB table, then a BLE scan.
#include "penlink/discovery.hpp"

#include <algorithm>
#include <mutex>

#include "core/log.hpp"
#include "penlink/errors.hpp"
#include "transport/serial_ports.hpp"
#ifdef PENLINK_WITH_BLE
#include "transport/ble/ble_discovery.hpp"
#endif

namespace penlink {

namespace {

// Built-in VID/PID pairs of pens' USB serial interfaces. 0x1209 is pid.codes' open VID; 0x7E1A
// is penlink's reference pen. Pen makers add theirs with register_usb_pen().
std::vector<UsbPenId> built_in_usb_pens() { return {{0x1209, 0x7E1A, "penlink reference pen"}}; }

std::mutex usb_table_mutex;
std::vector<UsbPenId>& usb_table() {
    static std::vector<UsbPenId> table = built_in_usb_pens();
    return table;
}

bool name_matches(const std::string& name, const DiscoveryFilter& filter) {
    return filter.name_prefix.empty() ||
           name.compare(0, filter.name_prefix.size(), filter.name_prefix) == 0;
}

void add_serial_pens(const DiscoveryFilter& filter, std::vector<DiscoveredPen>& found) {
    const std::vector<UsbPenId> table = known_usb_pens();
    for (const SerialPortInfo& port : transport::enumerate_serial_ports()) {
        if (!port.is_usb) continue;
        auto known = std::find_if(table.begin(), table.end(), [&](const UsbPenId& id) {
            return id.vid == port.usb_vid && id.pid == port.usb_pid;
        });
        if (known == table.end()) continue;
        DiscoveredPen pen;
        pen.url = "serial://" + port.path;
        pen.name = port.product.empty() ? known->name : port.product;
        pen.transport = TransportKind::Serial;
        pen.usb_vid = port.usb_vid;
        pen.usb_pid = port.usb_pid;
        pen.serial_number = port.serial_number;
        if (!name_matches(pen.name, filter)) continue;
        found.push_back(pen);
        if (filter.on_found) filter.on_found(found.back());
    }
}

#ifdef PENLINK_WITH_BLE
void add_ble_pens(std::chrono::milliseconds timeout, const DiscoveryFilter& filter,
                  std::vector<DiscoveredPen>& found) {
    const auto on_candidate = [&](const transport::BlePenCandidate& candidate) {
        DiscoveredPen pen;
        pen.url = "ble://" + candidate.address;
        pen.name = candidate.name;
        pen.transport = TransportKind::Ble;
        pen.address = candidate.address;
        pen.adapter = candidate.adapter;
        pen.has_rssi = candidate.has_rssi;
        pen.rssi_dbm = candidate.rssi_dbm;
        if (!name_matches(pen.name, filter)) return;
        found.push_back(pen);
        if (filter.on_found) filter.on_found(found.back());
    };
    try {
        transport::scan_for_ble_pens(timeout, filter.ble_adapter, on_candidate);
    } catch (const ConnectionError& error) {
        // No bus, no BlueZ, no adapter or adapter off: the serial results still count.
        core::log(LogLevel::Warning, "BLE discovery skipped: " + std::string(error.what()));
    }
}
#endif

}  // namespace

std::vector<DiscoveredPen> discover(std::chrono::milliseconds timeout,
                                    const DiscoveryFilter& filter) {
    if (timeout.count() < 0) {
        throw InvalidArgumentError("discovery timeout " + std::to_string(timeout.count()) +
                                   " ms is negative");
    }
    if (!filter.ble_adapter.empty() && filter.ble_adapter.compare(0, 3, "hci") != 0) {
        throw InvalidArgumentError("BLE adapter '" + filter.ble_adapter +
                                   "' is not an adapter name; expected e.g. hci0");
    }
    std::vector<DiscoveredPen> found;
    if (filter.serial) add_serial_pens(filter, found);
    if (filter.ble) {
#ifdef PENLINK_WITH_BLE
        add_ble_pens(timeout, filter, found);
#else
        core::log(LogLevel::Warning,
                  "BLE discovery skipped: this penlink was built without Bluetooth LE");
#endif
    }
    return found;
}

void register_usb_pen(const UsbPenId& id) {
    if (id.vid < 1 || id.vid > 0xFFFF || id.pid < 1 || id.pid > 0xFFFF) {
        throw InvalidArgumentError(
            "USB id " + std::to_string(id.vid) + ":" + std::to_string(id.pid) +
            " is outside 1-0xFFFF; expected a VID and PID like 0x1209:0x7E1A");
    }
    std::lock_guard lock(usb_table_mutex);
    auto& table = usb_table();
    auto it = std::find_if(table.begin(), table.end(), [&](const UsbPenId& entry) {
        return entry.vid == id.vid && entry.pid == id.pid;
    });
    if (it != table.end())
        it->name = id.name;
    else
        table.push_back(id);
}

std::vector<UsbPenId> known_usb_pens() {
    std::lock_guard lock(usb_table_mutex);
    return usb_table();
}

}  // namespace penlink
