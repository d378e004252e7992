// Against a real pen through the machine's own BlueZ: discovery, connect, a short session.
// Runs only when PENLINK_BLE_PEN names the pen (e.g. ble://AA:BB:CC:DD:EE:FF or
// ble://?name=PL-X1); otherwise, or without a Bluetooth adapter, it exits 77 and CTest reports
// it skipped, with the reason on stdout.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "penlink/penlink.hpp"

namespace {

constexpr int kSkipped = 77;

bool no_radio(const std::string& message) {
    for (const char* reason :
         {"no Bluetooth adapter", "powered off", "cannot reach the system D-Bus",
          "BlueZ (org.bluez) is not running", "built without Bluetooth"}) {
        if (message.find(reason) != std::string::npos) return true;
    }
    return false;
}

}  // namespace

int main() {
    const char* url = std::getenv("PENLINK_BLE_PEN");
    if (url == nullptr || *url == '\0') {
        std::puts(
            "skipped: set PENLINK_BLE_PEN=ble://AA:BB:CC:DD:EE:FF (or ble://?name=NAME) "
            "to run against a real pen");
        return kSkipped;
    }
    try {
        penlink::DiscoveryFilter filter;
        filter.serial = false;
        for (const auto& pen : penlink::discover(std::chrono::seconds(5), filter)) {
            std::printf("found %s '%s' RSSI %d dBm\n", pen.url.c_str(), pen.name.c_str(),
                        static_cast<int>(pen.rssi_dbm));
        }
        penlink::ConnectOptions options;
        options.connect_timeout = std::chrono::seconds(20);
        auto pen = penlink::Pen::connect(url, options);
        std::printf("connected: %s %s\n", pen->info().model.c_str(),
                    pen->info().serial_number.c_str());
        pen->set_depth(penlink::Depth::mm(0.5));
        pen->set_speed(penlink::Speed::hz(pen->capabilities().speed_min_hz));
        pen->start();
        pen->stop();
        pen->close();
        std::puts("ok");
        return 0;
    } catch (const penlink::Error& error) {
        if (no_radio(error.what())) {
            std::printf("skipped: %s\n", error.what());
            return kSkipped;
        }
        std::printf("failed: %s\n", error.what());
        return 1;
    }
}
