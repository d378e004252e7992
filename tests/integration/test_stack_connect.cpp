// Connecting: several pens at once, and every way a connect can be refused.
#include <catch2/catch.hpp>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>

#include "penlink-sim/launcher.hpp"
#include "stack_helpers.hpp"

namespace penlink::test {
namespace {

using simtool::SimProcess;

/// A loopback TCP port with nothing listening: bind an ephemeral port, then give it back.
std::uint16_t unused_tcp_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(fd >= 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    socklen_t size = sizeof address;
    REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size) == 0);
    ::close(fd);
    return ntohs(address.sin_port);
}

TEST_CASE("two pens in one process are independent", "[stack][connect]") {
    SimProcess first_sim(PENLINK_SIM_EXE, {"--pty", "--quiet", "--serial", "SIM-A"});
    SimProcess second_sim(PENLINK_SIM_EXE,
                          {"--tcp", "0", "--quiet", "--serial", "SIM-B", "--depth-max-mm", "2.0"});
    auto first = Pen::connect(first_sim.url(), stack_options());
    auto second = Pen::connect(second_sim.url(), stack_options());
    CHECK(first->info().serial_number == "SIM-A");
    CHECK(second->info().serial_number == "SIM-B");
    CHECK(first->capabilities().depth_max_mm == Approx(3.0));
    CHECK(second->capabilities().depth_max_mm == Approx(2.0));

    first->set_depth(Depth::mm(2.5));
    CHECK_THROWS_AS(second->set_depth(Depth::mm(2.5)), OutOfRangeError);
    second->set_depth(Depth::mm(0.5));
    first->start();
    REQUIRE(wait_for_status(*first, [](const Status& s) { return s.state == PenState::Running; }));
    REQUIRE(wait_for_status(*second, [](const Status& s) {
        return s.state == PenState::Idle && s.depth_set_mm == 0.5;
    }));

    // Closing one leaves the other working.
    first->close();
    second->set_speed(Speed::hz(90));
    second->start();
    REQUIRE(wait_for_status(*second, [](const Status& s) { return s.state == PenState::Running; }));
    second->stop();
    CHECK(second->connection_state() == ConnectionState::Connected);
}

TEST_CASE("a serial port that does not exist gives a ConnectionError naming it",
          "[stack][connect]") {
    try {
        Pen::connect("serial:///dev/penlink-no-such-port", stack_options());
        FAIL("connected to a port that does not exist");
    } catch (const ConnectionError& error) {
        CHECK(error.code() == ErrorCode::ConnectionFailed);
        CHECK_THAT(error.what(), Catch::Contains("/dev/penlink-no-such-port") &&
                                     Catch::Contains("does not exist"));
    }
}

TEST_CASE("a serial port already in use gives a ConnectionError saying so", "[stack][connect]") {
    SimProcess sim(PENLINK_SIM_EXE, {"--pty", "--quiet"});
    auto first = Pen::connect(sim.url(), stack_options());
    try {
        Pen::connect(sim.url(), stack_options());
        FAIL("two pens opened the same serial port");
    } catch (const ConnectionError& error) {
        CHECK(error.code() == ErrorCode::ConnectionFailed);
        CHECK_THAT(error.what(), Catch::Contains(sim.pty_path()) && Catch::Contains("busy"));
    }
    // The first connection is untouched.
    first->set_depth(Depth::mm(1.0));
    CHECK(first->connection_state() == ConnectionState::Connected);
}

TEST_CASE("malformed URLs give InvalidArgumentError", "[stack][connect]") {
    const char* urls[] = {
        "",
        "nonsense",
        "foo://x",
        "tcp://127.0.0.1",
        "tcp://127.0.0.1:0",
        "tcp://127.0.0.1:99999",
        "tcp://:7878",
        "serial://",
        "serial:///dev/ttyUSB0?baud=fast",
        "serial:///dev/ttyUSB0?bogus=1",
        "sim://?rf",
    };
    for (const char* url : urls) {
        INFO("url: '" << url << "'");
        CHECK_THROWS_AS(Pen::connect(url, stack_options()), InvalidArgumentError);
    }
}

