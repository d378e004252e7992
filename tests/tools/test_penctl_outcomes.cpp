// penctl tells the truth about the pen: numeric options are checked before anything is sent,
// clear-faults and clear-estop report the state the pen is really in, and a hold that ends
// because the needle stopped says why and exits 1.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "penctl_runner.hpp"

using namespace penlink::tooltest;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

namespace {

/// A penlink-sim on TCP with extra options; url() is where to reach it.
class TcpSim {
public:
    explicit TcpSim(std::vector<std::string> options)
        : process_(PENLINK_SIM_PATH, with_tcp(std::move(options))) {
        REQUIRE(process_.wait_for_output("\n", std::chrono::seconds(10)));
        REQUIRE_THAT(process_.out(), StartsWith("TCP 127.0.0.1:"));
        url_ = "tcp://" + process_.out().substr(4, process_.out().find('\n') - 4);
    }
    const std::string& url() const { return url_; }

private:
    static std::vector<std::string> with_tcp(std::vector<std::string> options) {
        options.insert(options.begin(), {"--tcp", "0", "--quiet"});
        return options;
    }
    ChildProcess process_;
    std::string url_;
};

Finished penctl_within(const std::vector<std::string>& args, std::chrono::seconds timeout) {
    return run(PENCTL_PATH, args, {}, timeout);
}

}  // namespace

TEST_CASE("numeric options outside what they can mean are usage errors naming value and limit",
          "[penctl][options]") {
    struct Case {
        std::vector<std::string> args;
        std::string option;
        std::string limit;
    };
    const std::vector<Case> cases = {
        {{"set", "sim://", "--depth-mm", "1", "--hold-s", "1e308"}, "--hold-s 1e308", "86400 s"},
        {{"set", "sim://", "--start", "--hold-s", "0"}, "--hold-s 0", "86400 s"},
        {{"set", "sim://", "--start", "--hold-s", "-1"}, "--hold-s -1", "86400 s"},
        {{"set", "sim://", "--start", "--hold-s", "nan"}, "--hold-s", "'nan'"},
        {{"set", "sim://", "--start", "--hold-s", "inf"}, "--hold-s", "'inf'"},
        {{"set", "sim://", "--depth-mm", "1e308"}, "--depth-mm 1e308", "10 mm"},
        {{"set", "sim://", "--depth-mm", "-0.5"}, "--depth-mm -0.5", "10 mm"},
        {{"set", "sim://", "--depth-mm", "nan"}, "--depth-mm", "'nan'"},
        {{"set", "sim://", "--depth-limit-mm", "-inf"}, "--depth-limit-mm", "'-inf'"},
        {{"set", "sim://", "--speed-hz", "1e9"}, "--speed-hz 1e9", "655.35 Hz"},
        {{"rf", "sim://", "--on", "--power-w", "1e308"}, "--power-w 1e308", "W"},
        {{"rf", "sim://", "--on", "--frequency-khz", "99999999"},
         "--frequency-khz 99999999",
         "65535 kHz"},
        {{"rf", "sim://", "--on", "--frequency-khz", "99999999999"},
         "--frequency-khz",
         "'99999999999'"},
        {{"rf", "sim://", "--on", "--pulse-ms", "-5"}, "--pulse-ms -5", "65535 ms"},
        {{"led", "sim://", "--on", "--irradiance-mw-cm2", "1e400"},
         "--irradiance-mw-cm2",
         "'1e400'"},
        {{"led", "sim://", "--on", "--irradiance-mw-cm2", "1e30"},
         "--irradiance-mw-cm2 1e30",
         "mW/cm2"},
        {{"led", "sim://", "--on", "--pulsed", "--rate-hz", "1e308"}, "--rate-hz 1e308", "Hz"},
        {{"led", "sim://", "--on", "--pulsed", "--rate-hz", "10", "--duty-percent", "1000"},
         "--duty-percent 1000",
         "100 %"},
        {{"led", "sim://", "--on", "--wavelength-nm", "0"}, "--wavelength-nm 0", "nm"},
        {{"monitor", "sim://", "--rate-hz", "1000000"}, "--rate-hz 1000000", "Hz"},
        {{"monitor", "sim://", "--duration-s", "1e308"}, "--duration-s 1e308", "86400 s"},
        {{"demo", "--duration-s", "1e308"}, "--duration-s 1e308", "86400 s"},
    };
    for (const auto& c : cases) {
        std::string typed;
        for (const auto& arg : c.args) typed += arg + " ";
        INFO("penctl " << typed);
        const auto result = penctl_within(c.args, std::chrono::seconds(20));
        CHECK_FALSE(result.timed_out);
        CHECK(result.exit_code == 2);
        CHECK(is_one_line_reason(result.err));
        CHECK_THAT(result.err, Contains(c.option) && Contains(c.limit));
        CHECK(result.out.empty());  // nothing was sent to a pen
    }
}

