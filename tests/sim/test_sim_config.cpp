#include <catch2/catch.hpp>

#include <string>

#include "penlink/errors.hpp"
#include "sim/sim_config.hpp"
#include "sim/standard_modules.hpp"

using namespace penlink;
using Catch::Matchers::Contains;

TEST_CASE("default sim config describes the typical pen", "[sim][config]") {
    const sim::SimConfig config = sim::default_sim_config();
    const auto& info = config.info;
    CHECK(info.model == "PL-SIM-1");
    CHECK(info.serial == "SIM000001");
    CHECK((info.fw_major == 1 && info.fw_minor == 0 && info.fw_patch == 0));
    CHECK(info.depth_min_um == 0);
    CHECK(info.depth_max_um == 3000);
    CHECK(info.depth_step_um == 50);
    CHECK(info.speed_min_chz == 5000);
    CHECK(info.speed_max_chz == 15000);
    CHECK(info.watchdog_ms == 500);
    CHECK(info.max_status_rate_hz == 20000);
    CHECK(info.addons == (protocol::kAddonRf | protocol::kAddonLed));
    CHECK(info.rf_frequency_min_khz == 1000);
    CHECK(info.rf_frequency_max_khz == 2000);
    CHECK(info.rf_power_max_mw == 20000);
    CHECK(info.rf_pulse_min_ms == 10);
    CHECK(info.rf_pulse_max_ms == 500);
    CHECK(info.rf_polarities == 0x03);
    REQUIRE(info.led_channel_count == 3);
    CHECK(info.led_channels[0].wavelength_nm == 415);
    CHECK(info.led_channels[0].max_irradiance_dmw_cm2 == 1000);
    CHECK(info.led_channels[1].wavelength_nm == 633);
    CHECK(info.led_channels[1].max_irradiance_dmw_cm2 == 1500);
    CHECK(info.led_channels[2].wavelength_nm == 830);
    CHECK(info.led_channels[2].max_irradiance_dmw_cm2 == 2000);
    CHECK(info.led_pulse_rate_min_chz == 100);
    CHECK(info.led_pulse_rate_max_chz == 100000);
}

TEST_CASE("sim options reshape the pen", "[sim][config]") {
    sim::SimConfig config = sim::default_sim_config();
    sim::apply_sim_options(config, {{"model", "PL-X"},
                                    {"serial", "ABC"},
                                    {"depth_max_mm", "2.5"},
                                    {"depth_step_mm", "0.1"},
                                    {"speed_max_hz", "120"},
                                    {"rf", "0"},
                                    {"led", "false"},
                                    {"watchdog_ms", "250"},
                                    {"max_status_hz", "1000"},
                                    {"fault_after_ms", "1000"},
                                    {"drop_link_after_ms", "2000"},
                                    {"silent_after_ms", "3000"},
                                    {"cartridge_id", "0"},
                                    {"stroke_limit", "500"},
                                    {"battery_pct", "42.5"}});
    CHECK(config.info.model == "PL-X");
    CHECK(config.info.serial == "ABC");
    CHECK(config.info.depth_max_um == 2500);
    CHECK(config.info.depth_step_um == 100);
    CHECK(config.info.speed_max_chz == 12000);
    CHECK(config.info.addons == 0);
    CHECK(config.info.led_channel_count == 0);
    CHECK(config.info.watchdog_ms == 250);
    CHECK(config.info.max_status_rate_hz == 1000);
    CHECK(config.fault_after_ms == 1000);
    CHECK(config.drop_link_after_ms == 2000);
    CHECK(config.silent_after_ms == 3000);
    CHECK(config.cartridge_id == 0);
    CHECK(config.cartridge_stroke_limit == 500);
    CHECK(config.battery_pct == Approx(42.5));

    sim::apply_sim_options(config, {{"rf", "1"}});
    CHECK((config.info.addons & protocol::kAddonRf) != 0);
    CHECK(config.info.rf_power_max_mw == 20000);
}

TEST_CASE("bad sim options name the key, the value and the valid range", "[sim][config]") {
    sim::SimConfig config = sim::default_sim_config();
    auto message_of = [&](const std::string& key, const std::string& value) -> std::string {
        try {
            sim::apply_sim_options(config, {{key, value}});
        } catch (const InvalidArgumentError& error) {
            return error.what();
        }
        FAIL("no error for " << key << "=" << value);
        return {};
    };
    CHECK_THAT(message_of("depth_max_mm", "12"),
               Contains("depth_max_mm=12") && Contains("out of range") && Contains("10 mm"));
    CHECK_THAT(message_of("depth_max_mm", "deep"),
               Contains("depth_max_mm=deep") && Contains("not a number"));
    CHECK_THAT(message_of("watchdog_ms", "5"),
               Contains("watchdog_ms=5") && Contains("10 to 65535 ms"));
    CHECK_THAT(message_of("watchdog_ms", "1.5"), Contains("not a whole number"));
    CHECK_THAT(message_of("rf", "maybe"), Contains("rf=maybe") && Contains("0 or 1"));
    CHECK_THAT(message_of("stroke_limit", "0"), Contains("stroke_limit=0"));
    CHECK_THAT(message_of("model", std::string(33, 'x')), Contains("1 to 32 bytes"));
    CHECK_THAT(message_of("colour", "red"),
               Contains("unknown sim option 'colour'") && Contains("depth_max_mm"));
    CHECK_THAT(message_of("depth_min_mm", "3.0"),
               Contains("depth_min_mm") && Contains("depth_max_mm"));
    CHECK_THAT(message_of("fault_after_ms", "99999999999"), Contains("out of range"));
}

