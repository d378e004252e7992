// `penctl demo`: the README's first command. Starts penlink-sim on a pseudo-terminal, connects
// over the real serial transport and runs a short scripted treatment with live status.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "command_line.hpp"
#include "commands.hpp"
#include "link_watch.hpp"
#include "penlink-sim/launcher.hpp"
#include "status_display.hpp"

#ifndef PENCTL_SIM_BUILD_PATH
#define PENCTL_SIM_BUILD_PATH ""
#endif

namespace penctl {
namespace {

constexpr const char* kDemoUsage =
    "usage: penctl demo [--duration-s S] [--url URL]\n"
    "Starts the penlink-sim simulator on a pseudo-terminal, connects to it over\n"
    "serial and runs a short treatment: depth and speed ramp, LED 633 nm, RF bipolar,\n"
    "a refused out-of-range request, an emergency stop and its release, then a\n"
    "summary.\n"
    "  --duration-s S          length of the script (default 10 s, at least 1 s)\n"
    "  --url URL               run the script on that pen instead (e.g. a penlink-sim\n"
    "                          behind the test fake of BlueZ: scripts/demo-ble.sh)\n"
    "penlink-sim is taken from $PENLINK_SIM, else next to penctl, else the build\n"
    "tree. Ctrl-C stops the pen, prints the summary so far and exits with 130.\n";

struct Interrupted {};

class DemoScript {
public:
    DemoScript(penlink::Pen& pen, StatusDisplay& display, LinkWatch& watch, double duration_s)
        : pen_(pen), display_(display), watch_(watch), duration_s_(duration_s) {}

    void step(const std::string& text) { display_.note("> " + text); }

    /// Lets the treatment run for a share of the script's duration.
    void run_for(double share) {
        if (!watch_.pause(seconds_to_ms(share * duration_s_))) throw Interrupted{};
    }

    void show_state() {
        const auto status = pen_.latest_status();
        display_.note(std::string("  pen state: ") +
                      (status ? penlink::to_string(status->state) : "unknown"));
    }

    void run() {
        using penlink::Depth;
        using penlink::Speed;
        step("set depth 0.50 mm, speed 80 Hz");
        pen_.set_depth(Depth::mm(0.5));
        pen_.set_speed(Speed::hz(80));

        step("LED 633 nm, 50 mW/cm2, continuous");
        penlink::LedMode led;
        led.enabled = true;
        led.wavelength_nm = 633;
        led.irradiance_mw_cm2 = 50;
        pen_.set_led_mode(led);

        step("start the needle");
        pen_.start();
        run_for(0.1);

        step("ramp depth to 1.00 mm and speed to 120 Hz");
        constexpr int kRampSteps = 10;  // 0.05 mm per step: the pen's depth grid
        for (int i = 1; i <= kRampSteps; ++i) {
            pen_.set_depth(Depth::um(500 + 50 * i));
            pen_.set_speed(Speed::hz(80 + 4.0 * i));
            run_for(0.2 / kRampSteps);
        }

        step("RF bipolar 1000 kHz, 5 W, 100 ms pulses on");
        penlink::RfMode rf;
        rf.enabled = true;
        rf.polarity = penlink::RfPolarity::Bipolar;
        rf.frequency_khz = 1000;
        rf.power_w = 5;
        rf.pulse_ms = 100;
        pen_.set_rf_mode(rf);
        run_for(0.35);

        step("ask for depth 3.50 mm (the pen cannot go that deep)");
        try {
            pen_.set_depth(Depth::mm(3.5));
            display_.note("  unexpectedly accepted");
        } catch (const penlink::Error& error) {
            display_.note(std::string("  refused: ") + error.what());
        }
        run_for(0.1);

        step("RF off");
        pen_.set_rf_mode(penlink::RfMode{});
        step("LED off");
        pen_.set_led_mode(penlink::LedMode{});
        run_for(0.1);
        step("stop the needle");
        pen_.stop();
        run_for(0.05);

        step("emergency stop");
        pen_.emergency_stop();
        run_for(0.05);
        show_state();
        step("try to start while the emergency stop is latched");
        try {
            pen_.start();
            display_.note("  unexpectedly accepted");
        } catch (const penlink::Error& error) {
            display_.note(std::string("  refused: ") + error.what());
        }
        step("clear the emergency stop");
        pen_.clear_emergency_stop();
        run_for(0.05);
        show_state();
    }

