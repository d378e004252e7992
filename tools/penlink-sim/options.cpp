// penlink-sim's flags map onto the apply_sim_options keys, so the command line, sim:// URLs
// and tests share one validator and one set of error messages.
#include "options.hpp"

#include <charconv>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "common/key_file.hpp"
#include "penlink/errors.hpp"
#include "shared/option_cursor.hpp"
#include "sim/module_host.hpp"

namespace penlink::simtool {
namespace {

struct ValueFlag {
    std::string_view flag;
    std::string_view key;
};

constexpr ValueFlag kValueFlags[] = {
    {"--model", "model"},
    {"--serial", "serial"},
    {"--depth-max-mm", "depth_max_mm"},
    {"--depth-step-mm", "depth_step_mm"},
    {"--speed-max-hz", "speed_max_hz"},
    {"--watchdog-ms", "watchdog_ms"},
    {"--max-status-hz", "max_status_hz"},
    {"--fault-after-ms", "fault_after_ms"},
    {"--drop-link-after-ms", "drop_link_after_ms"},
    {"--silent-after-ms", "silent_after_ms"},
    {"--cartridge-limit", "stroke_limit"},
    {"--reboot-after-ms", "reboot_after_ms"},
    {"--battery-pct", "battery_pct"},
    {"--heat", "heat_c_per_s"},
    {"--drain", "drain_pct_per_s"},
    {"--module-store", "module_store"},
    {"--addons", "addons"},
    {"--key-file", "key_file"},
    {"--auth", "auth"},
};

std::uint16_t parse_port(const std::string& flag, const std::string& text) {
    unsigned port = 0;
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, port);
    if (text.empty() || ec != std::errc() || ptr != end || port > 65535) {
        throw InvalidArgumentError(flag + " port '" + text +
                                   "' is not a port number 0-65535 (0 = any free port)");
    }
    return static_cast<std::uint16_t>(port);
}

}  // namespace

const char* usage() {
    return "usage: penlink-sim [--pty | --tcp PORT] [options]\n"
           "Runs one simulated microneedling pen speaking penlink protocol v2.\n"
           "The first line on stdout is 'PTY /dev/pts/N' or 'TCP 127.0.0.1:PORT'; with\n"
           "--control-port the second is 'CONTROL 127.0.0.1:PORT'.\n"
           "\n"
           "  --pty                    serve on a new pseudo-terminal (default)\n"
           "  --tcp PORT               serve on 127.0.0.1:PORT (0 = any free port)\n"
           "  --model NAME             model string (default PL-SIM-1)\n"
           "  --serial TEXT            serial number (default SIM000001)\n"
           "  --depth-max-mm MM        deepest needle depth (default 3.0)\n"
           "  --depth-step-mm MM       depth grid (default 0.05)\n"
           "  --speed-max-hz HZ        fastest needle speed (default 150)\n"
           "  --no-rf                  no RF add-on\n"
           "  --no-led                 no LED add-on\n"
           "  --addons modules         RF and LED as the standard descriptor modules\n"
           "                           (modules/rf.json, led*.json) instead of add-ons\n"
           "  --watchdog-ms MS         watchdog period (default 500)\n"
           "  --max-status-hz HZ       highest status rate (default 20000)\n"
           "  --fault-after-ms MS      raise the injected fault after MS\n"
           "  --drop-link-after-ms MS  drop the link after MS (pty: the sim exits)\n"
           "  --silent-after-ms MS     stop answering after MS\n"
           "  --cartridge-limit N      strokes until the cartridge is exhausted\n"
           "  --reboot-after-ms MS     power-cycle the pen after MS (the link stays up)\n"
           "  --battery-pct PCT        battery charge at power-on (default 100)\n"
           "  --heat C_PER_S           extra heating from the start (ramps the temperature)\n"
           "  --drain PCT_PER_S        extra battery drain from the start\n"
           "  --charging               on the charger from the start\n"
           "  --module FILE            fit the add-on module FILE describes (a descriptor\n"
           "                           JSON, see README); repeatable, slots 1..N in order\n"
           "  --module-store 0         the pen cannot store descriptors: it reports\n"
           "                           descriptor_size 0 (hosts use a partner directory)\n"
           "  --key-file FILE          the pen's key (64 hex digits; a line 'SERIAL KEY' or\n"
           "                           only the key; mode 600): the pen requires\n"
           "                           authenticated sessions; a rotated key is saved there\n"
           "  --key HEX                the pen's key on the command line (others on this\n"
           "                           machine can see it: prefer --key-file)\n"
           "  --auth require|open      with a key: require authentication (default) or let\n"
           "                           unauthenticated hosts drive the pen too\n"
           "  --at MS:COMMAND          run a control COMMAND at MS after start, repeatable\n"
           "                           (e.g. --at '2000:reboot-link-down 500')\n"
           "  --control-port PORT      control commands on 127.0.0.1:PORT (0 = any free port)\n"
           "  --console                control commands on stdin, answers on stdout\n"
           "  --set KEY=VALUE          any sim option (see sim_config.hpp), repeatable\n"
           "  --quiet                  no log lines on stderr\n"
           "  --help                   this text\n"
           "\n"
           "Control commands, one per line, each answered by one line 'ok' or 'error: why':\n"
           "  reboot                   power-cycle now; the link stays up\n"
           "  reboot-link-down MS      power-cycle with the link down for MS (TCP: the host's\n"
           "                           connection closes, and new ones are closed at once until\n"
           "                           the pen is back; pty: the port stays, the pen is deaf\n"
           "                           and mute)\n"
           "  temperature C            set the handpiece temperature (protection follows)\n"
           "  heat C_PER_S             extra heating (0 = off, negative cools)\n"
           "  battery PCT              set the battery charge\n"
           "  drain PCT_PER_S          extra battery drain (0 = off)\n"
           "  charge on|off            put the pen on or off the charger\n"
           "  fault BIT                raise fault bit BIT (7 = e-stop)\n"
           "  estop-button             press the pen's e-stop button\n"
           "  button N                 press button N\n"
           "  cartridge remove         pull the cartridge\n"
           "  cartridge insert ID LIMIT  fit cartridge ID good for LIMIT strokes\n"
           "  busy MS                  the depth actuator homes for MS: SetDepth and\n"
           "                           SetDepthLimit are answered Nack Busy\n"
           "  module attach FILE       fit a module in the lowest free slot (Event\n"
           "                           ModuleAttached); answers 'ok slot N'\n"
           "  module detach SLOT       remove a module (Event ModuleDetached); its outputs\n"
           "                           are off and it leaves Modules and telemetry\n"
           "  module corrupt-chunk SLOT N  the next N DescriptorChunk replies for SLOT\n"
           "                           carry one flipped byte (tests a host's retry)\n"
           "  help                     list the commands\n";
}

