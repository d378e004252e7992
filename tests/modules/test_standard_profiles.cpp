// The standard RF and LED modules (modules/rf.json and the LED heads led*.json) implement their
// profiles with exactly the profile's keys, ids, units, scales and labels, and the parser holds
// every module that declares a profile to the profile's scales and labels
// (src/modules/profiles.cpp).
#include <array>
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <fstream>
#include <functional>
#include <sstream>
#include <tuple>

#include "modules/profiles.hpp"
#include "penlink/errors.hpp"
#include "penlink/module_descriptor.hpp"

using namespace penlink;
namespace json = boost::json;
using Catch::Matchers::Contains;

namespace {

std::string standard_text(const std::string& name) {
    std::ifstream in(PENLINK_SOURCE_DIR "/modules/" + name + ".json");
    REQUIRE(in);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// The parser's error for modules/<name>.json after edit, or "" if it still parses.
std::string error_after(const std::string& name, const std::function<void(json::object&)>& edit) {
    json::value document = json::parse(standard_text(name));
    edit(document.as_object());
    try {
        parse_module_descriptor(json::serialize(document));
    } catch (const InvalidArgumentError& e) {
        return e.what();
    }
    return "";
}

json::object& parameter(json::object& d, const std::string& key) {
    for (auto& p : d["parameters"].as_array()) {
        if (p.as_object()["key"].as_string() == key) return p.as_object();
    }
    FAIL("no parameter " << key);
    throw;
}

}  // namespace

TEST_CASE("the standard RF and LED modules implement exactly their profile",
          "[modules][profiles]") {
    const std::vector<std::array<std::string, 3>> files{{"rf", "rf", "rf"},
                                                        {"led", "led", "led"},
                                                        {"led-blue", "led_blue", "led"},
                                                        {"led-nir", "led_nir", "led"}};
    for (const auto& [name, key, profile_name] : files) {
        INFO("modules/" << name << ".json");
        const ModuleDescriptor d = parse_module_descriptor(standard_text(name));
        CHECK(d.key == key);
        CHECK(d.profiles == std::vector<std::string>{profile_name});
        const modules::Profile* profile = modules::find_profile(profile_name);
        REQUIRE(profile != nullptr);
        REQUIRE(d.parameters.size() == profile->parameters.size());
        for (std::size_t i = 0; i < d.parameters.size(); ++i) {
            const ParamSpec& p = d.parameters[i];
            const modules::ProfileParam& wanted = profile->parameters[i];
            CHECK(p.key == wanted.key);
            CHECK(p.id == wanted.id);
            CHECK(p.scale == Approx(wanted.scale));
            CHECK(p.labels.size() == wanted.labels.size());
        }
        REQUIRE(d.telemetry.size() == profile->telemetry.size());
        for (std::size_t i = 0; i < d.telemetry.size(); ++i) {
            CHECK(d.telemetry[i].key == profile->telemetry[i].key);
            CHECK(d.telemetry[i].id == profile->telemetry[i].id);
        }
        // Every output that delivers energy is switched off by the pen's safety paths.
        CHECK(d.find_parameter("enabled")->safety == SafetyClass::Energy);
        CHECK(d.find_parameter(name == "rf" ? "power" : "irradiance")->safety ==
              SafetyClass::Energy);
    }
}

TEST_CASE("the standard modules have the ranges of penlink-sim's built-in add-ons",
          "[modules][profiles]") {
    // The figures the built-in add-ons have always had; since src/sim/sim_config.cpp takes them
    // from these files (sim/standard_modules.hpp), a change here is a change of the sim's pen.
    const ModuleDescriptor rf = parse_module_descriptor(standard_text("rf"));
    CHECK(rf.find_parameter("frequency")->min == 1000);
    CHECK(rf.find_parameter("frequency")->max == 2000);
    CHECK(rf.find_parameter("power")->max == Approx(20.0));
    CHECK(rf.find_parameter("pulse")->min == 10);
    CHECK(rf.find_parameter("pulse")->max == 500);
    CHECK(rf.find_parameter("polarity")->labels ==
          std::vector<std::string>{"monopolar", "bipolar"});
    CHECK(rf.interlocks.empty());  // the built-in RF may be enabled with the needle stopped
    const ModuleDescriptor led = parse_module_descriptor(standard_text("led"));
    CHECK(led.find_parameter("wavelength")->min == 633);
    CHECK(led.find_parameter("wavelength")->max == 633);
    CHECK(led.find_parameter("irradiance")->max == Approx(150.0));
    for (const auto& [name, nm, max] : std::vector<std::tuple<std::string, int, double>>{
             {"led-blue", 415, 100.0}, {"led-nir", 830, 200.0}}) {
        const ModuleDescriptor head = parse_module_descriptor(standard_text(name));
        CHECK(head.find_parameter("wavelength")->min == nm);
        CHECK(head.find_parameter("wavelength")->max == nm);
        CHECK(head.find_parameter("irradiance")->max == Approx(max));
    }
    CHECK(led.find_parameter("pulse_rate")->min == Approx(1.0));
    CHECK(led.find_parameter("pulse_rate")->max == Approx(1000.0));
    CHECK(led.find_parameter("duty")->min == Approx(0.1));
    CHECK(led.find_parameter("duty")->max == Approx(100.0));
    CHECK(led.find_parameter("mode")->labels == std::vector<std::string>{"continuous", "pulsed"});
}

TEST_CASE("a module declaring a profile must use the profile's scales and labels",
          "[modules][profiles]") {
    CHECK(error_after("rf", [](json::object&) {}) == "");
    CHECK_THAT(error_after("rf",
                           [](json::object& d) {
                               auto& power = parameter(d, "power");
                               power["scale"] = 0.01;
                           }),
               Contains("profile \"rf\" parameter \"power\" needs scale 0.001, not 0.01"));
    CHECK_THAT(
        error_after("rf",
                    [](json::object& d) {
                        parameter(d, "polarity")["labels"] = json::array{"bipolar", "monopolar"};
                    }),
        Contains("parameter \"polarity\" needs the labels monopolar, bipolar, in that order"));
    CHECK_THAT(error_after("rf",
                           [](json::object& d) {
                               auto& polarity = parameter(d, "polarity");
                               polarity["labels"] = json::array{"monopolar", "bipolar", "tripolar"};
                           }),
               Contains("needs the labels monopolar, bipolar"));
    CHECK_THAT(error_after("led",
                           [](json::object& d) {
                               parameter(d, "mode")["labels"] = json::array{"steady", "pulsed"};
                               parameter(d, "mode")["default"] = "steady";
                           }),
               Contains("parameter \"mode\" needs the labels continuous, pulsed"));
    CHECK_THAT(error_after("led",
                           [](json::object& d) {
                               auto& duty = parameter(d, "duty");
                               duty["scale"] = 1;
                               duty["min"] = 1;
                               duty["step"] = 1;
                           }),
               Contains("parameter \"duty\" needs scale 0.1, not 1"));
    CHECK_THAT(error_after("led",
                           [](json::object& d) {
                               auto& irradiance = parameter(d, "irradiance");
                               irradiance["scale"] = 0.5;
                           }),
               Contains("needs scale 0.1"));
    CHECK_THAT(error_after("led",
                           [](json::object& d) {
                               auto& rate = parameter(d, "pulse_rate");
                               rate["scale"] = 0.1;
                           }),
               Contains("parameter \"pulse_rate\" needs scale 0.01"));
}

TEST_CASE("a vendor's module of another key may declare a profile", "[modules][profiles]") {
    // Only the profile's parameter and channel keys are fixed; the module's own key is free.
    CHECK(error_after("rf", [](json::object& d) {
              d["key"] = "acme_rf";
              d["vendor"] = json::object{{"id", 4242}, {"name", "Acme"}};
          }) == "");
}
