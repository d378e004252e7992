// Protocol v2 at the device: the reply cache, supersession and the Stop/EmergencyStop barrier
// (docs/protocol.md section 5), exercised with the loss, retry and reordering patterns an
// audit found the v1 pen got wrong.
#include <catch2/catch.hpp>

#include "device_harness.hpp"

using namespace std::chrono_literals;
using namespace penlink;
using namespace penlink::sim;
using namespace penlink::sim::test;
using protocol::NackReason;

namespace {

bool acked(const std::optional<protocol::Message>& reply) {
    return reply && std::holds_alternative<protocol::Ack>(*reply);
}

protocol::Nack nack(const std::optional<protocol::Message>& reply) {
    REQUIRE(reply);
    REQUIRE(std::holds_alternative<protocol::Nack>(*reply));
    return std::get<protocol::Nack>(*reply);
}

/// Sends (seq, message) and returns the reply echoing seq.
std::optional<protocol::Message> send(DeviceHarness& harness, std::uint16_t seq,
                                      const protocol::Message& message) {
    const std::size_t before = harness.frames.size();
    harness.send(seq, message);
    for (std::size_t i = before; i < harness.frames.size(); ++i) {
        if (harness.frames[i].header.seq == seq &&
            harness.frames[i].header.type != protocol::MessageType::Status &&
            harness.frames[i].header.type != protocol::MessageType::Event) {
            return harness.frames[i].message;
        }
    }
    return std::nullopt;
}

void check_superseded(const std::optional<protocol::Message>& reply, protocol::MessageType type,
                      std::uint16_t newer) {
    const auto refused = nack(reply);
    CHECK(refused.request == type);
    CHECK(refused.reason == NackReason::Superseded);
    CHECK(refused.value == newer);
    CHECK(refused.limit_kind == protocol::LimitKind::None);
}

}  // namespace

TEST_CASE("audit: a resent Start lost before a newer Stop does not run the needle",
          "[sim][v2][ordering][audit]") {
    DeviceHarness harness;
    harness.open_session();
    REQUIRE(acked(send(harness, 10, protocol::SetSpeed{10000})));
    // Start seq 11 is lost on the way; Stop seq 12 arrives and is applied.
    REQUIRE(acked(send(harness, 12, protocol::Stop{})));
    // The host's retry of Start 11 arrives late: it must not start the needle.
    check_superseded(send(harness, 11, protocol::Start{}), protocol::MessageType::Start, 12);
    CHECK_FALSE(harness.device.model().running());
}

TEST_CASE("audit: a resent SetDepth lost before a newer SetDepth does not change the depth",
          "[sim][v2][ordering][audit]") {
    DeviceHarness harness;
    harness.open_session();
    // SetDepth seq 20 = 1.0 mm is lost; seq 21 = 1.5 mm is applied; then 20 is resent.
    REQUIRE(acked(send(harness, 21, protocol::SetDepth{1500})));
    check_superseded(send(harness, 20, protocol::SetDepth{1000}), protocol::MessageType::SetDepth,
                     21);
    CHECK(harness.device.model().depth_set_um() == 1500);
    // The refusal is cached like any reply: a second retry gets the same Nack, still not applied.
    check_superseded(send(harness, 20, protocol::SetDepth{1000}), protocol::MessageType::SetDepth,
                     21);
    CHECK(harness.device.model().depth_set_um() == 1500);
}

TEST_CASE("audit: 30 pipelined SetDepth with replies lost, then every resend: the newest wins",
          "[sim][v2][ordering][audit]") {
    DeviceHarness harness;
    harness.open_session();
    const std::uint16_t first = 100;
    auto depth_of = [](std::uint16_t i) { return static_cast<std::uint16_t>(100 + 50 * i); };
    // All 30 arrive, every third one is lost on its first trip; the host sees no replies.
    for (std::uint16_t i = 0; i < 30; ++i) {
        if (i % 3 != 1)
            send(harness, static_cast<std::uint16_t>(first + i), protocol::SetDepth{depth_of(i)});
    }
    CHECK(harness.device.model().depth_set_um() == depth_of(29));
    // Then it resends every one, oldest first, as its retry timers fire.
    for (std::uint16_t i = 0; i < 30; ++i) {
        const auto reply =
            send(harness, static_cast<std::uint16_t>(first + i), protocol::SetDepth{depth_of(i)});
        REQUIRE(reply);
        CHECK(harness.device.model().depth_set_um() == depth_of(29));
    }
    CHECK(harness.device.model().depth_set_um() == depth_of(29));
}

