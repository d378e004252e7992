// `penctl ports` and `penctl info`: read-only look-ups.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "command_line.hpp"
#include "commands.hpp"

namespace penctl {
namespace {

constexpr const char* kPortsUsage =
    "usage: penctl ports\n"
    "Lists the serial ports of this machine: path, USB VID:PID, serial number,\n"
    "description. Connect to one with serial://PATH, e.g. penctl info\n"
    "serial:///dev/ttyACM0\n";

constexpr const char* kInfoUsage =
    "usage: penctl info URL\n"
    "Connects to the pen and prints its identity and what it can do: depth and speed\n"
    "ranges, watchdog period, status rate, and the fitted RF and LED add-ons.\n"
    "URL: serial:///dev/ttyUSB0[?baud=115200], tcp://HOST:PORT or sim://[?rf=1&led=1]\n";

std::string polarities(const penlink::RfCapabilities& rf) {
    if (rf.monopolar && rf.bipolar) return "monopolar and bipolar";
    if (rf.monopolar) return "monopolar only";
    if (rf.bipolar) return "bipolar only";
    return "no polarity";
}

}  // namespace

namespace {
std::string key_file;  // set once by main() before any command runs
}  // namespace

void set_key_file(const std::string& path) { key_file = path; }

std::unique_ptr<penlink::Pen> connect_pen(const std::string& url, bool keep_status_fresh,
                                          const std::string& record_path) {
    penlink::ConnectOptions options;
    options.record_path = record_path;
    if (!keep_status_fresh) options.idle_status_rate_hz = 0;
    std::string keys = key_file;
    if (keys.empty()) {
        if (const char* from_environment = std::getenv("PENLINK_KEY_FILE")) keys = from_environment;
    }
    if (!keys.empty()) options.keys.load_file(keys);
    return penlink::Pen::connect(url, options);
}

void print_device_info(std::FILE* out, const penlink::Pen& pen) {
    const auto& info = pen.info();
    const auto& caps = pen.capabilities();
    std::fprintf(out, "model            %s\n", info.model.c_str());
    std::fprintf(out, "serial number    %s\n", info.serial_number.c_str());
    std::fprintf(out, "firmware         %s\n", info.firmware_version.c_str());
    std::fprintf(out, "protocol         v%d\n", static_cast<int>(info.protocol_version));
    const auto security = pen.security_stats();
    std::fprintf(out, "session          %s\n",
                 security.authenticated
                     ? "authenticated (mutual proof, every frame tagged)"
                     : "unauthenticated (no key given; the pen does not require one)");
    std::fprintf(out, "depth            %.2f - %.2f mm in %.2f mm steps\n", caps.depth_min_mm,
                 caps.depth_max_mm, caps.depth_step_mm);
    std::fprintf(out, "speed            %g - %g Hz\n", caps.speed_min_hz, caps.speed_max_hz);
    std::fprintf(out, "watchdog         %d ms\n", static_cast<int>(caps.watchdog_ms));
    std::fprintf(out, "status rate      up to %d Hz\n", static_cast<int>(caps.max_status_rate_hz));
    const auto& rf = caps.rf;
    if (rf.fitted) {
        // One fact per line, indented under the name: the output fits 80 columns.
        std::fprintf(out, "RF add-on        %d - %d kHz, up to %.1f W, %s\n",
                     static_cast<int>(rf.frequency_min_khz), static_cast<int>(rf.frequency_max_khz),
                     rf.power_max_w, polarities(rf).c_str());
        std::fprintf(out, "                 pulses %d - %d ms\n", static_cast<int>(rf.pulse_min_ms),
                     static_cast<int>(rf.pulse_max_ms));
    } else {
        std::fprintf(out, "RF add-on        not fitted\n");
    }
    const auto& led = caps.led;
    if (led.fitted) {
        const char* label = "LED add-on       ";
        for (const auto& channel : led.channels) {
            std::fprintf(out, "%s%d nm, up to %.1f mW/cm2\n", label,
                         static_cast<int>(channel.wavelength_nm), channel.max_irradiance_mw_cm2);
            label = "                 ";
        }
        std::fprintf(out, "%spulse rate %g - %g Hz\n", label, led.pulse_rate_min_hz,
                     led.pulse_rate_max_hz);
    } else {
        std::fprintf(out, "LED add-on       not fitted\n");
    }
}

int run_ports(const Args& args) {
    const CommandLine line("ports", args, {});
    if (line.help()) {
        std::fputs(kPortsUsage, stdout);
        return 0;
    }
    line.expect_no_positionals();
    const auto ports = penlink::list_serial_ports();
    if (ports.empty()) {
        std::puts("no serial ports found");
        return 0;
    }
    std::printf("%-24s %-9s %-20s %s\n", "PATH", "VID:PID", "SERIAL NUMBER", "DESCRIPTION");
    for (const auto& port : ports) {
        char usb_id[16] = "-";
        if (port.is_usb) {
            std::snprintf(usb_id, sizeof usb_id, "%04x:%04x",
                          static_cast<unsigned>(port.usb_vid) & 0xffffu,
                          static_cast<unsigned>(port.usb_pid) & 0xffffu);
        }
        const std::string& description = port.description.empty() ? port.product : port.description;
        std::printf("%-24s %-9s %-20s %s\n", port.path.c_str(), usb_id,
                    port.serial_number.empty() ? "-" : port.serial_number.c_str(),
                    description.empty() ? "-" : description.c_str());
    }
    return 0;
}

int run_info(const Args& args) {
    const CommandLine line("info", args, {});
    if (line.help()) {
        std::fputs(kInfoUsage, stdout);
        return 0;
    }
    const auto pen = connect_pen(line.url(), false);
    print_device_info(stdout, *pen);
    return 0;
}

}  // namespace penctl