ToolOptions parse_options(int argc, char** argv) {
    ToolOptions options;
    std::map<std::string, std::string> sim_options;
    std::vector<std::string> module_files;
    std::optional<std::string> key_hex;
    for (tools::OptionCursor<InvalidArgumentError> cursor(argc, argv); cursor.next();) {
        const std::string& arg = cursor.arg();
        auto take_value = [&] { return cursor.value(); };
        auto no_value = [&] { cursor.no_value(); };

        if (arg == "--help" || arg == "-h") {
            no_value();
            options.help = true;
        } else if (arg == "--quiet" || arg == "-q") {
            no_value();
            options.quiet = true;
        } else if (arg == "--pty") {
            no_value();
            options.use_tcp = false;
        } else if (arg == "--tcp") {
            options.use_tcp = true;
            options.tcp_port = parse_port(arg, take_value());
        } else if (arg == "--control-port") {
            options.control_port = parse_port(arg, take_value());
        } else if (arg == "--console") {
            no_value();
            options.console = true;
        } else if (arg == "--at") {
            options.schedule.push_back(parse_scheduled_command(take_value()));
        } else if (arg == "--charging") {
            no_value();
            sim_options["charging"] = "1";
        } else if (arg == "--no-rf") {
            no_value();
            sim_options["rf"] = "0";
        } else if (arg == "--no-led") {
            no_value();
            sim_options["led"] = "0";
        } else if (arg == "--module") {
            module_files.push_back(take_value());
        } else if (arg == "--key") {
            key_hex = take_value();
        } else if (arg == "--set") {
            const std::string pair = take_value();
            const auto eq = pair.find('=');
            if (eq == std::string::npos || eq == 0) {
                throw InvalidArgumentError("--set '" + pair + "' is not KEY=VALUE");
            }
            sim_options[pair.substr(0, eq)] = pair.substr(eq + 1);
        } else {
            bool known = false;
            for (const ValueFlag& flag : kValueFlags) {
                if (arg == flag.flag) {
                    sim_options[std::string(flag.key)] = take_value();
                    known = true;
                    break;
                }
            }
            if (!known) throw InvalidArgumentError("unknown option '" + arg + "'; see --help");
        }
    }
    options.config = sim::default_sim_config();
    if (key_hex) {
        if (sim_options.count("key_file") != 0)
            throw InvalidArgumentError("give the pen's key with --key or --key-file, not both");
        // auth=require needs the key, which is only set below: check the mode here instead.
        const auto auth = sim_options.find("auth");
        const bool open = auth != sim_options.end() && auth->second == "open";
        if (auth != sim_options.end() && !open && auth->second != "require")
            throw InvalidArgumentError("--auth " + auth->second + ": must be require or open");
        if (auth != sim_options.end()) sim_options.erase(auth);
        sim::apply_sim_options(options.config, sim_options);
        options.config.key = keys::parse_hex(*key_hex, "--key");
        options.config.auth_mode = open ? protocol::AuthMode::Open : protocol::AuthMode::Required;
    } else {
        sim::apply_sim_options(options.config, sim_options);
    }
    for (const std::string& file : module_files) {
        if (options.config.modules.size() == protocol::kMaxModules) {
            throw InvalidArgumentError("--module " + file + ": the pen has only " +
                                       std::to_string(protocol::kMaxModules) + " module slots");
        }
        options.config.modules.push_back(sim::load_module_file(file));
    }
    return options;
}

}  // namespace penlink::simtool