TEST_CASE("sim options set the simulated environment, power and link", "[sim][config][faults]") {
    sim::SimConfig config = sim::default_sim_config();
    sim::apply_sim_options(config, {{"heat_c_per_s", "1.5"},
                                    {"drain_pct_per_s", "0.25"},
                                    {"charging", "1"},
                                    {"reboot_after_ms", "4000"},
                                    {"link_bytes_per_s", "11520"}});
    CHECK(config.heating_c_per_s == 1.5);
    CHECK(config.drain_pct_per_s == 0.25);
    CHECK(config.charging);
    CHECK(config.reboot_after_ms == 4000);
    CHECK(config.link_bytes_per_s == 11520);
    CHECK_THROWS_WITH(sim::apply_sim_options(config, {{"heat_c_per_s", "hot"}}),
                      Contains("heat_c_per_s=hot"));
    CHECK_THROWS_WITH(sim::apply_sim_options(config, {{"charging", "maybe"}}),
                      Contains("charging=maybe"));
    CHECK_THROWS_WITH(sim::apply_sim_options(config, {{"link_bytes_per_s", "-1"}}),
                      Contains("link_bytes_per_s=-1"));
}

TEST_CASE("the built-in add-ons are the standard modules of modules/", "[sim][config][modules]") {
    // One definition: every figure of the typed RF/LED add-ons comes from the descriptor files
    // penlink installs, so a pen with addons=modules offers exactly what the typed pen offers.
    const sim::StandardModules& standard = sim::standard_modules();
    const auto& info = sim::default_sim_config().info;
    const auto param = [](const sim::ModuleDefinition& module, const char* key) {
        return *module.descriptor.find_parameter(key);
    };
    CHECK(info.rf_frequency_min_khz == param(*standard.rf, "frequency").min);
    CHECK(info.rf_frequency_max_khz == param(*standard.rf, "frequency").max);
    CHECK(info.rf_power_max_mw == Approx(param(*standard.rf, "power").max * 1000.0));
    CHECK(info.rf_pulse_min_ms == param(*standard.rf, "pulse").min);
    CHECK(info.rf_pulse_max_ms == param(*standard.rf, "pulse").max);
    REQUIRE(standard.leds.size() == info.led_channel_count);
    for (std::size_t i = 0; i < standard.leds.size(); ++i) {
        CHECK(info.led_channels[i].wavelength_nm == param(*standard.leds[i], "wavelength").min);
        CHECK(info.led_channels[i].max_irradiance_dmw_cm2 ==
              Approx(param(*standard.leds[i], "irradiance").max * 10.0));
        CHECK(info.led_pulse_rate_min_chz ==
              Approx(param(*standard.leds[i], "pulse_rate").min * 100.0));
        CHECK(info.led_pulse_rate_max_chz ==
              Approx(param(*standard.leds[i], "pulse_rate").max * 100.0));
    }
}

TEST_CASE("addons=modules fits RF and LED as the standard descriptor modules",
          "[sim][config][modules]") {
    sim::SimConfig config = sim::default_sim_config();
    sim::apply_sim_options(config, {{"addons", "modules"}});
    CHECK(config.info.addons == 0);
    REQUIRE(config.modules.size() == 4);
    CHECK(config.modules[0]->descriptor.key == "rf");
    CHECK(config.modules[1]->descriptor.key == "led_blue");
    CHECK(config.modules[2]->descriptor.key == "led");
    CHECK(config.modules[3]->descriptor.key == "led_nir");
    CHECK(config.modules[0]->origin == "modules/rf.json");

    sim::SimConfig typed = sim::default_sim_config();
    sim::apply_sim_options(typed, {{"addons", "typed"}});
    CHECK(typed.info.addons == (protocol::kAddonRf | protocol::kAddonLed));
    CHECK(typed.modules.empty());

    sim::SimConfig untouched = sim::default_sim_config();
    CHECK_THROWS_WITH(sim::apply_sim_options(untouched, {{"addons", "modules"}, {"rf", "1"}}),
                      Contains("addons=modules") && Contains("rf=1"));
    CHECK_THROWS_WITH(sim::apply_sim_options(untouched, {{"addons", "both"}}),
                      Contains("addons=both") && Contains("typed") && Contains("modules"));
    CHECK(untouched.modules.empty());
    CHECK(untouched.info.addons == (protocol::kAddonRf | protocol::kAddonLed));
}
