// SimDevice end to end: encoded frames in through receive(), decoded frames out of the send
// callback, on a real io_context.
#include <catch2/catch.hpp>

#include <array>

#include "device_harness.hpp"

using namespace std::chrono_literals;
using namespace penlink;
using namespace penlink::sim;
using namespace penlink::sim::test;

namespace {

bool is_ack(const std::optional<protocol::Message>& reply) {
    return reply && std::holds_alternative<protocol::Ack>(*reply);
}

std::optional<protocol::Status> last_status(const DeviceHarness& harness) {
    const auto statuses = harness.received<protocol::Status>();
    if (statuses.empty()) return std::nullopt;
    return statuses.back();
}

}  // namespace

TEST_CASE("device answers Hello and GetInfo, echoing the request's seq", "[sim][device]") {
    DeviceHarness harness;
    harness.send(41, protocol::Hello{});
    auto hello = harness.reply_to(41);
    REQUIRE(hello);
    REQUIRE(std::holds_alternative<protocol::HelloReply>(*hello));
    CHECK(std::get<protocol::HelloReply>(*hello).version == protocol::kProtocolVersion);

    harness.send(42, protocol::GetInfo{});
    auto info = harness.reply_to(42);
    REQUIRE(info);
    REQUIRE(std::holds_alternative<protocol::Info>(*info));
    CHECK(std::get<protocol::Info>(*info) == default_sim_config().info);
    CHECK(harness.bad_frames == 0);
}

TEST_CASE("a repeated request is answered again but applied once", "[sim][device][dedup]") {
    DeviceHarness harness;
    harness.device.start();
    harness.open_session();
    REQUIRE(is_ack(harness.request(protocol::SubscribeStatus{1000})));
    harness.send(100, protocol::SetDepth{1000});
    harness.send(101, protocol::SetDepth{2000});
    const std::size_t before = harness.frames.size();
    harness.send(100, protocol::SetDepth{1000});  // a retry of seq 100
    REQUIRE(harness.frames.size() == before + 1);
    CHECK(harness.frames.back().header.seq == 100);
    CHECK(std::holds_alternative<protocol::Ack>(harness.frames.back().message));

    const std::uint32_t seen =
        static_cast<std::uint32_t>(harness.received<protocol::Status>().size());
    REQUIRE(
        harness.run_until([&] { return harness.received<protocol::Status>().size() > seen + 2; }));
    CHECK(last_status(harness)->depth_set_um == 2000);  // the retry did not apply 1000 again

    // A refused request is remembered too, with the same Nack.
    harness.send(102, protocol::SetDepth{9999});
    const auto first = harness.reply_to(102);
    harness.send(102, protocol::SetDepth{9999});
    CHECK(harness.reply_to(102) == first);

    // Hello starts a new session: seq 100 is a new request again.
    harness.send(1, protocol::Hello{});
    harness.send(100, protocol::SetDepth{1000});
    harness.send(101, protocol::SubscribeStatus{1000});  // every Hello stops the stream
    const std::size_t count = harness.received<protocol::Status>().size();
    REQUIRE(
        harness.run_until([&] { return harness.received<protocol::Status>().size() > count + 2; }));
    CHECK(last_status(harness)->depth_set_um == 1000);
}

TEST_CASE("reset_link forgets remembered replies", "[sim][device][dedup]") {
    DeviceHarness harness;
    harness.open_session();
    harness.send(7, protocol::SetSpeed{10000});
    harness.send(8, protocol::Start{});
    harness.send(9, protocol::Stop{});
    harness.device.reset_link();
    const std::size_t before = harness.received<protocol::Ack>().size();
    harness.send(8, protocol::Start{});  // a new host reusing seq 8: applied, not replayed
    CHECK(harness.received<protocol::Ack>().size() == before + 1);
    harness.send(10, protocol::EmergencyStop{});
    CHECK(harness.received<protocol::Event>().back().kind == protocol::EventKind::EmergencyStopped);
}

