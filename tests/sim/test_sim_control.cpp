// penlink-sim's fault injection and link handling, end to end through the real binary: the
// control port, scheduled commands, reboots, and what happens when the host's link closes.
#include <catch2/catch.hpp>

#ifdef PENLINK_SIM_EXE

#include <boost/asio/serial_port.hpp>

#include <thread>

#include "process_helpers.hpp"

using namespace std::chrono_literals;
using namespace penlink;
using namespace penlink::sim::test;
using boost::asio::ip::tcp;
using penlink::tooltest::ChildProcess;

namespace {

constexpr std::uint32_t bit(std::uint32_t index) { return 1u << index; }

/// A penlink-sim on TCP with a control port, and one host connection to it.
struct TcpSim {
    explicit TcpSim(std::vector<std::string> extra = {})
        : process(PENLINK_SIM_EXE, with_defaults(std::move(extra))) {
        const auto pen = announced(process, "TCP ");
        const auto control_address = announced(process, "CONTROL ");
        REQUIRE(pen);
        REQUIRE(control_address);
        endpoint = {boost::asio::ip::address_v4::loopback(), port_of(*pen)};
        control_port = port_of(*control_address);
        connect();
    }

    static std::vector<std::string> with_defaults(std::vector<std::string> extra) {
        std::vector<std::string> args{"--tcp", "0", "--control-port", "0", "--quiet"};
        args.insert(args.end(), extra.begin(), extra.end());
        return args;
    }

    void connect() {
        socket.emplace(io);
        socket->connect(endpoint);
        decoder = {};
    }

    std::optional<protocol::Message> request(const protocol::Message& message) {
        return exchange(io, *socket, decoder, ++seq, message);
    }

    bool hello() {
        const auto reply = request(protocol::Hello{});
        return reply && std::holds_alternative<protocol::HelloReply>(*reply);
    }

    bool ack(const protocol::Message& message) {
        const auto reply = request(message);
        return reply && std::holds_alternative<protocol::Ack>(*reply);
    }

    /// A Status sampled after `settle` (frames queued before then are skipped).
    std::optional<protocol::Status> status_after(std::chrono::milliseconds settle) {
        const auto start = std::chrono::steady_clock::now();
        std::optional<protocol::Status> status;
        while (std::chrono::steady_clock::now() - start < settle + 3s) {
            status = next_status(io, *socket, decoder);
            if (!status || std::chrono::steady_clock::now() - start >= settle) break;
        }
        return status;
    }

    /// How many Status frames arrive within `window`.
    std::size_t statuses_within(std::chrono::milliseconds window) {
        std::size_t count = 0;
        await_frame(
            io, *socket, decoder,
            [&](const protocol::DecodedFrame& frame) {
                if (frame.header.type == protocol::MessageType::Status) ++count;
                return false;
            },
            window);
        return count;
    }

    std::string control(const std::string& line) {
        if (!control_client) control_client.emplace(io, control_port);
        return control_client->command(line);
    }

    ChildProcess process;
    boost::asio::io_context io;
    tcp::endpoint endpoint;
    std::uint16_t control_port = 0;
    std::optional<tcp::socket> socket;
    std::optional<ControlClient> control_client;
    protocol::FrameDecoder decoder;
    std::uint16_t seq = 0;
};

void start_everything(TcpSim& sim) {
    REQUIRE(sim.ack(protocol::SetSpeed{10000}));
    REQUIRE(sim.ack(protocol::Start{}));
    protocol::SetLed led;
    led.enabled = true;
    led.wavelength_nm = 633;
    led.irradiance_dmw_cm2 = 100;
    REQUIRE(sim.ack(led));
}

}  // namespace

TEST_CASE("penlink-sim control port answers every command with one line",
          "[sim][process][control]") {
    TcpSim sim;
    CHECK(sim.control("help").rfind("ok reboot", 0) == 0);
    CHECK(sim.control("temperature 30") == "ok");
    CHECK(sim.control("heat 0") == "ok");
    CHECK(sim.control("battery 80") == "ok");
    CHECK(sim.control("drain 0") == "ok");
    CHECK(sim.control("charge off") == "ok");
    CHECK(sim.control("button 2") == "ok");
    CHECK(sim.control("cartridge remove") == "ok");
    CHECK(sim.control("cartridge insert 77 1000") == "ok");
    CHECK(sim.control("fly") == "error: unknown command 'fly'; try help");
    CHECK(sim.control("temperature hot").rfind("error: temperature: 'hot'", 0) == 0);
    CHECK(sim.control("charge maybe") == "error: charge: 'maybe' is not on or off");
    CHECK(sim.control("fault 40").rfind("error: fault: '40' is not a fault bit", 0) == 0);
    CHECK(sim.control("cartridge insert 5").rfind("error: usage: cartridge insert ID LIMIT", 0) ==
          0);
}

TEST_CASE("penlink-sim rejects a bad --at with a reason", "[sim][process][control]") {
    ChildProcess sim(PENLINK_SIM_EXE, {"--tcp", "0", "--at", "100:explode"});
    const auto finished = sim.finish(5s);
    CHECK(finished.exit_code == 2);
    CHECK(finished.err.find("unknown command 'explode'") != std::string::npos);
}