    /// After Ctrl-C or a failure: leave the pen with everything off. Best effort, the link
    /// may be what failed.
    void make_safe() noexcept {
        try {
            pen_.set_rf_mode(penlink::RfMode{});
            pen_.set_led_mode(penlink::LedMode{});
            pen_.stop();
        } catch (...) {
        }
    }

private:
    penlink::Pen& pen_;
    StatusDisplay& display_;
    LinkWatch& watch_;
    double duration_s_;
};

void print_summary(const StatusFigures& figures, const penlink::Pen& pen, double elapsed_s) {
    const auto& first = figures.first;
    const auto& last = figures.last;
    std::printf("summary\n");
    std::printf("  duration:           %.1f s\n", elapsed_s);
    std::printf("  strokes delivered:  %u\n",
                static_cast<unsigned>(last.cartridge_strokes - first.cartridge_strokes));
    std::printf("  RF energy:          %.2f J\n", last.rf_energy_j - first.rf_energy_j);
    std::printf("  LED dose:           %.3f J/cm2\n", last.led_dose_j_cm2 - first.led_dose_j_cm2);
    std::printf("  status frames:      %llu received, %llu dropped\n",
                static_cast<unsigned long long>(pen.received_status_frames()),
                static_cast<unsigned long long>(pen.dropped_status_frames()));
    std::printf("  temperature:        %.1f - %.1f C\n", figures.temperature_min_c,
                figures.temperature_max_c);
    std::printf("  battery used:       %d%% (%d%% -> %d%%)\n",
                static_cast<int>(first.battery_percent - last.battery_percent),
                static_cast<int>(first.battery_percent), static_cast<int>(last.battery_percent));
}

}  // namespace

int run_demo(const Args& args) {
    const CommandLine line("demo", args, {{"--duration-s", true}, {"--url", true}});
    if (line.help()) {
        std::fputs(kDemoUsage, stdout);
        return 0;
    }
    line.expect_no_positionals();
    const double duration_s =
        line.number("--duration-s", Range{1, kLongestWaitS, "s"}).value_or(10.0);

    // Declared before the pen so the pen closes (stopping the needle) before the sim ends.
    // Its own process group, so Ctrl-C reaches penctl only and penctl stops the pen before it
    // ends the sim; it dies with penctl even if penctl is killed.
    penlink::simtool::LaunchOptions launch;
    launch.start_timeout = std::chrono::seconds(5);
    launch.stop_grace = std::chrono::seconds(2);
    launch.own_process_group = true;
    launch.die_with_parent = true;
    const auto url = line.text("--url");
    std::unique_ptr<penlink::simtool::SimProcess> sim;
    if (!url) {
        sim = std::make_unique<penlink::simtool::SimProcess>(
            penlink::simtool::locate_sim_executable(PENCTL_SIM_BUILD_PATH),
            std::vector<std::string>{"--pty", "--quiet"}, launch);
        std::printf("penlink-sim running (pid %d): %s\n", static_cast<int>(sim->pid()),
                    sim->announcement().c_str());
    }
    const std::string pen_url = url ? *url : sim->url();
    std::printf("connecting to %s\n\n", pen_url.c_str());
    const auto pen = connect_pen(pen_url, true);
    print_device_info(stdout, *pen);
    std::printf("\n");
    std::fflush(stdout);

    LinkWatch watch(*pen);
    // A terminal line can refresh often; a log gets one line a second to stay readable.
    StatusDisplay display(stdout, isatty(fileno(stdout)) == 1 ? 10.0 : 1.0);
    penlink::Pen& pen_ref = *pen;
    const auto started = std::chrono::steady_clock::now();
    auto subscription = pen->subscribe_status(
        [&display, &pen_ref](const penlink::Status& status) {
            display.show(status, pen_ref.dropped_status_frames());
        },
        50);

    DemoScript script(*pen, display, watch, duration_s);
    int exit_code = 0;
    try {
        script.run();
    } catch (const Interrupted&) {
        display.note("interrupted: switching everything off");
        script.make_safe();
        exit_code = kExitInterrupted;
    } catch (...) {
        script.make_safe();
        pen->close();
        display.finish();
        throw;
    }
    // Closing joins the pen's threads: no status line can land inside the summary.
    pen->close();
    display.finish();
    const double elapsed_s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::printf("\n");
    print_summary(display.figures(), *pen, elapsed_s);
    return exit_code;
}

}  // namespace penctl
