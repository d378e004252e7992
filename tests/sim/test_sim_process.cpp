// The real penlink-sim binary: pty and TCP, a real host-side port, clean shutdown.
#include <catch2/catch.hpp>

#ifdef PENLINK_SIM_EXE

#include <array>
#include <chrono>
#include <optional>
#include <string>
#include <thread>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/serial_port.hpp>
#include <boost/asio/write.hpp>

#include "child_process.hpp"
#include "process_helpers.hpp"
#include "protocol/frame.hpp"

using namespace std::chrono_literals;
using namespace penlink;
using penlink::sim::test::exchange;
using penlink::tooltest::ChildProcess;

namespace {

/// penlink-sim's first stdout line ("PTY ..." / "TCP ..."), or nullopt if none within 5 s.
std::optional<std::string> announcement(ChildProcess& sim) {
    if (!sim.wait_for_output("\n", 5s)) return std::nullopt;
    return sim.out().substr(0, sim.out().find('\n'));
}

/// Sends signal and returns the exit code (-1: killed by a signal or not gone within 5 s).
int stop_with(ChildProcess& sim, int signal) {
    sim.send_signal(signal);
    return sim.finish(5s).exit_code;
}

template <typename Stream>
void check_hello_and_info(boost::asio::io_context& io, Stream& stream, std::uint16_t first_seq) {
    protocol::FrameDecoder decoder;
    const auto hello = exchange(io, stream, decoder, first_seq, protocol::Hello{});
    REQUIRE(hello);
    REQUIRE(std::holds_alternative<protocol::HelloReply>(*hello));
    const auto info = exchange(io, stream, decoder, static_cast<std::uint16_t>(first_seq + 1),
                               protocol::GetInfo{});
    REQUIRE(info);
    REQUIRE(std::holds_alternative<protocol::Info>(*info));
    CHECK(std::get<protocol::Info>(*info).model == "PL-SIM-1");
    CHECK(std::get<protocol::Info>(*info).serial == "SIM000001");
}

}  // namespace

TEST_CASE("penlink-sim serves a pen on a pseudo-terminal", "[sim][process][pty]") {
    ChildProcess sim(PENLINK_SIM_EXE, {"--pty", "--quiet"});
    REQUIRE(sim.pid() > 0);
    const auto line = announcement(sim);
    REQUIRE(line);
    REQUIRE(line->rfind("PTY /dev/", 0) == 0);
    const std::string path = line->substr(4);

    boost::asio::io_context io;
    {
        boost::asio::serial_port port(io, path);
        check_hello_and_info(io, port, 1);
    }
    // The host closed the port; reopening the same path still reaches the pen.
    {
        boost::asio::serial_port port(io, path);
        check_hello_and_info(io, port, 1);
    }
    CHECK(stop_with(sim, SIGTERM) == 0);
}

TEST_CASE("penlink-sim keeps answering a host that stopped reading a fast stream",
          "[sim][process][pty]") {
    ChildProcess sim(PENLINK_SIM_EXE, {"--pty", "--quiet"});
    const auto line = announcement(sim);
    REQUIRE(line);
    const std::string path = line->substr(4);
    boost::asio::io_context io;
    {
        boost::asio::serial_port port(io, path);
        protocol::FrameDecoder decoder;
        REQUIRE(exchange(io, port, decoder, 1, protocol::Hello{}));
        const auto subscribed = exchange(io, port, decoder, 2, protocol::SubscribeStatus{20000});
        REQUIRE(subscribed);
        REQUIRE(std::holds_alternative<protocol::Ack>(*subscribed));
        // Not reading: the pty fills up and the sim must drop status, not block.
        std::this_thread::sleep_for(500ms);
        const auto heartbeat = exchange(io, port, decoder, 3, protocol::Heartbeat{});
        REQUIRE(heartbeat);
        CHECK(std::holds_alternative<protocol::Ack>(*heartbeat));
    }
    // Closed while streaming; a new host still gets through the stale bytes to the pen.
    {
        boost::asio::serial_port port(io, path);
        check_hello_and_info(io, port, 1);
    }
    CHECK(stop_with(sim, SIGTERM) == 0);
}

TEST_CASE("penlink-sim serves a pen on TCP, one client after another", "[sim][process][tcp]") {
    ChildProcess sim(PENLINK_SIM_EXE, {"--tcp", "0", "--quiet"});
    REQUIRE(sim.pid() > 0);
    const auto line = announcement(sim);
    REQUIRE(line);
    REQUIRE(line->rfind("TCP 127.0.0.1:", 0) == 0);
    const auto port = static_cast<std::uint16_t>(std::stoi(line->substr(14)));
    REQUIRE(port != 0);

    boost::asio::io_context io;
    const boost::asio::ip::tcp::endpoint endpoint(boost::asio::ip::address_v4::loopback(), port);
    {
        boost::asio::ip::tcp::socket socket(io);
        socket.connect(endpoint);
        check_hello_and_info(io, socket, 1);
    }
    {
        boost::asio::ip::tcp::socket socket(io);
        socket.connect(endpoint);
        check_hello_and_info(io, socket, 1);  // same seqs: a new client starts afresh
    }
    CHECK(stop_with(sim, SIGINT) == 0);
}

TEST_CASE("penlink-sim rejects bad options with a reason and exit code 2", "[sim][process]") {
    ChildProcess sim(PENLINK_SIM_EXE, {"--tcp", "0", "--watchdog-ms", "1"});
    REQUIRE(sim.pid() > 0);
    const auto bad_value = sim.finish(5s);
    CHECK(bad_value.err.find("watchdog_ms=1") != std::string::npos);
    CHECK(bad_value.exit_code == 2);

    ChildProcess unknown(PENLINK_SIM_EXE, {"--colour", "red"});
    const auto bad_option = unknown.finish(5s);
    CHECK(bad_option.err.find("--colour") != std::string::npos);
    CHECK(bad_option.exit_code == 2);
}

TEST_CASE("penlink-sim honours the shape options", "[sim][process]") {
    ChildProcess sim(PENLINK_SIM_EXE, {"--tcp", "0", "--quiet", "--model", "PL-TEST", "--no-rf",
                                       "--depth-max-mm", "2.5", "--set", "serial=XYZ"});
    const auto line = announcement(sim);
    REQUIRE(line);
    const auto port = static_cast<std::uint16_t>(std::stoi(line->substr(14)));
    boost::asio::io_context io;
    boost::asio::ip::tcp::socket socket(io);
    socket.connect({boost::asio::ip::address_v4::loopback(), port});
    protocol::FrameDecoder decoder;
    REQUIRE(exchange(io, socket, decoder, 1, protocol::Hello{}));
    const auto info = exchange(io, socket, decoder, 2, protocol::GetInfo{});
    REQUIRE(info);
    const auto& got = std::get<protocol::Info>(*info);
    CHECK(got.model == "PL-TEST");
    CHECK(got.serial == "XYZ");
    CHECK(got.depth_max_um == 2500);
    CHECK((got.addons & protocol::kAddonRf) == 0);
    CHECK(stop_with(sim, SIGTERM) == 0);
}

#endif  // PENLINK_SIM_EXE
