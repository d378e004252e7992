// The real penlink-sim with a module written at test time: --module, discovery and the
// descriptor over TCP, set and telemetry, the module control commands, and bad files refused.
#include <catch2/catch.hpp>

#ifdef PENLINK_SIM_EXE

#include <string>

#include "module_fixtures.hpp"
#include "process_helpers.hpp"
#include "protocol/crc.hpp"

using namespace std::chrono_literals;
using namespace penlink;
using namespace penlink::sim::test;
using boost::asio::ip::tcp;
using penlink::tooltest::ChildProcess;

namespace {

struct ModuleSim {
    explicit ModuleSim(const std::vector<std::string>& extra)
        : process(PENLINK_SIM_EXE, args(extra)), socket(io) {
        const auto pen = announced(process, "TCP ");
        const auto control_address = announced(process, "CONTROL ");
        REQUIRE(pen);
        REQUIRE(control_address);
        socket.connect({boost::asio::ip::address_v4::loopback(), port_of(*pen)});
        control.emplace(io, port_of(*control_address));
    }

    static std::vector<std::string> args(const std::vector<std::string>& extra) {
        std::vector<std::string> all{"--tcp", "0", "--control-port", "0", "--quiet"};
        all.insert(all.end(), extra.begin(), extra.end());
        return all;
    }

    template <typename Reply>
    Reply ask(const protocol::Message& message) {
        const auto reply = exchange(io, socket, decoder, ++seq, message);
        REQUIRE(reply);
        REQUIRE(std::holds_alternative<Reply>(*reply));
        return std::get<Reply>(*reply);
    }

    std::optional<protocol::Event> next_event(protocol::EventKind kind) {
        const auto frame = await_frame(io, socket, decoder, [&](const protocol::DecodedFrame& f) {
            const auto* event = std::get_if<protocol::Event>(&f.message);
            return event != nullptr && event->kind == kind;
        });
        if (!frame) return std::nullopt;
        return std::get<protocol::Event>(frame->message);
    }

    ChildProcess process;
    boost::asio::io_context io;
    tcp::socket socket;
    std::optional<ControlClient> control;
    protocol::FrameDecoder decoder;
    std::uint16_t seq = 0;
};

}  // namespace

TEST_CASE("penlink-sim --module hosts a module no source file knows", "[sim][process][modules]") {
    TempFile file(suction_descriptor());
    ModuleSim sim({"--module", file.path()});
    sim.ask<protocol::HelloReply>(protocol::Hello{});

    const auto modules = sim.ask<protocol::Modules>(protocol::GetModules{});
    REQUIRE(modules.count == 1);
    const auto entry = modules.modules[0];
    CHECK(entry.slot == 1);
    CHECK(entry.vendor_id == 4660);
    REQUIRE(entry.descriptor_size == suction_descriptor().size());

    std::string bytes;
    while (bytes.size() < entry.descriptor_size) {
        const auto chunk = sim.ask<protocol::DescriptorChunk>(
            protocol::ReadDescriptor{1, static_cast<std::uint16_t>(bytes.size()), 192});
        bytes.append(chunk.bytes.begin(), chunk.bytes.begin() + chunk.length);
    }
    CHECK(bytes == suction_descriptor());
    CHECK(protocol::crc32({reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()}) ==
          entry.descriptor_crc);

    sim.ask<protocol::Ack>(set_params(1, {{kPumpOn, 1}, {kVacuum, 400}}));
    const auto refused = sim.ask<protocol::Nack>(set_params(1, {{kVacuum, 900}}));
    CHECK(refused.reason == protocol::NackReason::OutOfRange);
    CHECK(refused.param_id == kVacuum);
    CHECK(refused.limit == 800);

    sim.ask<protocol::Ack>(protocol::SubscribeStatus{50});
    std::optional<std::int32_t> vacuum;
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    while (std::chrono::steady_clock::now() < deadline) {  // tau 0.5 s: 95 % within 1.5 s
        const auto status = next_status(sim.io, sim.socket, sim.decoder);
        REQUIRE(status);
        vacuum = telemetry_of(*status, 1, kVacuumChannel);
        REQUIRE(vacuum);
        if (*vacuum >= 380) break;
    }
    CHECK(*vacuum >= 380);
    CHECK(*vacuum <= 400);

    // Control channel: detach sends an event and the module is gone; attach brings one back.
    CHECK(sim.control->command("module detach 1") == "ok");
    const auto detached = sim.next_event(protocol::EventKind::ModuleDetached);
    REQUIRE(detached);
    CHECK(detached->detail == 1);
    CHECK(sim.ask<protocol::Modules>(protocol::GetModules{}).count == 0);
    CHECK(sim.control->command("module detach 1").rfind("error: no module in slot 1", 0) == 0);
    CHECK(sim.control->command("module attach " + file.path()) == "ok slot 1");
    const auto attached = sim.next_event(protocol::EventKind::ModuleAttached);
    REQUIRE(attached);
    CHECK(attached->detail == 1);

    // corrupt-chunk: the next chunk differs from the file in one byte, the one after is right.
    CHECK(sim.control->command("module corrupt-chunk 1 1") == "ok");
    const auto bad = sim.ask<protocol::DescriptorChunk>(protocol::ReadDescriptor{1, 0, 150});
    const auto good = sim.ask<protocol::DescriptorChunk>(protocol::ReadDescriptor{1, 0, 150});
    CHECK(std::string(bad.bytes.begin(), bad.bytes.begin() + bad.length) != bytes.substr(0, 150));
    CHECK(std::string(good.bytes.begin(), good.bytes.begin() + good.length) ==
          bytes.substr(0, 150));
    CHECK(sim.control->command("module attach /no/such.json").rfind("error: ", 0) == 0);
    CHECK(sim.control->command("help").find("module attach FILE") != std::string::npos);
}

TEST_CASE("penlink-sim --module-store 0 reports descriptor_size 0", "[sim][process][modules]") {
    TempFile file(suction_descriptor());
    ModuleSim sim({"--module", file.path(), "--module-store", "0"});
    sim.ask<protocol::HelloReply>(protocol::Hello{});
    const auto modules = sim.ask<protocol::Modules>(protocol::GetModules{});
    REQUIRE(modules.count == 1);
    CHECK(modules.modules[0].descriptor_size == 0);
}

TEST_CASE("penlink-sim refuses a bad module file naming the file and field",
          "[sim][process][modules]") {
    TempFile file(suction_descriptor(R"({"telemetry": {"heat_j": {"tau_s": -1}}})"));
    ChildProcess sim(PENLINK_SIM_EXE, {"--tcp", "0", "--module", file.path()});
    const auto finished = sim.finish(5s);
    CHECK(finished.exit_code == 2);
    CHECK_THAT(finished.err,
               Catch::Contains(file.path()) &&
                   Catch::Contains("simulation.telemetry.heat_j: tau_s -1 must be > 0"));
}

#endif  // PENLINK_SIM_EXE
