// Every range the pen enforces: the Nack names the field, the requested value and the bound.
#include <catch2/catch.hpp>

#include "model_helpers.hpp"

using namespace penlink;
using namespace penlink::sim;
using namespace penlink::sim::test;
using protocol::Field;
using protocol::LimitKind;
using protocol::NackReason;

namespace {

void check_out_of_range(const protocol::Message& reply, Field field, std::int32_t value,
                        std::int32_t limit, LimitKind kind) {
    const protocol::Nack nack = nack_of(reply);
    CHECK(nack.reason == NackReason::OutOfRange);
    CHECK(nack.field == field);
    CHECK(nack.value == value);
    CHECK(nack.limit == limit);
    CHECK(nack.limit_kind == kind);
}

}  // namespace

TEST_CASE("depth outside the range or off the step grid is refused", "[sim][limits]") {
    SimConfig config = default_sim_config();
    config.info.depth_min_um = 200;
    SessionModel model(config);
    check_out_of_range(model.handle(protocol::SetDepth{3050}), Field::Depth, 3050, 3000,
                       LimitKind::Maximum);
    check_out_of_range(model.handle(protocol::SetDepth{150}), Field::Depth, 150, 200,
                       LimitKind::Minimum);
    check_out_of_range(model.handle(protocol::SetDepth{1025}), Field::Depth, 1025, 50,
                       LimitKind::Step);
    CHECK(nack_of(model.handle(protocol::SetDepth{1025})).request ==
          protocol::MessageType::SetDepth);
    CHECK(is_ack(model.handle(protocol::SetDepth{1050})));
    CHECK(is_ack(model.handle(protocol::SetDepth{3000})));
    CHECK(is_ack(model.handle(protocol::SetDepth{200})));
    CHECK(snapshot_of(model).depth_set_um == 200);
}

TEST_CASE("speed outside the range is refused", "[sim][limits]") {
    SessionModel model(default_sim_config());
    check_out_of_range(model.handle(protocol::SetSpeed{4999}), Field::Speed, 4999, 5000,
                       LimitKind::Minimum);
    check_out_of_range(model.handle(protocol::SetSpeed{15001}), Field::Speed, 15001, 15000,
                       LimitKind::Maximum);
    CHECK(is_ack(model.handle(protocol::SetSpeed{15000})));
    CHECK(is_ack(model.handle(protocol::SetSpeed{5000})));
}

TEST_CASE("RF settings outside the add-on's ranges are refused", "[sim][limits][rf]") {
    SessionModel model(default_sim_config());
    check_out_of_range(model.handle(rf_on(1000, 999)), Field::RfFrequency, 999, 1000,
                       LimitKind::Minimum);
    check_out_of_range(model.handle(rf_on(1000, 2001)), Field::RfFrequency, 2001, 2000,
                       LimitKind::Maximum);
    check_out_of_range(model.handle(rf_on(20001)), Field::RfPower, 20001, 20000,
                       LimitKind::Maximum);
    auto short_pulse = rf_on(1000);
    short_pulse.pulse_ms = 9;
    check_out_of_range(model.handle(short_pulse), Field::RfPulse, 9, 10, LimitKind::Minimum);
    auto long_pulse = rf_on(1000);
    long_pulse.pulse_ms = 501;
    check_out_of_range(model.handle(long_pulse), Field::RfPulse, 501, 500, LimitKind::Maximum);
    CHECK_FALSE(model.rf_enabled());
    CHECK(is_ack(model.handle(rf_on(20000))));
    CHECK(model.rf_enabled());
    // Switching off is always accepted, whatever the other fields say.
    CHECK(is_ack(model.handle(protocol::SetRf{})));
    CHECK_FALSE(model.rf_enabled());
}

TEST_CASE("an RF polarity the pen lacks is refused", "[sim][limits][rf]") {
    SimConfig config = default_sim_config();
    config.info.rf_polarities = 0x02;  // bipolar only
    SessionModel model(config);
    auto mono = rf_on(1000);
    mono.polarity = protocol::RfPolarity::Monopolar;
    check_out_of_range(model.handle(mono), Field::RfPolarity, 0, 0x02, LimitKind::AllowedMask);
    CHECK(is_ack(model.handle(rf_on(1000))));
}

