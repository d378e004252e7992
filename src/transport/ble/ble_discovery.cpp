#include "transport/ble/ble_discovery.hpp"

#include <algorithm>
#include <set>
#include <thread>

#include "transport/ble/bluez_client.hpp"
#include "transport/ble/penlink_gatt.hpp"

namespace penlink::transport {

namespace {

using Clock = std::chrono::steady_clock;
constexpr std::chrono::milliseconds kPollPeriod{100};

}  // namespace

std::vector<BlePenCandidate> scan_for_ble_pens(
    std::chrono::milliseconds timeout, const std::string& adapter_name,
    const std::function<void(const BlePenCandidate&)>& on_found) {
    const auto deadline = Clock::now() + timeout;
    auto connection = bluez::connect_system_bus();
    auto objects = bluez::managed_objects(*connection);
    const bluez::Adapter adapter = bluez::pick_adapter(objects, adapter_name);
    bluez::AdapterProxy scanner(*connection, adapter.path);
    try {
        // Only devices advertising the penlink service, over LE.
        scanner.start_discovery(
            {{"UUIDs", sdbus::Variant(std::vector<std::string>{gatt::kServiceUuid})},
             {"Transport", sdbus::Variant(std::string("le"))}});
    } catch (const sdbus::Error& error) {
        bluez::throw_error(error, "scanning with " + adapter.name);
    }
    std::vector<BlePenCandidate> found;
    std::set<std::string> seen;
    for (;;) {
        for (const bluez::Device& device : bluez::devices(objects, adapter.path)) {
            if (seen.count(device.address)) continue;
            // BlueZ filters by advertised UUIDs, but lists cached devices of any kind too.
            if (std::find(device.uuids.begin(), device.uuids.end(), gatt::kServiceUuid) ==
                device.uuids.end())
                continue;
            seen.insert(device.address);
            BlePenCandidate candidate{device.address, device.name, adapter.name,
                                      device.rssi.has_value(), device.rssi.value_or(0)};
            found.push_back(candidate);
            if (on_found) on_found(candidate);
        }
        const auto now = Clock::now();
        if (now >= deadline) break;
        std::this_thread::sleep_for(std::min<Clock::duration>(kPollPeriod, deadline - now));
        objects = bluez::managed_objects(*connection);
    }
    try {
        scanner.stop_discovery();
    } catch (const sdbus::Error&) {
        // BlueZ ends a client's discovery when the client leaves the bus anyway.
    }
    return found;
}

}  // namespace penlink::transport