TEST_CASE("a TCP port with nothing listening gives ConnectionError", "[stack][connect]") {
    const std::string url = "tcp://127.0.0.1:" + std::to_string(unused_tcp_port());
    try {
        Pen::connect(url, stack_options());
        FAIL("connected to a port nobody listens on");
    } catch (const ConnectionError& error) {
        CHECK(error.code() == ErrorCode::ConnectionFailed);
        CHECK_THAT(error.what(), Catch::Contains("127.0.0.1"));
    }
}

TEST_CASE("sim:// with bad options gives InvalidArgumentError naming the option",
          "[stack][connect]") {
    CHECK_THAT(message_of<InvalidArgumentError>([] { Pen::connect("sim://?depth_max_mm=deep"); }),
               Catch::Contains("depth_max_mm"));
    CHECK_THAT(message_of<InvalidArgumentError>([] { Pen::connect("sim://?no_such_option=1"); }),
               Catch::Contains("no_such_option"));
    CHECK_THROWS_AS(Pen::connect("sim://?watchdog_ms=-5"), InvalidArgumentError);
    // And good options work in process.
    auto pen = Pen::connect("sim://?rf=0&serial=INPROC", stack_options());
    CHECK(pen->info().serial_number == "INPROC");
    CHECK_FALSE(pen->capabilities().rf.fitted);
    RfMode rf;
    rf.enabled = true;
    CHECK_THROWS_AS(pen->set_rf_mode(rf), NotSupportedError);
}

TEST_CASE("sim://?module= fits a module from a descriptor file, refusing a bad one",
          "[stack][connect][modules]") {
    // A module no source file knows, written here; telemetry rides in every Status.
    const std::string descriptor = R"({"schema": "penlink.module/1", "key": "glow",
        "name": "Glow Pad", "vendor": {"id": 77, "name": "Test"}, "model": {"id": 1},
        "parameters": [{"key": "level", "id": 32769, "type": "integer", "min": 0, "max": 9,
                        "default": 0}],
        "telemetry": [{"key": "pad_c", "id": 128, "unit": "degC", "scale": 0.1, "min": 0,
                       "max": 80}],
        "simulation": {"telemetry": {"pad_c": {"model": "constant", "offset": 31.5}}}})";
    const auto dir = std::filesystem::temp_directory_path();
    const std::string good = (dir / ("penlink-glow-" + std::to_string(::getpid()) + ".json"));
    const std::string bad = (dir / ("penlink-glow-bad-" + std::to_string(::getpid()) + ".json"));
    std::ofstream(good) << descriptor;
    std::ofstream(bad) << R"({"schema": "penlink.module/1"})";

    CHECK_THAT(message_of<InvalidArgumentError>([&] { Pen::connect("sim://?module=" + bad); }),
               Catch::Contains(bad) && Catch::Contains("missing field"));
    CHECK_THAT(message_of<InvalidArgumentError>(
                   [&] { Pen::connect("sim://?module=" + good + ",/no/such/file.json"); }),
               Catch::Contains("/no/such/file.json"));
    {
        auto pen = Pen::connect("sim://?module=" + good, stack_options());
        std::atomic<int> frames{0};
        auto subscription =
            pen->subscribe_status([&frames](const Status&) { frames.fetch_add(1); }, 100);
        CHECK(wait_until([&] { return frames.load() >= 3; }, std::chrono::seconds(3)));
    }
    std::filesystem::remove(good);
    std::filesystem::remove(bad);
}

TEST_CASE("bad connect options give InvalidArgumentError", "[stack][connect]") {
    auto options = stack_options();
    options.command_timeout = std::chrono::milliseconds(-1);
    CHECK_THROWS_AS(Pen::connect("sim://", options), InvalidArgumentError);
    options = stack_options();
    options.command_retries = -1;
    CHECK_THROWS_AS(Pen::connect("sim://", options), InvalidArgumentError);
}

}  // namespace
}  // namespace penlink::test