TEST_CASE("LED settings outside the add-on's ranges are refused", "[sim][limits][led]") {
    SessionModel model(default_sim_config());
    const auto wrong_colour = nack_of(model.handle(led_on(500, 100)));
    CHECK(wrong_colour.reason == NackReason::NotSupported);
    CHECK(wrong_colour.field == Field::LedWavelength);
    CHECK(wrong_colour.value == 500);

    check_out_of_range(model.handle(led_on(415, 1001)), Field::LedIrradiance, 1001, 1000,
                       LimitKind::Maximum);
    check_out_of_range(model.handle(led_on(830, 2001)), Field::LedIrradiance, 2001, 2000,
                       LimitKind::Maximum);
    check_out_of_range(model.handle(led_pulsed(633, 100, 99, 500)), Field::LedPulseRate, 99, 100,
                       LimitKind::Minimum);
    check_out_of_range(model.handle(led_pulsed(633, 100, 100001, 500)), Field::LedPulseRate, 100001,
                       100000, LimitKind::Maximum);
    check_out_of_range(model.handle(led_pulsed(633, 100, 1000, 0)), Field::LedDuty, 0, 1,
                       LimitKind::Minimum);
    check_out_of_range(model.handle(led_pulsed(633, 100, 1000, 1001)), Field::LedDuty, 1001, 1000,
                       LimitKind::Maximum);
    CHECK_FALSE(model.led_enabled());
    CHECK(is_ack(model.handle(led_pulsed(633, 1500, 100000, 1000))));
    CHECK(is_ack(model.handle(led_on(830, 2000))));
    CHECK(model.led_enabled());
}

TEST_CASE("add-ons that are not fitted answer NotSupported", "[sim][limits]") {
    SimConfig config = default_sim_config();
    apply_sim_options(config, {{"rf", "0"}, {"led", "0"}});
    SessionModel model(config);
    CHECK(nack_of(model.handle(rf_on(1000))).reason == NackReason::NotSupported);
    CHECK(nack_of(model.handle(protocol::SetRf{})).reason == NackReason::NotSupported);
    CHECK(nack_of(model.handle(led_on(633, 100))).reason == NackReason::NotSupported);
}

TEST_CASE("status rate above the pen's maximum is refused", "[sim][limits]") {
    SessionModel model(default_sim_config());
    check_out_of_range(model.handle(protocol::SubscribeStatus{20001}), Field::StatusRate, 20001,
                       20000, LimitKind::Maximum);
    CHECK(model.status_rate_hz() == 0);
    CHECK(is_ack(model.handle(protocol::SubscribeStatus{20000})));
    CHECK(model.status_rate_hz() == 20000);
    CHECK(is_ack(model.handle(protocol::SubscribeStatus{0})));
    CHECK(model.status_rate_hz() == 0);
}

TEST_CASE("Start needs a usable cartridge", "[sim][limits][cartridge]") {
    SimConfig config = default_sim_config();
    config.cartridge_id = 0;
    SessionModel model(config);
    CHECK(nack_of(model.handle(protocol::Start{})).reason == NackReason::CartridgeMissing);
    model.insert_cartridge(77, 1000);
    CHECK(is_ack(model.handle(protocol::Start{})));
}

TEST_CASE("Hello without a common protocol version is refused", "[sim][limits]") {
    SessionModel model(default_sim_config());
    const auto reply = model.handle(protocol::Hello{1, 3});
    REQUIRE(std::holds_alternative<protocol::HelloReply>(reply));
    CHECK(std::get<protocol::HelloReply>(reply).version == 2);
    const auto nack = nack_of(model.handle(protocol::Hello{3, 4}));
    CHECK(nack.reason == NackReason::VersionMismatch);
    CHECK(nack.value == 3);
    CHECK(nack.limit == 2);
    CHECK(nack.limit_kind == LimitKind::Maximum);
}

TEST_CASE("GetInfo answers the configured Info", "[sim][limits]") {
    const SimConfig config = default_sim_config();
    SessionModel model(config);
    const auto reply = model.handle(protocol::GetInfo{});
    REQUIRE(std::holds_alternative<protocol::Info>(reply));
    CHECK(std::get<protocol::Info>(reply) == config.info);
}

TEST_CASE("messages only a pen sends are refused as requests", "[sim][limits]") {
    SessionModel model(default_sim_config());
    CHECK(nack_of(model.handle(protocol::Ack{})).reason == NackReason::NotSupported);
    CHECK(nack_of(model.handle(protocol::Status{})).reason == NackReason::NotSupported);
}