TEST_CASE("clear-faults clears a latched fault and says none remain", "[penctl][faults]") {
    TcpSim sim({"--fault-after-ms", "200"});
    std::this_thread::sleep_for(std::chrono::milliseconds(600));
    const auto refused = penctl({"set", sim.url(), "--start"});
    REQUIRE(refused.exit_code == 1);
    CHECK_THAT(refused.err, Contains("fault"));

    const auto cleared = penctl({"clear-faults", sim.url()});
    CHECK(cleared.exit_code == 0);
    CHECK_THAT(cleared.out, Contains("faults cleared") && Contains("the pen is idle"));
    CHECK(penctl({"set", sim.url(), "--start"}).exit_code == 0);
}

TEST_CASE("clear-faults names the faults that remain and exits 1", "[penctl][faults]") {
    TcpSim sim({});
    REQUIRE(penctl({"estop", sim.url()}).exit_code == 0);
    const auto result = penctl({"clear-faults", sim.url()});
    CHECK(result.exit_code == 1);
    CHECK(is_one_line_reason(result.err));
    CHECK_THAT(result.err, Contains("emergency stop") && Contains("e-stopped"));
}

TEST_CASE("clear-estop prints the state the pen is really in", "[penctl][faults]") {
    TcpSim sim({"--fault-after-ms", "200"});
    std::this_thread::sleep_for(std::chrono::milliseconds(600));
    REQUIRE(penctl({"estop", sim.url()}).exit_code == 0);
    const auto result = penctl({"clear-estop", sim.url()});
    CHECK_THAT(result.out, Contains("emergency stop cleared"));
    CHECK_THAT(result.out + result.err, !Contains("the pen is idle"));
    CHECK_THAT(result.err, Contains("fault") && Contains("injected fault"));
    CHECK(result.exit_code == 1);

    TcpSim healthy({});
    REQUIRE(penctl({"estop", healthy.url()}).exit_code == 0);
    const auto idle = penctl({"clear-estop", healthy.url()});
    CHECK(idle.exit_code == 0);
    CHECK_THAT(idle.out, Contains("emergency stop cleared: the pen is idle"));
}

TEST_CASE("a hold that ends because the needle stopped says why and exits 1", "[penctl][hold]") {
    SECTION("a fault") {
        TcpSim sim({"--fault-after-ms", "1500"});
        const auto result = penctl_within(
            {"set", sim.url(), "--depth-mm", "1", "--speed-hz", "100", "--start", "--hold-s", "20"},
            std::chrono::seconds(15));
        CHECK_FALSE(result.timed_out);
        CHECK_THAT(result.out, Contains("needle started"));
        CHECK(result.exit_code == 1);
        CHECK(is_one_line_reason(result.err));
        CHECK_THAT(result.err,
                   Contains("stopped") && Contains("fault") && Contains("injected fault"));
    }
    SECTION("an exhausted cartridge") {
        TcpSim sim({"--cartridge-limit", "150"});
        const auto result =
            penctl_within({"set", sim.url(), "--speed-hz", "100", "--start", "--hold-s", "20"},
                          std::chrono::seconds(15));
        CHECK_FALSE(result.timed_out);
        CHECK(result.exit_code == 1);
        CHECK_THAT(result.err, Contains("cartridge exhausted"));
    }
    SECTION("the link dropping") {
        TcpSim sim({"--drop-link-after-ms", "1500"});
        const auto result = penctl_within({"set", sim.url(), "--start", "--hold-s", "20"},
                                          std::chrono::seconds(15));
        CHECK_FALSE(result.timed_out);
        CHECK(result.exit_code == 1);
        CHECK(is_one_line_reason(result.err));
        CHECK_THAT(result.err, Contains("connection"));
    }
    SECTION("a hold that runs out with the needle running is fine") {
        const auto result =
            penctl_within({"set", "sim://", "--speed-hz", "100", "--start", "--hold-s", "1"},
                          std::chrono::seconds(15));
        CHECK(result.exit_code == 0);
        CHECK(result.err.empty());
    }
}