TEST_CASE("audit: a lost Start resent after many pipelined Heartbeats is applied once",
          "[sim][v2][ordering][audit]") {
    DeviceHarness harness;
    harness.open_session();
    REQUIRE(acked(send(harness, 200, protocol::SetSpeed{10000})));
    // Start 201 is lost; 40 Heartbeats follow (more than the reply cache holds).
    for (std::uint16_t seq = 202; seq < 242; ++seq) {
        REQUIRE(acked(send(harness, seq, protocol::Heartbeat{})));
    }
    // The retry of Start 201 is applied: nothing newer of its group came first.
    REQUIRE(acked(send(harness, 201, protocol::Start{})));
    CHECK(harness.device.model().running());

    // A fault stops the needle and is cleared; 40 more Heartbeats push Start out of the cache.
    harness.device.inject_fault(protocol::kFaultInjected);
    REQUIRE(acked(send(harness, 242, protocol::ClearFaults{})));
    for (std::uint16_t seq = 243; seq < 283; ++seq) {
        REQUIRE(acked(send(harness, seq, protocol::Heartbeat{})));
    }
    // Another late copy of Start 201 must not run the needle a second time.
    check_superseded(send(harness, 201, protocol::Start{}), protocol::MessageType::Start, 201);
    CHECK_FALSE(harness.device.model().running());
}

TEST_CASE("audit: an older SubscribeStatus resent after a newer one does not change the rate",
          "[sim][v2][ordering][audit]") {
    DeviceHarness harness;
    harness.open_session();
    // SubscribeStatus 300 (100 Hz) is delayed; 301 (50 Hz) arrives first.
    REQUIRE(acked(send(harness, 301, protocol::SubscribeStatus{50})));
    check_superseded(send(harness, 300, protocol::SubscribeStatus{100}),
                     protocol::MessageType::SubscribeStatus, 301);
    CHECK(harness.device.model().status_rate_hz() == 50);
}

TEST_CASE("requests that only make the pen safer are never superseded", "[sim][v2][ordering]") {
    DeviceHarness harness;
    harness.open_session();
    protocol::SetRf rf_on;
    rf_on.enabled = true;
    rf_on.frequency_khz = 1500;
    rf_on.power_mw = 1000;
    rf_on.pulse_ms = 100;
    REQUIRE(acked(send(harness, 401, rf_on)));
    REQUIRE(acked(send(harness, 402, protocol::SetSpeed{10000})));
    REQUIRE(acked(send(harness, 403, protocol::Start{})));
    // An older RF-off and an older Stop arrive late: applied all the same.
    CHECK(acked(send(harness, 400, protocol::SetRf{})));
    CHECK_FALSE(harness.device.model().rf_enabled());
    CHECK(acked(send(harness, 399, protocol::Stop{})));
    CHECK_FALSE(harness.device.model().running());
    // The late Stop did not become a barrier ahead of requests newer than it.
    CHECK(acked(send(harness, 404, protocol::Start{})));
}

TEST_CASE("Stop and EmergencyStop are a barrier for every group", "[sim][v2][ordering]") {
    DeviceHarness harness;
    harness.open_session();
    REQUIRE(acked(send(harness, 501, protocol::EmergencyStop{})));
    // Requests numbered before the e-stop, arriving after it, are not applied.
    check_superseded(send(harness, 500, protocol::ClearEmergencyStop{}),
                     protocol::MessageType::ClearEmergencyStop, 501);
    CHECK(harness.device.model().state() == protocol::PenState::EmergencyStopped);
    REQUIRE(acked(send(harness, 502, protocol::ClearEmergencyStop{})));
    REQUIRE(acked(send(harness, 503, protocol::Stop{})));
    check_superseded(send(harness, 498, protocol::SetSpeed{12000}), protocol::MessageType::SetSpeed,
                     503);
    CHECK(acked(send(harness, 504, protocol::SetSpeed{12000})));
}