TEST_CASE("status streams at the subscribed rate with consecutive numbers",
          "[sim][device][status]") {
    for (const std::uint16_t rate :
         {std::uint16_t{50}, std::uint16_t{1000}, std::uint16_t{20000}}) {
        DYNAMIC_SECTION("rate " << rate << " Hz") {
            DeviceHarness harness;
            harness.device.start();
            harness.open_session();
            REQUIRE(is_ack(harness.request(protocol::SubscribeStatus{rate})));
            harness.run_for(300ms);
            const auto statuses = harness.received<protocol::Status>();
            REQUIRE(statuses.size() >= 5);
            for (std::size_t i = 1; i < statuses.size(); ++i) {
                REQUIRE(statuses[i].status_seq == statuses[i - 1].status_seq + 1);
                REQUIRE(statuses[i].timestamp_ms >= statuses[i - 1].timestamp_ms);
            }
            // Frames carry their due times, so count and time span agree exactly (within the
            // millisecond rounding of the timestamps), however the scheduler jittered: a late
            // wake sends every frame due since. Only a stall longer than the device catches up
            // on (kMaxCatchUpUs, 200 ms) makes it skip the frames it missed and start its
            // timetable again, which shows as a gap of more than a period in the timestamps. So
            // count and span agree within each stretch between such gaps.
            const double period_ms = 1000.0 / rate;
            double expected = 1;
            int stretches = 1;
            for (std::size_t i = 1; i < statuses.size(); ++i) {
                const double gap_ms = statuses[i].timestamp_ms - statuses[i - 1].timestamp_ms;
                if (gap_ms > period_ms + 1) {
                    ++stretches;
                    expected += 1;
                } else {
                    expected += gap_ms / period_ms;
                }
            }
            INFO(statuses.size() << " frames, " << expected << " expected, in " << stretches
                                 << " stretches");
            const double rounding = stretches * (rate / 1000.0 + 1);
            CHECK(static_cast<double>(statuses.size()) >= expected - rounding);
            CHECK(static_cast<double>(statuses.size()) <= expected + rounding);
            CHECK(harness.bad_frames == 0);

            // Unsubscribing stops the stream.
            REQUIRE(is_ack(harness.request(protocol::SubscribeStatus{0})));
            const std::size_t stopped_at = harness.received<protocol::Status>().size();
            harness.run_for(50ms);
            CHECK(harness.received<protocol::Status>().size() == stopped_at);
        }
    }
}

TEST_CASE("events go out as they happen, numbered with the status frames",
          "[sim][device][events]") {
    DeviceHarness harness;
    harness.device.press_button(1);
    harness.device.remove_cartridge();
    harness.device.insert_cartridge(555, 100);
    harness.device.inject_fault(protocol::kFaultMotorStall);
    const auto events = harness.received<protocol::Event>();
    REQUIRE(events.size() == 4);
    CHECK((events[0].kind == protocol::EventKind::ButtonPressed && events[0].detail == 1));
    CHECK((events[1].kind == protocol::EventKind::CartridgeRemoved && events[1].detail == 1001));
    CHECK((events[2].kind == protocol::EventKind::CartridgeInserted && events[2].detail == 555));
    CHECK((events[3].kind == protocol::EventKind::FaultRaised &&
           events[3].detail == protocol::kFaultMotorStall));
    for (std::size_t i = 1; i < harness.frames.size(); ++i) {
        CHECK(harness.frames[i].header.seq == harness.frames[i - 1].header.seq + 1);
    }
}

TEST_CASE("device watchdog stops a pen whose host went quiet", "[sim][device][watchdog]") {
    SimConfig config = default_sim_config();
    config.info.watchdog_ms = 50;
    DeviceHarness harness(config);
    harness.device.start();
    harness.open_session();
    REQUIRE(is_ack(harness.request(protocol::Start{})));
    REQUIRE(harness.run_until([&] {
        for (const auto& event : harness.received<protocol::Event>()) {
            if (event.kind == protocol::EventKind::WatchdogExpired) return true;
        }
        return false;
    }));
    CHECK(harness.received<protocol::Event>().front().detail == 50);
    const auto refused = harness.request(protocol::Start{});
    REQUIRE(refused);
    CHECK(std::get<protocol::Nack>(*refused).reason == protocol::NackReason::FaultActive);
}

