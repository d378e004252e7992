// Module parameters on the host: every value is checked against the descriptor before anything
// is sent, and the pen's refusals are explained in the descriptor's words.
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <memory>

#include "core/module_params.hpp"
#include "module_test_descriptor.hpp"

using namespace penlink;
using Catch::Matchers::Contains;

namespace {

Module vacuum() {
    return Module(3, 4660, 2, "1.0.0",
                  std::make_shared<const ModuleDescriptor>(
                      parse_module_descriptor(test::vacuum_descriptor_json())));
}

}  // namespace

TEST_CASE("set_params becomes one SetParams with raw values", "[modules]") {
    const auto request = core::build_set_params(
        vacuum(), {{"enabled", true}, {"pressure_kpa", -42.5}, {"pattern", "wave"}});
    CHECK(request.slot == 3);
    REQUIRE(request.count == 3);
    CHECK(request.params[0] == protocol::ParamValue{32769, 1});
    CHECK(request.params[1] == protocol::ParamValue{32770, -425});
    CHECK(request.params[2] == protocol::ParamValue{32771, 2});
}

TEST_CASE("values the descriptor forbids are refused before sending", "[modules]") {
    const Module m = vacuum();
    const auto refuse = [&](const std::vector<ParamSetting>& values) {
        try {
            core::build_set_params(m, values);
        } catch (const Error& e) {
            return std::string(e.what());
        }
        return std::string("accepted");
    };
    CHECK_THAT(refuse({{"pressure_kpa", -85.0}}),
               Contains("vacuum.pressure_kpa -85 kPa is below the module's minimum of -80 kPa"));
    CHECK_THAT(refuse({{"pressure_kpa", 1.0}}),
               Contains("vacuum.pressure_kpa 1 kPa exceeds the module's maximum of 0 kPa"));
    CHECK_THAT(refuse({{"pressure_kpa", -42.3}}), Contains("is not on the 0.5 kPa grid"));
    CHECK_THAT(refuse({{"pressure_kpa", std::nan("")}}), Contains("is not a finite number"));
    CHECK_THAT(refuse({{"pressure_kpa", true}}), Contains("takes a number in kPa, not true"));
    CHECK_THAT(refuse({{"enabled", 1}}), Contains("vacuum.enabled takes true or false, not 1"));
    CHECK_THAT(refuse({{"pattern", "spiral"}}),
               Contains("vacuum.pattern takes one of steady, pulse, wave, not \"spiral\""));
    CHECK_THAT(refuse({{"cycles", 5}}), Contains("vacuum.cycles is read-only"));
    CHECK_THAT(refuse({{"flow", 5}}),
               Contains("module vacuum has no parameter \"flow\" (it has: enabled, pressure_kpa"));
    CHECK_THAT(refuse({{"enabled", true}, {"enabled", false}}), Contains("is given twice"));
    CHECK_THAT(refuse({}), Contains("no parameter given"));
    std::vector<ParamSetting> many(17, ParamSetting{"enabled", true});
    CHECK_THAT(refuse(many), Contains("17 parameters, more than the 16"));
    try {
        core::build_set_params(m, {{"pressure_kpa", -85.0}});
        FAIL("accepted");
    } catch (const OutOfRangeError& e) {
        CHECK(e.value() == Approx(-85.0));
        CHECK(e.limit() == Approx(-80.0));
        CHECK(e.unit() == "kPa");
    }
}

TEST_CASE("a pen's Nack of a parameter is told in the descriptor's words", "[modules]") {
    const Module m = vacuum();
    protocol::Nack nack{protocol::MessageType::SetParams,
                        protocol::NackReason::OutOfRange,
                        protocol::Field::Parameter,
                        -900,
                        -800,
                        protocol::LimitKind::Minimum,
                        3,
                        32770};
    Result result = core::explain_param_nack(m, nack);
    CHECK(result.code == ErrorCode::OutOfRange);
    CHECK_THAT(result.message, Contains("vacuum.pressure_kpa -90 kPa is below the module's "
                                        "minimum of -80 kPa; nothing of the request was applied"));
    CHECK(result.value == Approx(-90));
    CHECK(result.unit == "kPa");

    nack = {protocol::MessageType::SetParams,
            protocol::NackReason::InterlockActive,
            protocol::Field::Parameter,
            1,
            0,
            protocol::LimitKind::Interlock,
            3,
            32769};
    result = core::explain_param_nack(m, nack);
    CHECK(result.code == ErrorCode::Rejected);
    CHECK_THAT(result.message, Contains("vacuum.enabled true is refused by interlock needle "
                                        "(suction only while the needle runs)"));

    nack.reason = protocol::NackReason::EmergencyStopped;
    CHECK(core::explain_param_nack(m, nack).code == ErrorCode::EmergencyStopped);
    nack.reason = protocol::NackReason::NoSession;
    CHECK(core::explain_param_nack(m, nack).code == ErrorCode::ConnectionLost);
}

TEST_CASE("a Params reply becomes values by key", "[modules]") {
    const Module m = vacuum();
    protocol::Params reply;
    reply.slot = 3;
    reply.count = 3;
    reply.params[0] = {32769, 1};
    reply.params[1] = {32770, -425};
    reply.params[2] = {32771, 1};
    const auto values = core::values_of(m, reply);
    REQUIRE(values.size() == 3);
    CHECK(values[0].value == ParamValue(true));
    CHECK(values[1].value.as_number() == Approx(-42.5));
    CHECK(values[2].value == ParamValue("pulse"));
    reply.params[2].id = 999;
    CHECK_THROWS_WITH(core::values_of(m, reply), Contains("parameter id 999"));
    reply.slot = 4;
    CHECK_THROWS_AS(core::values_of(m, reply), RejectedError);
}

TEST_CASE("telemetry is read from a status by key, in the channel's unit", "[modules]") {
    const Module m = vacuum();
    Status status;
    CHECK_FALSE(m.telemetry(status, "pressure_kpa").has_value());
    status.telemetry_count = 2;
    status.telemetry[0] = {1, 128, 55};  // another module's channel 128
    status.telemetry[1] = {3, 128, -612};
    REQUIRE(m.telemetry(status, "pressure_kpa").has_value());
    CHECK(*m.telemetry(status, "pressure_kpa") == Approx(-61.2));
    CHECK_FALSE(m.telemetry_alarm(status, "pressure_kpa"));
    status.telemetry[1].raw = -950;
    CHECK(m.telemetry_alarm(status, "pressure_kpa"));
    CHECK_THROWS_WITH(m.telemetry(status, "flow"),
                      Contains("module vacuum has no telemetry channel \"flow\""));
}
