// penctl: command-line control of a penlink microneedling pen, for integrators.
// Exit codes: 0 ok, 1 pen or SDK error, 2 usage error (130 if Ctrl-C cut the demo short).
#include <cstdio>
#include <cstring>
#include <exception>
#include <string>
#include <string_view>

#include "command_line.hpp"
#include "commands.hpp"
#include "penlink/penlink.hpp"
#include "stop_signals.hpp"

namespace {

constexpr int kExitOk = 0;
constexpr int kExitPenError = 1;
constexpr int kExitUsage = 2;

struct Command {
    std::string_view name;
    int (*run)(const penctl::Args&);
};

constexpr Command kCommands[] = {
    {"ports", penctl::run_ports},
    {"scan", penctl::run_scan},
    {"info", penctl::run_info},
    {"set", penctl::run_set},
    {"rf", penctl::run_rf},
    {"led", penctl::run_led},
    {"monitor", penctl::run_monitor},
    {"modules", penctl::run_modules},
    {"param", penctl::run_param},
    {"estop", penctl::run_estop},
    {"clear-estop", penctl::run_clear_estop},
    {"clear-faults", penctl::run_clear_faults},
    {"demo", penctl::run_demo},
    {"validate", penctl::run_validate},
    {"run", penctl::run_recipe},
    {"record", penctl::run_record},
    {"report", penctl::run_report},
    {"history", penctl::run_history},
};

constexpr const char* kUsage =
    "usage: penctl [-v|-vv] [--key-file FILE] <command> [options]\n"
    "Controls a penlink microneedling pen.\n"
    "\n"
    "commands:\n"
    "  ports                 list serial ports\n"
    "  scan                  find pens on USB serial and Bluetooth LE\n"
    "  info URL              device info and capabilities\n"
    "  set URL ...           depth, speed, depth limit, start or stop the needle\n"
    "  rf URL --on|--off     RF add-on\n"
    "  led URL --on|--off    LED add-on\n"
    "  monitor URL           live status, module telemetry included\n"
    "  modules URL           add-on modules: parameters, telemetry, interlocks\n"
    "  param URL M.KEY[=V].. set or read add-on module parameters\n"
    "  estop URL             emergency stop (latches)\n"
    "  clear-estop URL       release the emergency stop\n"
    "  clear-faults URL      clear latched faults whose cause has gone\n"
    "  demo                  scripted treatment on a simulated pen (pseudo-terminal)\n"
    "  validate RECIPE [URL] check a treatment recipe (zones, device class, pen)\n"
    "  run RECIPE URL        run a treatment recipe with a live progress line\n"
    "  record URL FILE       record the session's frames to FILE (replay://FILE)\n"
    "  report DB|FILE        a treatment run's steps, or what a recording holds\n"
    "  history DB            recent treatments and the cartridge ledger\n"
    "\n"
    "URL: serial:///dev/ttyUSB0[?baud=115200], tcp://HOST:PORT, sim://[?rf=1&led=1]\n"
    "     ble://AA:BB:CC:DD:EE:FF or ble://?name=NAME (Bluetooth LE, [&]adapter=hci1)\n"
    "     (sim://?module=FILE fits a module from its descriptor file)\n"
    "     replay://FILE[?speed=4][&match=lenient] plays a recording back as a pen\n"
    "     (lenient: only commands that change the output must match the recording)\n"
    "'penctl <command> --help' shows its options; --version the library version.\n"
    "-v shows the SDK's warnings and progress, -vv also its debug detail.\n"
    "--key-file FILE: your pens' keys ('SERIAL KEY', 64 hex digits, mode 600) for\n"
    "     pens that require authentication (default: $PENLINK_KEY_FILE, if set).\n"
    "Exit codes: 0 ok, 1 pen or SDK error, 2 usage error.\n";

// The SDK's warnings (retries, heartbeats after a lost link) would bury penctl's one-line
// reason; by default only its errors show, -v adds warnings and info, -vv debug detail.
void route_sdk_log(int verbosity) {
    const penlink::LogLevel level = verbosity >= 2   ? penlink::LogLevel::Debug
                                    : verbosity == 1 ? penlink::LogLevel::Info
                                                     : penlink::LogLevel::Error;
    penlink::set_log_sink(
        [](penlink::LogLevel message_level, const std::string& message) {
            std::fprintf(stderr, "penlink %s: %s\n", penlink::to_string(message_level),
                         message.c_str());
        },
        level);
}

int fail(int code, const char* reason) {
    std::fflush(stdout);
    std::fprintf(stderr, "penctl: %s\n", reason);
    return code;
}

}  // namespace

int main(int argc, char** argv) {
    penctl::block_stop_signals();
    int verbosity = 0;
    int first = 1;
    for (; first < argc; ++first) {
        const std::string_view arg = argv[first];
        if (arg == "-v" || arg == "--verbose") {
            verbosity += 1;
        } else if (arg == "-vv") {
            verbosity += 2;
        } else if (arg == "--key-file") {
            if (first + 1 >= argc) return fail(kExitUsage, "--key-file needs a file");
            penctl::set_key_file(argv[++first]);
        } else if (arg.starts_with("--key-file=")) {
            penctl::set_key_file(std::string(arg.substr(std::strlen("--key-file="))));
        } else {
            break;
        }
    }
    route_sdk_log(verbosity);
    argc -= first - 1;
    argv += first - 1;
    if (argc < 2) {
        std::fputs(kUsage, stderr);
        return kExitUsage;
    }
    const std::string_view name = argv[1];
    if (name == "--help" || name == "-h" || name == "help") {
        std::fputs(kUsage, stdout);
        return kExitOk;
    }
    if (name == "--version") {
        std::printf("penctl (penlink %s)\n", penlink::version());
        return kExitOk;
    }
    const penctl::Args args(argv + 2, argv + argc);
    for (const Command& command : kCommands) {
        if (command.name != name) continue;
        try {
            return command.run(args);
        } catch (const penctl::UsageError& error) {
            const std::string reason =
                std::string(error.what()) + " (see penctl " + std::string(name) + " --help)";
            return fail(kExitUsage, reason.c_str());
        } catch (const penlink::InvalidArgumentError& error) {
            // The SDK refused what the user typed (a malformed URL, say): a usage error.
            return fail(kExitUsage, error.what());
        } catch (const std::exception& error) {
            return fail(kExitPenError, error.what());
        }
    }
    const std::string reason = "unknown command '" + std::string(name) + "' (see penctl --help)";
    return fail(kExitUsage, reason.c_str());
}