TEST_CASE("Hello clears the reply cache, the group memory and the barrier",
          "[sim][v2][ordering][session]") {
    DeviceHarness harness;
    harness.open_session();
    REQUIRE(acked(send(harness, 600, protocol::Stop{})));
    REQUIRE(acked(send(harness, 601, protocol::SetDepth{1000})));
    REQUIRE(send(harness, 1, protocol::Hello{}));
    // A host that starts numbering again is neither replayed nor superseded.
    CHECK(acked(send(harness, 2, protocol::SetDepth{2000})));
    CHECK(harness.device.model().depth_set_um() == 2000);
    CHECK(acked(send(harness, 601, protocol::SetDepth{500})));
    CHECK(harness.device.model().depth_set_um() == 500);
}

TEST_CASE("a new host on the link is not measured against the old one's numbers",
          "[sim][v2][ordering][session]") {
    DeviceHarness harness;
    harness.open_session();
    REQUIRE(acked(send(harness, 900, protocol::SetDepth{1000})));
    harness.device.end_session();  // the link closed
    REQUIRE(send(harness, 1, protocol::Hello{}));
    CHECK(acked(send(harness, 2, protocol::SetDepth{2000})));
    CHECK(harness.device.model().depth_set_um() == 2000);
}

TEST_CASE("Nack Busy is never cached: the retry of the same frame is evaluated afresh",
          "[sim][v2][ordering]") {
    DeviceHarness harness;
    harness.device.start();
    harness.open_session();
    harness.device.set_busy_for(30ms);
    CHECK(nack(send(harness, 700, protocol::SetDepth{1000})).reason == NackReason::Busy);
    CHECK(nack(send(harness, 700, protocol::SetDepth{1000})).reason == NackReason::Busy);
    harness.run_for(60ms);
    CHECK(acked(send(harness, 700, protocol::SetDepth{1000})));
    CHECK(harness.device.model().depth_set_um() == 1000);
}

TEST_CASE("a retried Hello gets the same session and a new Hello starts a new one",
          "[sim][v2][session]") {
    DeviceHarness harness;
    const auto first = send(harness, 1, protocol::Hello{});
    REQUIRE(first);
    const auto first_reply = std::get<protocol::HelloReply>(*first);
    CHECK(first_reply.version == 2);
    CHECK(first_reply.boot_id != 0);
    CHECK(first_reply.session_id != 0);
    // The HelloReply was lost and the host resends the identical frame.
    const auto retry = send(harness, 1, protocol::Hello{});
    REQUIRE(retry);
    CHECK(std::get<protocol::HelloReply>(*retry) == first_reply);
    // Any later Hello, even with an old seq, replaces the session.
    REQUIRE(acked(send(harness, 2, protocol::Heartbeat{})));
    const auto second = send(harness, 1, protocol::Hello{});
    REQUIRE(second);
    const auto second_reply = std::get<protocol::HelloReply>(*second);
    CHECK(second_reply.boot_id == first_reply.boot_id);
    CHECK(second_reply.session_id != first_reply.session_id);
    CHECK(second_reply.session_id != 0);
}

TEST_CASE("the boot id changes with every power-on, and the session ends with it",
          "[sim][v2][session][reboot]") {
    DeviceHarness harness;
    const auto before = harness.open_session();
    harness.device.reboot();
    CHECK(nack(send(harness, 50, protocol::Heartbeat{})).reason == NackReason::NoSession);
    const auto after = harness.open_session();
    CHECK(after.boot_id != before.boot_id);
    CHECK(after.boot_id != 0);
    DeviceHarness other;  // another pen (or penlink-sim process) with the same configuration
    CHECK(other.open_session().boot_id != after.boot_id);
}
