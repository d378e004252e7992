// `penctl scan`: every pen penlink::discover() finds, serial and BLE, printed as it is found.
#include <chrono>
#include <cstdio>
#include <string>

#include "command_line.hpp"
#include "commands.hpp"
#include "penlink/discovery.hpp"

namespace penctl {

namespace {

constexpr const char* kScanUsage =
    "usage: penctl scan [--seconds S] [--serial-only | --ble-only] [--adapter hciN]\n"
    "                   [--name PREFIX]\n"
    "Finds pens: USB serial ports with a known pen's VID:PID, and Bluetooth LE\n"
    "devices advertising the penlink service (a BLE scan of S seconds, default 5).\n"
    "Each line gives the URL to connect with, the transport, the name and the RSSI or\n"
    "USB identity.\n";

void print_pen(const penlink::DiscoveredPen& pen) {
    std::string identity;
    char text[48];
    if (pen.transport == penlink::TransportKind::Ble) {
        if (pen.has_rssi) {
            std::snprintf(text, sizeof text, "RSSI %d dBm", static_cast<int>(pen.rssi_dbm));
            identity = text;
        } else {
            identity = "RSSI -";
        }
        identity += " via " + pen.adapter;
    } else {
        std::snprintf(text, sizeof text, "USB %04x:%04x", static_cast<unsigned>(pen.usb_vid),
                      static_cast<unsigned>(pen.usb_pid));
        identity = text;
        if (!pen.serial_number.empty()) identity += " " + pen.serial_number;
    }
    std::printf("%-34s %-6s %-24s %s\n", pen.url.c_str(),
                pen.transport == penlink::TransportKind::Ble ? "ble" : "serial",
                pen.name.empty() ? "-" : pen.name.c_str(), identity.c_str());
    std::fflush(stdout);
}

}  // namespace

int run_scan(const Args& args) {
    const CommandLine line("scan", args,
                           {{"--seconds", true},
                            {"--serial-only", false},
                            {"--ble-only", false},
                            {"--adapter", true},
                            {"--name", true}});
    if (line.help()) {
        std::fputs(kScanUsage, stdout);
        return 0;
    }
    line.expect_no_positionals();
    line.at_most_one_of({"--serial-only", "--ble-only"});
    const double seconds = line.number("--seconds", {0.0, 600.0, "s"}).value_or(5.0);
    penlink::DiscoveryFilter filter;
    filter.serial = !line.has("--ble-only");
    filter.ble = !line.has("--serial-only");
    filter.ble_adapter = line.text("--adapter").value_or("");
    filter.name_prefix = line.text("--name").value_or("");
    int count = 0;
    filter.on_found = [&count](const penlink::DiscoveredPen& pen) {
        if (count++ == 0)
            std::printf("%-34s %-6s %-24s %s\n", "URL", "LINK", "NAME", "RSSI / USB ID");
        print_pen(pen);
    };
    if (filter.ble) {
        std::fprintf(stderr, "scanning for %.0f s ...\n", seconds);
    }
    const auto pens = penlink::discover(
        std::chrono::milliseconds(static_cast<long long>(seconds * 1000.0)), filter);
    std::fprintf(stderr, "%zu pen%s found\n", pens.size(), pens.size() == 1 ? "" : "s");
    return 0;
}

}  // namespace penctl