TEST_CASE("fault injection: fault, dropped link, silence", "[sim][device][inject]") {
    SECTION("fault_after_ms raises the injected fault") {
        SimConfig config = default_sim_config();
        config.fault_after_ms = 30;
        DeviceHarness harness(config);
        harness.device.start();
        REQUIRE(harness.run_until([&] { return !harness.received<protocol::Event>().empty(); }));
        const auto event = harness.received<protocol::Event>().front();
        CHECK(event.kind == protocol::EventKind::FaultRaised);
        CHECK(event.detail == protocol::kFaultInjected);
        CHECK(event.timestamp_ms >= 30);
    }
    SECTION("drop_link_after_ms calls the drop handler once") {
        SimConfig config = default_sim_config();
        config.drop_link_after_ms = 30;
        DeviceHarness harness(config);
        int drops = 0;
        harness.device.on_drop_link([&] { ++drops; });
        harness.device.start();
        REQUIRE(harness.run_until([&] { return drops > 0; }));
        harness.run_for(50ms);
        CHECK(drops == 1);
    }
    SECTION("silent_after_ms stops answering") {
        SimConfig config = default_sim_config();
        config.silent_after_ms = 30;
        DeviceHarness harness(config);
        harness.device.start();
        harness.open_session();
        REQUIRE(is_ack(harness.request(protocol::Heartbeat{})));
        harness.run_for(100ms);
        const std::size_t before = harness.frames.size();
        CHECK_FALSE(harness.request(protocol::Heartbeat{}));
        harness.run_for(20ms);
        CHECK(harness.frames.size() == before);
    }
}

TEST_CASE("garbage never crashes the device and valid frames still work", "[sim][device][noise]") {
    DeviceHarness harness;
    // Deterministic junk, zeros included so the decoder sees many bogus "frames".
    std::array<std::uint8_t, 4096> junk{};
    std::uint32_t state = 12345;
    for (auto& byte : junk) {
        state = state * 1664525u + 1013904223u;
        byte = static_cast<std::uint8_t>(state >> 24);
    }
    harness.device.receive(junk);
    CHECK(harness.device.decode_errors() > 0);

    // A frame with a flipped payload bit fails its CRC and is ignored.
    auto corrupted = protocol::encode_frame(5, protocol::SetDepth{1000});
    REQUIRE(corrupted);
    corrupted->bytes[4] ^= 0x01;
    const auto errors_before = harness.device.decode_errors();
    const std::array<std::uint8_t, 1> delimiter{0};
    harness.device.receive(delimiter);  // end whatever partial frame the junk left
    harness.device.receive(corrupted->view());
    CHECK(harness.device.decode_errors() > errors_before);
    CHECK_FALSE(harness.reply_to(5));

    // An oversized run without delimiter is dropped too.
    std::array<std::uint8_t, 1000> long_run{};
    long_run.fill(0x55);
    harness.device.receive(long_run);
    harness.device.receive(delimiter);

    harness.send(6, protocol::Hello{});
    CHECK(harness.reply_to(6));

    // A frame arriving one byte at a time is still understood.
    auto frame = protocol::encode_frame(7, protocol::GetInfo{});
    REQUIRE(frame);
    for (std::size_t i = 0; i < frame->size; ++i) harness.device.receive({&frame->bytes[i], 1});
    auto info = harness.reply_to(7);
    REQUIRE(info);
    CHECK(std::holds_alternative<protocol::Info>(*info));
}

TEST_CASE("stop() silences the device", "[sim][device]") {
    DeviceHarness harness;
    harness.device.start();
    harness.open_session();
    REQUIRE(is_ack(harness.request(protocol::SubscribeStatus{100})));
    harness.run_for(50ms);
    harness.device.stop();
    const std::size_t before = harness.frames.size();
    harness.run_for(50ms);
    harness.send(99, protocol::Heartbeat{});
    CHECK(harness.frames.size() == before);
}
