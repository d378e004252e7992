// The typed RF and LED calls as facades: which fitted module they drive, and how an RfMode or a
// LedMode becomes the profile's settings (src/core/profile_facades.cpp). The wire frames are
// compared with set_params end to end in tests/integration/test_stack_profiles.cpp.
#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>
#include <limits>
#include <memory>
#include <sstream>

#include "core/module_params.hpp"
#include "core/profile_facades.hpp"
#include "module_test_descriptor.hpp"

using namespace penlink;
using Catch::Matchers::Contains;

namespace {

std::string standard_text(const std::string& name) {
    std::ifstream in(PENLINK_SOURCE_DIR "/modules/" + name + ".json");
    REQUIRE(in);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

Module module_from(int slot, const std::string& text) {
    return Module(slot, 1, 1, "1.0.0",
                  std::make_shared<const ModuleDescriptor>(parse_module_descriptor(text)));
}

// The standard module with its key (and, for LED, its one wavelength) replaced.
Module standard(int slot, const std::string& name, const std::string& key = "",
                int wavelength_nm = 633) {
    std::string text = standard_text(name);
    if (!key.empty()) {
        const std::string from = "\"key\": \"" + name + "\"";
        text.replace(text.find(from), from.size(), "\"key\": \"" + key + "\"");
    }
    if (wavelength_nm != 633) {
        for (const char* field : {"\"min\": 633", "\"max\": 633", "\"default\": 633"}) {
            const std::string from = field;
            std::string to = from;
            to.replace(to.find("633"), 3, std::to_string(wavelength_nm));
            text.replace(text.find(from), from.size(), to);
        }
    }
    return module_from(slot, text);
}

Module vacuum(int slot) { return module_from(slot, test::vacuum_descriptor_json()); }

}  // namespace

TEST_CASE("an RfMode becomes the rf profile's settings by key", "[facades]") {
    RfMode mode;
    mode.enabled = true;
    mode.polarity = RfPolarity::Monopolar;
    mode.frequency_khz = 1500;
    mode.power_w = 12.345;
    mode.pulse_ms = 250;
    const auto settings = core::rf_profile_settings(mode);
    REQUIRE(settings.size() == 5);
    CHECK(settings[0].key == "enabled");
    CHECK(settings[0].value == ParamValue(true));
    CHECK(settings[1].key == "polarity");
    CHECK(settings[1].value == ParamValue("monopolar"));
    CHECK(settings[2].key == "frequency");
    CHECK(settings[2].value == ParamValue(1500));
    CHECK(settings[3].key == "power");
    CHECK(settings[3].value == ParamValue(12.345));
    CHECK(settings[4].key == "pulse");
    CHECK(settings[4].value == ParamValue(250));
    mode.polarity = RfPolarity::Bipolar;
    CHECK(core::rf_profile_settings(mode)[1].value == ParamValue("bipolar"));

    // On the standard module: mW on the wire, the label's index, as the legacy SetRf carried.
    const auto request = core::build_set_params(standard(2, "rf"), core::rf_profile_settings(mode));
    CHECK(request.slot == 2);
    REQUIRE(request.count == 5);
    CHECK(request.params[0] == protocol::ParamValue{1, 1});
    CHECK(request.params[1] == protocol::ParamValue{2, 1});
    CHECK(request.params[2] == protocol::ParamValue{3, 1500});
    CHECK(request.params[3] == protocol::ParamValue{4, 12345});
    CHECK(request.params[4] == protocol::ParamValue{5, 250});
}

TEST_CASE("a LedMode becomes the led profile's settings; pulse fields only when pulsed",
          "[facades]") {
    LedMode mode;
    mode.enabled = true;
    mode.wavelength_nm = 633;
    mode.irradiance_mw_cm2 = 80.5;
    mode.pulse_rate_hz = 0.0;  // unused while continuous: neither checked nor sent
    auto settings = core::led_profile_settings(mode);
    REQUIRE(settings.size() == 4);
    CHECK(settings[0].key == "enabled");
    CHECK(settings[1].key == "wavelength");
    CHECK(settings[1].value == ParamValue(633));
    CHECK(settings[2].key == "irradiance");
    CHECK(settings[2].value == ParamValue(80.5));
    CHECK(settings[3].key == "mode");
    CHECK(settings[3].value == ParamValue("continuous"));
    CHECK_NOTHROW(core::build_set_params(standard(1, "led"), settings));

    mode.pulsed = true;
    mode.pulse_rate_hz = 40.25;
    mode.duty_percent = 12.5;
    settings = core::led_profile_settings(mode);
    REQUIRE(settings.size() == 6);
    CHECK(settings[3].value == ParamValue("pulsed"));
    CHECK(settings[4].key == "pulse_rate");
    CHECK(settings[4].value == ParamValue(40.25));
    CHECK(settings[5].key == "duty");
    CHECK(settings[5].value == ParamValue(12.5));
    const auto request = core::build_set_params(standard(1, "led"), settings);
    REQUIRE(request.count == 6);
    CHECK(request.params[2] == protocol::ParamValue{3, 805});   // 0.1 mW/cm2
    CHECK(request.params[4] == protocol::ParamValue{5, 4025});  // 0.01 Hz
    CHECK(request.params[5] == protocol::ParamValue{6, 125});   // 0.1 %
}

TEST_CASE("the facades refuse what the typed calls always refused", "[facades]") {
    RfMode rf;
    rf.power_w = std::numeric_limits<double>::quiet_NaN();
    CHECK_THROWS_AS(core::rf_profile_settings(rf), InvalidArgumentError);
    rf.power_w = 1.0;
    rf.polarity = static_cast<RfPolarity>(7);
    CHECK_THROWS_WITH(core::rf_profile_settings(rf), Contains("RF polarity 7"));
    LedMode led;
    led.duty_percent = std::numeric_limits<double>::infinity();
    CHECK_THROWS_AS(core::led_profile_settings(led), InvalidArgumentError);
    // Ranges are the module's, named by key and unit.
    RfMode strong;
    strong.power_w = 25.0;
    CHECK_THROWS_WITH(core::build_set_params(standard(1, "rf"), core::rf_profile_settings(strong)),
                      Contains("rf.power 25 W exceeds the module's maximum of 20 W"));
}

TEST_CASE("the facades drive the first module declaring the profile, whatever its key",
          "[facades]") {
    CHECK_FALSE(core::rf_profile_module({}).has_value());
    CHECK_FALSE(core::rf_profile_module({vacuum(1)}).has_value());
    const auto rf = core::rf_profile_module({vacuum(1), standard(3, "rf", "acme_rf")});
    REQUIRE(rf.has_value());
    CHECK(rf->key() == "acme_rf");
    CHECK(core::module_selector(*rf) == "acme_rf@3");
    CHECK_FALSE(core::led_profile_module({standard(3, "rf")}, LedMode{}).has_value());
}

TEST_CASE("set_led_mode picks the LED module by wavelength", "[facades]") {
    const std::vector<Module> fitted{standard(1, "led", "led", 415), vacuum(2),
                                     standard(4, "led", "led", 633)};
    LedMode mode;
    mode.wavelength_nm = 633;
    CHECK(core::led_profile_module(fitted, mode)->slot() == 4);
    mode.wavelength_nm = 415;
    CHECK(core::led_profile_module(fitted, mode)->slot() == 1);
    mode.wavelength_nm = 830;
    CHECK_THROWS_WITH(core::led_profile_module(fitted, mode),
                      Contains("LED wavelength 830 nm is not fitted on this pen (fitted: 415 nm "
                               "(led@1), 633 nm (led@4))"));
    CHECK_THROWS_AS(core::led_profile_module(fitted, mode), NotSupportedError);
}

TEST_CASE("set_led_mode switches every other LED head off, and nothing else", "[facades]") {
    const std::vector<Module> fitted{standard(1, "led", "led", 415), vacuum(2), standard(3, "rf"),
                                     standard(4, "led", "led", 633)};
    const auto others = core::other_led_modules(fitted, fitted[3]);
    REQUIRE(others.size() == 1);
    CHECK(others[0].slot() == 1);
    CHECK(core::other_led_modules({fitted[0]}, fitted[0]).empty());
    // Switching off is the energy parameter back to its default: a safing request.
    const auto off = core::build_set_params(fitted[0], core::led_off_settings());
    REQUIRE(off.count == 1);
    CHECK(off.params[0].id == 1);
    CHECK(off.params[0].raw == 0);
}