TEST_CASE("closing the TCP connection ends the session at once, without a fault",
          "[sim][process][tcp][session]") {
    TcpSim sim;
    REQUIRE(sim.hello());
    start_everything(sim);
    sim.socket->close();
    // Longer than the 500 ms watchdog: a pen still running would have latched Watchdog.
    std::this_thread::sleep_for(800ms);
    sim.connect();
    REQUIRE(sim.hello());
    REQUIRE(sim.ack(protocol::SubscribeStatus{100}));
    const auto status = sim.status_after(0ms);
    REQUIRE(status);
    CHECK(status->state == protocol::PenState::Idle);
    CHECK(status->fault_bits == 0);
    CHECK(status->led_flags == 0);
    CHECK(status->speed_actual_chz == 0);
}

TEST_CASE("closing the pty ends the session at once, and the port still works",
          "[sim][process][pty][session]") {
    ChildProcess process(PENLINK_SIM_EXE, {"--pty", "--quiet"});
    const auto path = announced(process, "PTY ");
    REQUIRE(path);
    boost::asio::io_context io;
    std::uint16_t seq = 0;
    auto ack = [&](boost::asio::serial_port& port, protocol::FrameDecoder& decoder,
                   const protocol::Message& message) {
        const auto reply = exchange(io, port, decoder, ++seq, message);
        return reply && std::holds_alternative<protocol::Ack>(*reply);
    };
    {
        boost::asio::serial_port port(io, *path);
        protocol::FrameDecoder decoder;
        REQUIRE(exchange(io, port, decoder, ++seq, protocol::Hello{}));
        REQUIRE(ack(port, decoder, protocol::SetSpeed{10000}));
        REQUIRE(ack(port, decoder, protocol::Start{}));
    }
    std::this_thread::sleep_for(800ms);  // past the watchdog
    boost::asio::serial_port port(io, *path);
    protocol::FrameDecoder decoder;
    REQUIRE(exchange(io, port, decoder, ++seq, protocol::Hello{}));
    REQUIRE(ack(port, decoder, protocol::SubscribeStatus{100}));
    const auto status = next_status(io, port, decoder);
    REQUIRE(status);
    CHECK(status->state == protocol::PenState::Idle);
    CHECK(status->fault_bits == 0);
    CHECK(status->speed_actual_chz == 0);
}

TEST_CASE("control: temperature and heat raise over-temperature, cooling lets it clear",
          "[sim][process][control]") {
    TcpSim sim;
    REQUIRE(sim.hello());
    REQUIRE(sim.ack(protocol::SubscribeStatus{100}));
    REQUIRE(sim.control("heat 50") == "ok");  // 25 C to past 50 C in well under a second
    auto status = sim.status_after(1500ms);
    REQUIRE(status);
    CHECK((status->fault_bits & bit(protocol::kFaultOverTemperature)) != 0);
    CHECK(status->state == protocol::PenState::Fault);
    REQUIRE(sim.control("heat 0") == "ok");
    REQUIRE(sim.control("temperature 30") == "ok");
    CHECK(sim.ack(protocol::ClearFaults{}));
}

TEST_CASE("control: a drained battery goes critical, the charger recovers it",
          "[sim][process][control]") {
    TcpSim sim({"--battery-pct", "8", "--drain", "20"});
    REQUIRE(sim.hello());
    REQUIRE(sim.ack(protocol::SubscribeStatus{100}));
    auto status = sim.status_after(500ms);
    REQUIRE(status);
    CHECK((status->fault_bits & bit(protocol::kFaultBatteryCritical)) != 0);
    const auto refused = sim.request(protocol::ClearFaults{});
    REQUIRE(refused);
    CHECK(std::holds_alternative<protocol::Nack>(*refused));
    REQUIRE(sim.control("drain 0") == "ok");
    REQUIRE(sim.control("charge on") == "ok");
    CHECK(sim.ack(protocol::ClearFaults{}));
    // Charged up before the charger goes: a battery still below critical without it would
    // latch the fault again at the next physics step.
    REQUIRE(sim.control("battery 90") == "ok");
    REQUIRE(sim.control("charge off") == "ok");
    status = sim.status_after(100ms);
    REQUIRE(status);
    CHECK(status->battery_pct >= 89);
    CHECK(status->fault_bits == 0);
}

TEST_CASE("control: faults, the e-stop button and the cartridge act like the hardware",
          "[sim][process][control]") {
    TcpSim sim;
    REQUIRE(sim.hello());
    REQUIRE(sim.ack(protocol::SubscribeStatus{100}));
    REQUIRE(sim.control("fault 8") == "ok");
    auto status = sim.status_after(50ms);
    REQUIRE(status);
    CHECK(status->fault_bits == bit(protocol::kFaultInjected));
    REQUIRE(sim.ack(protocol::ClearFaults{}));
    REQUIRE(sim.control("estop-button") == "ok");
    status = sim.status_after(50ms);
    REQUIRE(status);
    CHECK(status->state == protocol::PenState::EmergencyStopped);
    REQUIRE(sim.ack(protocol::ClearEmergencyStop{}));
    REQUIRE(sim.control("cartridge remove") == "ok");
    status = sim.status_after(50ms);
    REQUIRE(status);
    CHECK(status->cartridge_id == 0);
    REQUIRE(sim.control("cartridge insert 4242 500") == "ok");
    status = sim.status_after(50ms);
    REQUIRE(status);
    CHECK(status->cartridge_id == 4242);
    CHECK(status->cartridge_stroke_limit == 500);
}

