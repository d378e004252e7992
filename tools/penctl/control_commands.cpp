// `penctl set`, `rf`, `led`: one-shot commands. Each line they print means the pen
// acknowledged; a refusal ends the command with the SDK's reason.
#include <cstdio>

#include "command_line.hpp"
#include "commands.hpp"
#include "link_watch.hpp"

namespace penctl {
namespace {

constexpr const char* kUrlHelp =
    "URL: serial:///dev/ttyUSB0[?baud=115200], tcp://HOST:PORT or sim://[?rf=1&led=1]\n";

// The pen's watchdog stops the needle, RF and LED once the host goes quiet, and closing the
// connection stops the needle too; --hold-s keeps the session (and its heartbeat) alive.
constexpr const char* kHoldHelp =
    "  --hold-s S              stay connected S seconds (Ctrl-C ends early); the pen\n"
    "                          stops the needle, RF and LED when penctl disconnects\n";

constexpr const char* kSetUsage =
    "usage: penctl set URL [--depth-mm X] [--speed-hz Y] [--depth-limit-mm Z]\n"
    "                      [--start|--stop]\n"
    "Sets needle depth and speed and starts or stops the needle, in that order.\n"
    "  --depth-mm X            needle depth in mm (on the pen's step grid)\n"
    "  --speed-hz Y            needle speed in strokes per second\n"
    "  --depth-limit-mm Z      refuse depths deeper than Z this session (checked\n"
    "                          first)\n"
    "  --start | --stop        start or stop the needle\n"
    "With --hold-s, a needle that stops early (fault, emergency stop, watchdog, lost\n"
    "link, pen restart) ends penctl with the reason and exit code 1.\n";

constexpr const char* kRfUsage =
    "usage: penctl rf URL --on|--off [--frequency-khz F] [--power-w P] [--pulse-ms T]\n"
    "                     [--mono|--bipolar]\n"
    "Switches the RF add-on on or off.\n"
    "  --frequency-khz F       RF frequency (default 1000 kHz)\n"
    "  --power-w P             RF power in W (default 0)\n"
    "  --pulse-ms T            pulse length (default 100 ms)\n"
    "  --mono | --bipolar      electrode polarity (default bipolar)\n";

constexpr const char* kLedUsage =
    "usage: penctl led URL --on|--off [--wavelength-nm W] [--irradiance-mw-cm2 I]\n"
    "                      [--pulsed --rate-hz R [--duty-percent D]]\n"
    "Switches the LED add-on on or off.\n"
    "  --wavelength-nm W       fitted channel to use (default 633 nm)\n"
    "  --irradiance-mw-cm2 I   light intensity (default 0)\n"
    "  --pulsed                pulse the light instead of continuous\n"
    "  --rate-hz R             pulse rate (with --pulsed)\n"
    "  --duty-percent D        share of each period the light is on (default 50%)\n";

// What each option can mean on any pen, checked before connecting (exit 2 outside it). The
// pen's own, narrower limits are the SDK's to check (exit 1).
constexpr Range kHoldRange{0, kLongestWaitS, "s", true};
constexpr Range kDepthRange{0, 10, "mm"};      // no microneedling pen goes beyond 10 mm
constexpr Range kSpeedRange{0, 655.35, "Hz"};  // the wire carries centi-hertz in 16 bits
constexpr Range kRfFrequencyRange{0, 65'535, "kHz"};
constexpr Range kRfPowerRange{0, 1'000, "W"};
constexpr Range kRfPulseRange{0, 65'535, "ms"};
constexpr Range kWavelengthRange{1, 65'535, "nm"};
constexpr Range kIrradianceRange{0, 6'553.5, "mW/cm2"};  // deci-mW/cm2 in 16 bits
constexpr Range kPulseRateRange{0, 100'000, "Hz"};
constexpr Range kDutyRange{0, 100, "%"};

bool print_help(const CommandLine& line, const char* usage, bool with_hold = false) {
    if (!line.help()) return false;
    std::fputs(usage, stdout);
    if (with_hold) std::fputs(kHoldHelp, stdout);
    std::fputs(kUrlHelp, stdout);
    return true;
}

/// Keeps the session up for --hold-s. If the pen stops what penctl left running (fault,
/// emergency stop, watchdog, restart) or the link goes, throws with the reason: exit 1.
void hold(penlink::Pen& pen, const CommandLine& line, const Expected& expected) {
    const auto seconds = line.number("--hold-s", kHoldRange);
    if (!seconds) return;
    LinkWatch watch(pen);
    watch.watch_outputs(expected);
    std::printf("holding the connection for %.1f s (Ctrl-C ends early)\n", *seconds);
    std::fflush(stdout);
    watch.pause(seconds_to_ms(*seconds));
}

}  // namespace

int run_set(const Args& args) {
    const CommandLine line("set", args,
                           {{"--depth-mm", true},
                            {"--speed-hz", true},
                            {"--depth-limit-mm", true},
                            {"--start", false},
                            {"--stop", false},
                            {"--hold-s", true}});
    if (print_help(line, kSetUsage, true)) return 0;
    const std::string& url = line.url();
    line.at_most_one_of({"--start", "--stop"});
    const auto depth = line.number("--depth-mm", kDepthRange);
    const auto speed = line.number("--speed-hz", kSpeedRange);
    const auto limit = line.number("--depth-limit-mm", kDepthRange);
    line.number("--hold-s", kHoldRange);  // validate before touching the pen
    if (!depth && !speed && !limit && !line.has("--start") && !line.has("--stop")) {
        throw UsageError(
            "set needs at least one of --depth-mm, --speed-hz, --depth-limit-mm, --start, --stop");
    }

    const auto pen = connect_pen(url, line.has("--hold-s"));
    if (limit) {
        pen->set_depth_limit(penlink::Depth::mm(*limit));
        std::printf("depth limit %.2f mm for this session\n", pen->depth_limit().in_mm());
    }
    if (depth) {
        pen->set_depth(penlink::Depth::mm(*depth));
        std::printf("depth set to %.2f mm\n", penlink::Depth::mm(*depth).in_mm());
    }
    if (speed) {
        pen->set_speed(penlink::Speed::hz(*speed));
        std::printf("speed set to %.2f Hz\n", penlink::Speed::hz(*speed).in_hz());
    }
    if (line.has("--start")) {
        pen->start();
        std::puts("needle started");
    }
    if (line.has("--stop")) {
        pen->stop();
        std::puts("needle stopped");
    }
    hold(*pen, line, {line.has("--start"), false, false});
    return 0;
}

int run_rf(const Args& args) {
    const CommandLine line("rf", args,
                           {{"--on", false},
                            {"--off", false},
                            {"--frequency-khz", true},
                            {"--power-w", true},
                            {"--pulse-ms", true},
                            {"--mono", false},
                            {"--bipolar", false},
                            {"--hold-s", true}});
    if (print_help(line, kRfUsage, true)) return 0;
    const std::string& url = line.url();
    line.exactly_one_of({"--on", "--off"});
    line.at_most_one_of({"--mono", "--bipolar"});
    penlink::RfMode mode;
    mode.enabled = line.has("--on");
    mode.polarity =
        line.has("--mono") ? penlink::RfPolarity::Monopolar : penlink::RfPolarity::Bipolar;
    mode.frequency_khz =
        line.whole_number("--frequency-khz", kRfFrequencyRange).value_or(mode.frequency_khz);
    mode.power_w = line.number("--power-w", kRfPowerRange).value_or(mode.power_w);
    mode.pulse_ms = line.whole_number("--pulse-ms", kRfPulseRange).value_or(mode.pulse_ms);
    line.number("--hold-s", kHoldRange);

    const auto pen = connect_pen(url, line.has("--hold-s"));
    pen->set_rf_mode(mode);
    if (mode.enabled) {
        std::printf("RF on: %s, %d kHz, %.2f W, %d ms pulses\n", penlink::to_string(mode.polarity),
                    static_cast<int>(mode.frequency_khz), mode.power_w,
                    static_cast<int>(mode.pulse_ms));
    } else {
        std::puts("RF off");
    }
    hold(*pen, line, {false, mode.enabled, false});
    return 0;
}

int run_led(const Args& args) {
    const CommandLine line("led", args,
                           {{"--on", false},
                            {"--off", false},
                            {"--wavelength-nm", true},
                            {"--irradiance-mw-cm2", true},
                            {"--pulsed", false},
                            {"--rate-hz", true},
                            {"--duty-percent", true},
                            {"--hold-s", true}});
    if (print_help(line, kLedUsage, true)) return 0;
    const std::string& url = line.url();
    line.exactly_one_of({"--on", "--off"});
    line.requires_option("--pulsed", "--rate-hz");
    line.requires_option("--rate-hz", "--pulsed");
    line.requires_option("--duty-percent", "--pulsed");
    penlink::LedMode mode;
    mode.enabled = line.has("--on");
    mode.wavelength_nm =
        line.whole_number("--wavelength-nm", kWavelengthRange).value_or(mode.wavelength_nm);
    mode.irradiance_mw_cm2 =
        line.number("--irradiance-mw-cm2", kIrradianceRange).value_or(mode.irradiance_mw_cm2);
    mode.pulsed = line.has("--pulsed");
    mode.pulse_rate_hz = line.number("--rate-hz", kPulseRateRange).value_or(mode.pulse_rate_hz);
    mode.duty_percent = line.number("--duty-percent", kDutyRange).value_or(mode.duty_percent);
    line.number("--hold-s", kHoldRange);

    const auto pen = connect_pen(url, line.has("--hold-s"));
    pen->set_led_mode(mode);
    if (!mode.enabled) {
        std::puts("LED off");
    } else if (mode.pulsed) {
        std::printf("LED on: %d nm, %.1f mW/cm2, pulsed at %g Hz, %g%% duty\n",
                    static_cast<int>(mode.wavelength_nm), mode.irradiance_mw_cm2,
                    mode.pulse_rate_hz, mode.duty_percent);
    } else {
        std::printf("LED on: %d nm, %.1f mW/cm2, continuous\n",
                    static_cast<int>(mode.wavelength_nm), mode.irradiance_mw_cm2);
    }
    hold(*pen, line, {false, false, mode.enabled});
    return 0;
}

}  // namespace penctl
