// penctl's one-shot commands, run as the built binary against sim:// and a penlink-sim on TCP.
#include <catch2/catch.hpp>

#include <csignal>

#include "penctl_runner.hpp"

using namespace penlink::tooltest;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

TEST_CASE("info prints the pen's model and capabilities", "[penctl]") {
    const auto result = penctl({"info", "sim://"});
    REQUIRE(result.exit_code == 0);
    CHECK_THAT(result.out, Contains("model            PL-SIM-1"));
    CHECK_THAT(result.out, Contains("0.00 - 3.00 mm in 0.05 mm steps"));
    CHECK_THAT(result.out, Contains("633 nm"));
    CHECK(result.err.empty());

    // The model comes from the pen, not from a fixed string in penctl.
    const auto other = penctl({"info", "sim://?model=PL-TEST-7&rf=0"});
    REQUIRE(other.exit_code == 0);
    CHECK_THAT(other.out, Contains("PL-TEST-7"));
    CHECK_THAT(other.out, Contains("RF add-on        not fitted"));
}

TEST_CASE("set refuses a depth beyond the pen's maximum with exit code 1", "[penctl]") {
    const auto result = penctl({"set", "sim://", "--depth-mm", "5"});
    CHECK(result.exit_code == 1);
    CHECK_THAT(result.err, Contains("5.00 mm") && Contains("3.00 mm"));
    CHECK(is_one_line_reason(result.err));
}

TEST_CASE("set applies depth, speed and start, and honours the depth limit", "[penctl]") {
    const auto ok = penctl({"set", "sim://", "--depth-mm", "1.25", "--speed-hz", "90", "--start"});
    REQUIRE(ok.exit_code == 0);
    CHECK_THAT(ok.out, Contains("depth set to 1.25 mm"));
    CHECK_THAT(ok.out, Contains("speed set to 90.00 Hz"));
    CHECK_THAT(ok.out, Contains("needle started"));

    const auto limited = penctl({"set", "sim://", "--depth-limit-mm", "1.5", "--depth-mm", "2"});
    CHECK(limited.exit_code == 1);
    CHECK_THAT(limited.err, Contains("2.00 mm") && Contains("1.50 mm"));
}

TEST_CASE("rf and led report what the pen refused", "[penctl]") {
    const auto no_rf = penctl({"rf", "sim://?rf=0", "--on", "--power-w", "5"});
    CHECK(no_rf.exit_code == 1);
    CHECK_THAT(no_rf.err, Contains("no RF add-on"));

    const auto too_strong = penctl({"rf", "sim://", "--on", "--power-w", "25"});
    CHECK(too_strong.exit_code == 1);
    CHECK_THAT(too_strong.err, Contains("25") && Contains("20") && Contains(" W"));

    const auto wavelength = penctl({"led", "sim://", "--on", "--wavelength-nm", "500"});
    CHECK(wavelength.exit_code == 1);
    CHECK_THAT(wavelength.err, Contains("500 nm"));

    const auto rf_on =
        penctl({"rf", "sim://", "--on", "--mono", "--frequency-khz", "1500", "--power-w", "3"});
    CHECK(rf_on.exit_code == 0);
    CHECK_THAT(rf_on.out, Contains("RF on") && Contains("1500 kHz"));

    const auto led_on = penctl({"led", "sim://", "--on", "--irradiance-mw-cm2", "40", "--pulsed",
                                "--rate-hz", "10", "--duty-percent", "25"});
    CHECK(led_on.exit_code == 0);
    CHECK_THAT(led_on.out, Contains("pulsed at 10 Hz"));
}

TEST_CASE("bad usage exits 2 with a one-line reason", "[penctl]") {
    const std::vector<std::vector<std::string>> mistakes = {
        {"frobnicate"},
        {"set", "sim://", "--depth"},
        {"set", "sim://", "--depth-mm"},
        {"set", "sim://", "--depth-mm", "deep"},
        {"set", "sim://"},
        {"set", "--depth-mm", "1"},
        {"set", "sim://", "--start", "--stop"},
        {"rf", "sim://", "--on", "--off"},
        {"rf", "sim://"},
        {"led", "sim://", "--on", "--rate-hz", "5"},
        {"info", "sim://", "sim://"},
        {"info", "nonsense"},
        {"monitor", "sim://", "--rate-hz", "0"},
        {"demo", "--duration-s", "0.1"},
    };
    for (const auto& args : mistakes) {
        INFO("penctl " << args.front() << " ... (" << args.size() << " args)");
        const auto result = penctl(args);
        CHECK(result.exit_code == 2);
        CHECK(is_one_line_reason(result.err));
    }
    const auto bare = penctl({});
    CHECK(bare.exit_code == 2);
    CHECK_THAT(bare.err, Contains("usage: penctl"));
}