TEST_CASE("control: reboot behind a persistent link loses all state",
          "[sim][process][control][reboot]") {
    TcpSim sim;
    REQUIRE(sim.hello());
    REQUIRE(sim.ack(protocol::SetDepth{1500}));
    start_everything(sim);
    REQUIRE(sim.ack(protocol::SubscribeStatus{100}));
    auto status = sim.status_after(300ms);
    REQUIRE(status);
    REQUIRE(status->state == protocol::PenState::Running);

    REQUIRE(sim.control("reboot") == "ok");
    // The subscription died with the old boot: after the frames already on their way, silence.
    CHECK(sim.statuses_within(200ms) <= 25);
    CHECK(sim.statuses_within(300ms) == 0);
    REQUIRE(sim.hello());  // the same connection reaches the new boot
    REQUIRE(sim.ack(protocol::SubscribeStatus{100}));
    status = sim.status_after(0ms);
    REQUIRE(status);
    CHECK(status->state == protocol::PenState::Idle);
    CHECK(status->depth_set_um == 0);    // set points back to their power-on values
    CHECK(status->timestamp_ms < 2000);  // uptime starts again
    CHECK(status->led_flags == 0);
    CHECK(status->fault_bits == 0);
}

TEST_CASE("control: reboot-link-down drops the connection and refuses until the pen is back",
          "[sim][process][control][reboot]") {
    TcpSim sim;
    REQUIRE(sim.hello());
    REQUIRE(sim.control("reboot-link-down 700") == "ok");
    // The host sees its connection close.
    CHECK_FALSE(sim.request(protocol::Heartbeat{}).has_value());
    // While the pen is off, a connection is closed at once.
    sim.connect();
    CHECK_FALSE(sim.hello());
    std::this_thread::sleep_for(800ms);
    sim.connect();
    CHECK(sim.hello());
}

TEST_CASE("control: reboot-link-down on a pty keeps the port, the pen deaf until it is back",
          "[sim][process][control][reboot][pty]") {
    ChildProcess process(PENLINK_SIM_EXE, {"--pty", "--control-port", "0", "--quiet"});
    const auto path = announced(process, "PTY ");
    const auto control_address = announced(process, "CONTROL ");
    REQUIRE(path);
    REQUIRE(control_address);
    boost::asio::io_context io;
    boost::asio::serial_port port(io, *path);
    ControlClient control(io, port_of(*control_address));
    protocol::FrameDecoder decoder;
    const auto first = exchange(io, port, decoder, 1, protocol::Hello{});
    REQUIRE(first);
    REQUIRE(control.command("reboot-link-down 500") == "ok");
    CHECK(control.command("battery 50") == "error: the pen is off (rebooting)");
    // Sent while the pen is off: never answered, not even after it is back.
    CHECK_FALSE(exchange(io, port, decoder, 2, protocol::Heartbeat{}).has_value());
    const auto second = exchange(io, port, decoder, 3, protocol::Hello{});
    REQUIRE(second);
    CHECK(std::get<protocol::HelloReply>(*second).boot_id !=
          std::get<protocol::HelloReply>(*first).boot_id);
}

TEST_CASE("penlink-sim --at runs control commands on schedule", "[sim][process][control]") {
    TcpSim sim({"--at", "300:fault 9", "--at", "400:temperature 35"});
    REQUIRE(sim.hello());
    REQUIRE(sim.ack(protocol::SubscribeStatus{100}));
    const auto status = sim.status_after(600ms);
    REQUIRE(status);
    CHECK(status->fault_bits == bit(protocol::kFaultDepthActuator));
    CHECK(status->temperature_cdeg >= 3400);
}

TEST_CASE("penlink-sim --console reads commands from stdin and answers each on stdout",
          "[sim][process][control]") {
    // A pipe is the console (exec: the child is the sim itself, so the test can stop it); the
    // pen keeps running after stdin ends.
    ChildProcess sim(
        "/bin/bash",
        {"-c", std::string("exec ") + PENLINK_SIM_EXE +
                   " --tcp 0 --console --quiet < <(printf 'battery 50\\nfly\\n\\nhelp\\n')"});
    REQUIRE(sim.wait_for_output("ok reboot", 5s));
    const std::string& out = sim.out();
    CHECK(out.rfind("TCP 127.0.0.1:", 0) == 0);
    CHECK(out.find("\nok\nerror: unknown command 'fly'; try help\nok reboot") != std::string::npos);
}

#endif  // PENLINK_SIM_EXE