TEST_CASE("monitor fits 80 columns and names the faults however many there are",
          "[penctl][faults]") {
    TcpSim sim({"--fault-after-ms", "300"});
    REQUIRE(penctl({"estop", sim.url()}).exit_code == 0);  // a second fault: the e-stop
    const auto result = penctl({"monitor", sim.url(), "--duration-s", "1.5", "--rate-hz", "10"});
    REQUIRE(result.exit_code == 0);
    std::size_t start = 0;
    int status_lines = 0;
    while (start < result.out.size()) {
        const std::size_t end = result.out.find('\n', start);
        const std::string line = result.out.substr(start, end - start);
        INFO(line);
        CHECK(line.size() <= 80);
        if (line.find("depth ") != std::string::npos) {
            ++status_lines;
            CHECK_THAT(line, Contains("faults "));
        }
        if (end == std::string::npos) break;
        start = end + 1;
    }
    CHECK(status_lines >= 3);
    CHECK_THAT(result.out,
               Contains("faults: ") && Contains("emergency stop") && Contains("injected fault"));
}

TEST_CASE("penctl drives a pen that requires authentication only with --key-file",
          "[penctl][auth]") {
    const std::string hex = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
    const auto directory = std::filesystem::temp_directory_path();
    const std::string pen_key = (directory / ("penctl-pen-" + std::to_string(::getpid()))).string();
    const std::string host_keys = pen_key + ".hosts";
    std::ofstream(pen_key) << hex << "\n";
    std::ofstream(host_keys) << "# the pens this host drives\nSIM-PENCTL " << hex << "\n";
    std::filesystem::permissions(
        pen_key, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    std::filesystem::permissions(
        host_keys, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    {
        TcpSim sim({"--serial", "SIM-PENCTL", "--key-file", pen_key});
        const auto refused = penctl({"info", sim.url()});
        CHECK(refused.exit_code == 1);
        CHECK_THAT(refused.err, Contains("requires an authenticated session") &&
                                    Contains("SIM-PENCTL") && !Contains(hex));
        const auto info = penctl({"--key-file", host_keys, "info", sim.url()});
        CHECK(info.exit_code == 0);
        CHECK_THAT(info.out, Contains("session          authenticated"));
        std::istringstream lines(info.out);
        for (std::string line; std::getline(lines, line);) CHECK(line.size() <= 80);
        CHECK(penctl({"--key-file", host_keys, "set", sim.url(), "--depth-mm", "1.0"}).exit_code ==
              0);
    }
    std::filesystem::remove(pen_key);
    std::filesystem::remove(host_keys);
}

TEST_CASE("every penctl help text fits 80 columns", "[penctl]") {
    for (const char* command :
         {"", "ports", "scan", "info", "set", "rf", "led", "monitor", "modules", "param", "estop",
          "clear-estop", "clear-faults", "demo"}) {
        INFO("penctl " << command << " --help");
        const auto help = *command == '\0' ? penctl({"--help"}) : penctl({command, "--help"});
        CHECK(help.exit_code == 0);
        std::istringstream lines(help.out);
        for (std::string line; std::getline(lines, line);) {
            INFO(line);
            CHECK(line.size() <= 80);
        }
    }
}
