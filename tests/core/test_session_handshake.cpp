// Connecting: the handshake, what it learns about the pen, and how it fails.
#include <catch2/catch.hpp>

#include <future>

#include "session_fixture.hpp"

namespace penlink::test {
namespace {

using protocol::MessageType;

TEST_CASE("handshake sends Hello then GetInfo and fills device info and capabilities",
          "[session][handshake]") {
    SessionFixture fixture;
    auto& session = *fixture.session;

    CHECK(session.state() == ConnectionState::Connected);
    const auto frames = fixture.pen->received();
    REQUIRE(frames.size() >= 2);
    CHECK(frames[0].type == MessageType::Hello);
    CHECK(frames[1].type == MessageType::GetInfo);

    const auto& info = session.device_info();
    CHECK(info.model == "FAKE-PEN");
    CHECK(info.serial_number == "FP0001");
    CHECK(info.firmware_version == "1.2.3");
    CHECK(info.protocol_version == protocol::kProtocolVersion);

    const auto& caps = session.capabilities();
    CHECK(caps.depth_min_mm == Approx(0.25));
    CHECK(caps.depth_max_mm == Approx(2.5));
    CHECK(caps.depth_step_mm == Approx(0.05));
    CHECK(caps.speed_min_hz == Approx(50));
    CHECK(caps.speed_max_hz == Approx(150));
    CHECK(caps.watchdog_ms == 500);
    CHECK(caps.max_status_rate_hz == 100);
    CHECK(caps.rf.fitted);
    CHECK(caps.rf.frequency_min_khz == 1000);
    CHECK(caps.rf.frequency_max_khz == 2000);
    CHECK(caps.rf.power_max_w == Approx(20.0));
    CHECK(caps.rf.pulse_min_ms == 10);
    CHECK(caps.rf.pulse_max_ms == 500);
    CHECK_FALSE(caps.rf.monopolar);
    CHECK(caps.rf.bipolar);
    CHECK(caps.led.fitted);
    // Only led_channel_count entries are channels; the third array entry is not.
    REQUIRE(caps.led.channels.size() == 2);
    CHECK(caps.led.channels[0].wavelength_nm == 415);
    CHECK(caps.led.channels[0].max_irradiance_mw_cm2 == Approx(100.0));
    CHECK(caps.led.channels[1].wavelength_nm == 633);
    CHECK(caps.led.channels[1].max_irradiance_mw_cm2 == Approx(150.0));
    CHECK(caps.led.pulse_rate_min_hz == Approx(1.0));
    CHECK(caps.led.pulse_rate_max_hz == Approx(1000.0));
}

TEST_CASE("after the handshake the session asks for the idle status rate", "[session][handshake]") {
    SessionFixture fixture;
    REQUIRE(wait_until([&] { return fixture.pen->count(MessageType::SubscribeStatus) >= 1; }));
    const auto subscribe = fixture.pen->received(MessageType::SubscribeStatus).front();
    CHECK(std::get<protocol::SubscribeStatus>(subscribe.message).rate_hz ==
          test_options().idle_status_rate_hz);
}

TEST_CASE("a pen without add-ons reports none fitted", "[session][handshake]") {
    SessionFixture fixture(test_options(), false);
    auto info = fake_pen_info();
    info.addons = 0;
    fixture.pen->set_info(info);
    fixture.session->connect();
    CHECK_FALSE(fixture.session->capabilities().rf.fitted);
    CHECK_FALSE(fixture.session->capabilities().led.fitted);
    CHECK(fixture.session->capabilities().led.channels.empty());
}

TEST_CASE("a pen answering Hello with another protocol version is refused",
          "[session][handshake]") {
    SessionFixture fixture(test_options(), false);
    fixture.pen->set_hook([](FakePen& pen, const ReceivedFrame& frame) {
        if (frame.type != MessageType::Hello) return false;
        protocol::HelloReply reply;
        reply.version = 3;
        pen.send(frame.seq, reply);
        return true;
    });
    try {
        fixture.session->connect();
        FAIL("connect succeeded against a pen speaking protocol version 3");
    } catch (const RejectedError& error) {
        CHECK(error.code() == ErrorCode::Protocol);
        CHECK_THAT(error.what(), Catch::Contains("protocol version"));
    }
    CHECK(fixture.session->state() == ConnectionState::Closed);
    CHECK_FALSE(fixture.pen->link_open());
}

TEST_CASE("a pen that never answers the handshake gives a TimeoutError and a closed link",
          "[session][handshake]") {
    auto options = test_options();
    options.command_timeout = std::chrono::milliseconds(50);
    options.command_retries = 1;
    SessionFixture fixture(options, false);
    fixture.pen->set_silent(true);
    REQUIRE_THROWS_AS(fixture.session->connect(), TimeoutError);
    CHECK(fixture.pen->count(MessageType::Hello) == 2);  // first try plus one retry
    CHECK(fixture.session->state() == ConnectionState::Closed);
    CHECK_FALSE(fixture.pen->link_open());

    // The same session connects once the pen answers.
    fixture.pen->set_silent(false);
    fixture.session->connect();
    CHECK(fixture.session->state() == ConnectionState::Connected);
}

TEST_CASE("an acknowledged command completes, sync and async", "[session][commands]") {
    SessionFixture fixture;
    auto& session = *fixture.session;

    session.request_sync(protocol::SetDepth{1500});
    const auto depth = fixture.pen->received(MessageType::SetDepth);
    REQUIRE(depth.size() == 1);
    CHECK(std::get<protocol::SetDepth>(depth[0].message).depth_um == 1500);

    std::promise<Result> outcome;
    auto future = outcome.get_future();
    session.request(protocol::SetSpeed{12000},
                    [&outcome](const Result& result) { outcome.set_value(result); });
    REQUIRE(future.wait_for(kWaitLimit) == std::future_status::ready);
    CHECK(future.get().ok());
    CHECK(fixture.pen->count(MessageType::SetSpeed) == 1);
}

TEST_CASE("each new command gets a new sequence number", "[session][commands]") {
    SessionFixture fixture;
    fixture.session->request_sync(protocol::SetDepth{1000});
    fixture.session->request_sync(protocol::SetDepth{1050});
    fixture.session->request_sync(protocol::Start{});
    const auto depth = fixture.pen->received(MessageType::SetDepth);
    const auto start = fixture.pen->received(MessageType::Start);
    REQUIRE(depth.size() == 2);
    REQUIRE(start.size() == 1);
    CHECK(depth[0].seq != depth[1].seq);
    CHECK(start[0].seq != depth[1].seq);
}

TEST_CASE("a Nack OutOfRange becomes an OutOfRangeError naming value, limit and unit",
          "[session][commands]") {
    SessionFixture fixture;
    fixture.pen->set_hook([](FakePen& pen, const ReceivedFrame& frame) {
        if (frame.type != MessageType::SetDepth) return false;
        pen.send(frame.seq, protocol::Nack{MessageType::SetDepth, protocol::NackReason::OutOfRange,
                                           protocol::Field::Depth, 3200, 3000});
        return true;
    });
    try {
        fixture.session->request_sync(protocol::SetDepth{3200});
        FAIL("the pen's refusal was not reported");
    } catch (const OutOfRangeError& error) {
        CHECK(error.code() == ErrorCode::OutOfRange);
        CHECK(error.value() == Approx(3.2));
        CHECK(error.limit() == Approx(3.0));
        CHECK(error.unit() == "mm");
        CHECK_THAT(error.what(), Catch::Contains("3.20 mm") && Catch::Contains("3.00 mm") &&
                                     Catch::Contains("depth"));
    }
}

TEST_CASE("other Nack reasons map to their typed errors", "[session][commands]") {
    SessionFixture fixture;
    fixture.pen->set_hook([](FakePen& pen, const ReceivedFrame& frame) {
        using protocol::NackReason;
        NackReason reason{};
        switch (frame.type) {
            case MessageType::Start:
                reason = NackReason::EmergencyStopped;
                break;
            case MessageType::SetRf:
                reason = NackReason::FaultActive;
                break;
            case MessageType::SetLed:
                reason = NackReason::NotSupported;
                break;
            case MessageType::Stop:
                reason = NackReason::BadState;
                break;
            default:
                return false;
        }
        pen.send(frame.seq, protocol::Nack{frame.type, reason, protocol::Field::None, 0, 0});
        return true;
    });
    auto& session = *fixture.session;
    try {
        session.request_sync(protocol::Start{});
        FAIL("Start was not refused");
    } catch (const SafetyError& error) {
        CHECK(error.code() == ErrorCode::EmergencyStopped);
        CHECK_THAT(error.what(), Catch::Contains("emergency stop"));
    }
    try {
        session.request_sync(protocol::SetRf{});
        FAIL("SetRf was not refused");
    } catch (const SafetyError& error) {
        CHECK(error.code() == ErrorCode::FaultActive);
    }
    CHECK_THROWS_AS(session.request_sync(protocol::SetLed{}), NotSupportedError);
    CHECK_THROWS_AS(session.request_sync(protocol::Stop{}), RejectedError);
}

}  // namespace
}  // namespace penlink::test
