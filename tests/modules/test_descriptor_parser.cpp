// parse_module_descriptor: the example partner module parses into what it says, and every kind
// of malformed descriptor is refused with an error naming the field.
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <fstream>
#include <functional>
#include <sstream>

#include "penlink/errors.hpp"
#include "penlink/module_descriptor.hpp"

using namespace penlink;
namespace json = boost::json;

namespace {

std::string cooling_text() {
    std::ifstream in(PENLINK_SOURCE_DIR "/examples/modules/cooling_tip.json");
    REQUIRE(in);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// The error parse_module_descriptor gives for the cooling descriptor after edit, or "" if none.
std::string error_after(const std::function<void(json::object&)>& edit) {
    json::value document = json::parse(cooling_text());
    edit(document.as_object());
    try {
        parse_module_descriptor(json::serialize(document));
    } catch (const InvalidArgumentError& e) {
        return e.what();
    }
    return "";
}

json::object& parameter(json::object& d, std::size_t i) {
    return d["parameters"].as_array()[i].as_object();
}

}  // namespace

TEST_CASE("the example cooling tip parses into what it declares", "[modules][descriptor]") {
    const ModuleDescriptor d = parse_module_descriptor(cooling_text());
    CHECK(d.key == "cooling");
    CHECK(d.name == "CoolTip C1");
    CHECK(d.vendor_id == 19233);
    CHECK(d.vendor_name == "Frostline Aesthetics");
    CHECK(d.model_id == 3);
    REQUIRE(d.parameters.size() == 4);
    const ParamSpec* setpoint = d.find_parameter("setpoint_c");
    REQUIRE(setpoint != nullptr);
    CHECK(setpoint == d.find_parameter(std::uint16_t{32770}));
    CHECK(setpoint->type == ParamType::Fixed);
    CHECK(setpoint->unit == "degC");
    CHECK(setpoint->scale == Approx(0.1));
    CHECK(setpoint->min == Approx(4.0));
    CHECK(setpoint->max == Approx(20.0));
    CHECK(setpoint->step == Approx(0.5));
    CHECK(setpoint->default_value == Approx(15.0));
    const ParamSpec* fan = d.find_parameter("fan");
    REQUIRE(fan != nullptr);
    CHECK(fan->labels == std::vector<std::string>{"quiet", "normal", "boost"});
    CHECK(fan->default_value == 1);
    CHECK(d.find_parameter("hold_s")->access == ParamAccess::Read);
    CHECK(d.find_parameter("enabled")->type == ParamType::Bool);
    REQUIRE(d.telemetry.size() == 2);
    const TelemetrySpec* plate = d.find_telemetry("plate_c");
    REQUIRE(plate != nullptr);
    CHECK(plate == d.find_telemetry(std::uint8_t{128}));
    CHECK(plate->has_alarm_low);
    CHECK(plate->alarm_high == Approx(42.0));
    CHECK_FALSE(d.find_telemetry("power_w")->has_alarm_low);
    REQUIRE(d.interlocks.size() == 1);
    CHECK(d.interlocks[0].condition == "cartridge_fitted");
    CHECK(d.interlocks[0].guards == std::vector<std::string>{"enabled"});
    CHECK(d.find_parameter("nope") == nullptr);
    CHECK_FALSE(d.has_profile("rf"));
}

TEST_CASE("malformed descriptors are refused naming the field", "[modules][descriptor]") {
    using Catch::Matchers::Contains;
    CHECK_THAT(error_after([](json::object& d) { d.erase("key"); }),
               Contains("missing field \"key\""));
    CHECK_THAT(error_after([](json::object& d) { parameter(d, 1).erase("max"); }),
               Contains("parameters[1] (\"setpoint_c\"): missing field \"max\""));
    CHECK_THAT(error_after([](json::object& d) { parameter(d, 1)["min"] = 30.0; }),
               Contains("parameters[1] (\"setpoint_c\"): min 30 > max 20"));
    CHECK_THAT(error_after([](json::object& d) { parameter(d, 1)["step"] = 0; }),
               Contains("step 0 must be > 0"));
    CHECK_THAT(error_after([](json::object& d) { parameter(d, 1)["unit"] = "degc"; }),
               Contains("unknown unit \"degc\""));
    CHECK_THAT(error_after([](json::object& d) { parameter(d, 2)["id"] = 32769; }),
               Contains("parameters: id 32769 appears twice (\"fan\")"));
    CHECK_THAT(error_after([](json::object& d) { parameter(d, 2)["key"] = "enabled"; }),
               Contains("key \"enabled\" appears twice"));
    CHECK_THAT(error_after([](json::object& d) { parameter(d, 1)["defualt"] = 1; }),
               Contains("unknown field \"defualt\""));
    CHECK_THAT(error_after([](json::object& d) { parameter(d, 1)["default"] = 15.25; }),
               Contains("default 15.25"));
    CHECK_THAT(error_after([](json::object& d) { parameter(d, 1)["scale"] = -1; }),
               Contains("scale -1 must be > 0"));
    CHECK_THAT(error_after([](json::object& d) { parameter(d, 1)["id"] = 5; }),
               Contains("id 5 is reserved for standard profiles"));
    CHECK_THAT(error_after([](json::object& d) { parameter(d, 1)["id"] = 70000; }),
               Contains("\"id\" 70000 is outside 1..65534"));
    CHECK_THAT(error_after([](json::object& d) { parameter(d, 1)["type"] = "float"; }),
               Contains("type \"float\" is not one of"));
    CHECK_THAT(error_after([](json::object& d) { parameter(d, 2)["default"] = "loud"; }),
               Contains("default \"loud\" is not a label"));
    CHECK_THAT(error_after([](json::object& d) {
                   parameter(d, 0)["safety"] = "energy";
                   parameter(d, 0)["default"] = true;
               }),
               Contains("an energy parameter's default must be 0 (off)"));
    CHECK_THAT(error_after([](json::object& d) { d["schema"] = "penlink.module/9"; }),
               Contains("\"penlink.module/9\" is not \"penlink.module/1\""));
    CHECK_THAT(error_after([](json::object& d) { d["profiles"] = json::array{"vacuum"}; }),
               Contains("unknown profile \"vacuum\""));
    CHECK_THAT(error_after([](json::object& d) { d["profiles"] = json::array{"rf"}; }),
               Contains("profile \"rf\" needs parameter \"enabled\" with id 1"));
    CHECK_THAT(error_after([](json::object& d) {
                   d["interlocks"].as_array()[0].as_object()["guards"] = json::array{"hold_s"};
               }),
               Contains("guard \"hold_s\" is not a writable parameter"));
    CHECK_THAT(error_after([](json::object& d) {
                   d["interlocks"].as_array()[0].as_object()["condition"] = "moon_full";
               }),
               Contains("condition \"moon_full\" is not"));
    CHECK_THAT(error_after([](json::object& d) {
                   auto& interlocks = d["interlocks"].as_array();
                   interlocks.push_back(interlocks[0]);
               }),
               Contains("interlocks: key \"cartridge\" appears twice"));
    CHECK_THAT(error_after([](json::object& d) {
                   d["telemetry"].as_array()[0].as_object()["alarm_low"] = 50.0;
               }),
               Contains("alarm_low 50 > alarm_high 42"));
    CHECK_THAT(error_after([](json::object& d) { d["parameters"] = json::array(65, nullptr); }),
               Contains("65 parameters, more than the 64 allowed"));
}

TEST_CASE("a descriptor that is not JSON, or too large, is refused", "[modules][descriptor]") {
    using Catch::Matchers::Contains;
    CHECK_THROWS_WITH(parse_module_descriptor("{\"schema\": "), Contains("not valid JSON"));
    CHECK_THROWS_WITH(parse_module_descriptor("[]"), Contains("must be a JSON object"));
    CHECK_THROWS_WITH(parse_module_descriptor(std::string(20000, ' ')),
                      Contains("20000 bytes, more than the 16384 allowed"));
    CHECK_THROWS_WITH(parse_module_descriptor(std::string(100, '[') + std::string(100, ']')),
                      Contains("not valid JSON"));
}