TEST_CASE("--help works on every command", "[penctl]") {
    const auto top = penctl({"--help"});
    CHECK(top.exit_code == 0);
    CHECK_THAT(top.out, StartsWith("usage: penctl"));
    for (const std::string command : {"ports", "info", "set", "rf", "led", "monitor", "estop",
                                      "clear-estop", "clear-faults", "demo"}) {
        INFO(command);
        const auto result = penctl({command, "--help"});
        CHECK(result.exit_code == 0);
        CHECK_THAT(result.out, StartsWith("usage: penctl " + command));
    }
}

TEST_CASE("ports lists the machine's serial ports", "[penctl]") {
    const auto result = penctl({"ports"});
    CHECK(result.exit_code == 0);
    CHECK(!result.out.empty());
    CHECK(result.err.empty());
}

TEST_CASE("monitor prints one status line per update when stdout is not a terminal", "[penctl]") {
    const auto result = penctl({"monitor", "sim://", "--duration-s", "1", "--rate-hz", "10"});
    REQUIRE(result.exit_code == 0);
    const int lines = count_lines_containing(result.out, "depth ");
    CHECK(lines >= 3);
    CHECK(count_lines_containing(result.out, "idle") >= 3);
    CHECK(result.out.find('\r') == std::string::npos);
    CHECK_THAT(result.out, Contains("status frames received"));
}

TEST_CASE("monitor ends cleanly on Ctrl-C", "[penctl]") {
    ChildProcess monitor(PENCTL_PATH, {"monitor", "sim://", "--rate-hz", "20"});
    REQUIRE(monitor.wait_for_output("depth ", std::chrono::seconds(10)));
    monitor.send_signal(SIGINT);
    const auto result = monitor.finish(std::chrono::seconds(10));
    CHECK_FALSE(result.timed_out);
    CHECK(result.exit_code == 0);
    CHECK_THAT(result.out, Contains("interrupted:"));
}

TEST_CASE("estop latches on a pen that outlives penctl and clear-estop releases it", "[penctl]") {
    ChildProcess sim(PENLINK_SIM_PATH, {"--tcp", "0", "--quiet"});
    REQUIRE(sim.wait_for_output("\n", std::chrono::seconds(10)));
    REQUIRE_THAT(sim.out(), StartsWith("TCP 127.0.0.1:"));
    const std::string url = "tcp://" + sim.out().substr(4, sim.out().find('\n') - 4);

    REQUIRE(penctl({"estop", url}).exit_code == 0);
    const auto refused = penctl({"set", url, "--start"});
    CHECK(refused.exit_code == 1);
    CHECK_THAT(refused.err, Contains("emergency stop"));

    REQUIRE(penctl({"clear-estop", url}).exit_code == 0);
    const auto started = penctl({"set", url, "--start"});
    CHECK(started.exit_code == 0);
    CHECK_THAT(started.out, Contains("needle started"));
}

TEST_CASE("an unreachable pen is a pen error, exit 1", "[penctl]") {
    const auto result = penctl({"info", "serial:///dev/penlink-no-such-port"});
    CHECK(result.exit_code == 1);
    CHECK(is_one_line_reason(result.err));
}

TEST_CASE("monitor ends with exit 1 and one line when the pen goes silent", "[penctl]") {
    ChildProcess sim(PENLINK_SIM_PATH, {"--tcp", "0", "--quiet", "--silent-after-ms", "300"});
    REQUIRE(sim.wait_for_output("\n", std::chrono::seconds(10)));
    const std::string url = "tcp://" + sim.out().substr(4, sim.out().find('\n') - 4);

    const auto result = penctl({"monitor", url, "--duration-s", "20"});
    CHECK(result.exit_code == 1);
    CHECK_THAT(result.err, Contains("lost the connection to the pen"));
    CHECK(is_one_line_reason(result.err));
}
