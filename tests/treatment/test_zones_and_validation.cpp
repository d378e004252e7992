// The zone chart (standard and a clinic's own) and offline validation: every violation at once,
// with step, field, value, limit and unit.
#include <catch2/catch.hpp>

#include <cmath>

#include "penlink/errors.hpp"
#include "penlink/treatment.hpp"
#include "recipe_text.hpp"

using namespace penlink;
using namespace penlink::treatment;
using namespace penlink::treatment_test;
using Catch::Matchers::Contains;

namespace {

std::string chart_error(const std::string& json) {
    try {
        ZoneChart::parse(json, "clinic.json");
    } catch (const InvalidArgumentError& error) {
        return error.what();
    }
    return "<parsed>";
}

std::string chart_with(const std::string& zone) {
    return R"({"schema": "penlink.zones/1", "name": "clinic", "zones": [)" + zone + "]}";
}

}  // namespace

TEST_CASE("the standard chart has every zone, each a sane range", "[treatment][zones]") {
    const ZoneChart chart = ZoneChart::standard();
    for (const char* key : {"forehead", "periorbital", "nose", "cheek", "perioral", "chin",
                            "jawline", "neck", "decolletage", "scalp", "hands", "body", "scar"}) {
        INFO(key);
        const Zone* zone = chart.find(key);
        REQUIRE(zone);
        CHECK(zone->depth_min_mm > 0);
        CHECK(zone->depth_min_mm <= zone->depth_max_mm);
        CHECK(zone->depth_max_mm <= 2.5);
    }
    // Thin periorbital skin is held far shallower than the cheek.
    CHECK(chart.find("periorbital")->depth_max_mm < chart.find("cheek")->depth_max_mm / 2);
    CHECK(chart.find("tongue") == nullptr);
    // The file on disk is the one built in (one source of truth).
    const ZoneChart from_file = ZoneChart::load_file(PENLINK_SOURCE_DIR "/treatment/zones.json");
    REQUIRE(from_file.zones().size() == chart.zones().size());
    for (std::size_t i = 0; i < chart.zones().size(); ++i) {
        CHECK(from_file.zones()[i].key == chart.zones()[i].key);
        CHECK(from_file.zones()[i].depth_max_mm == chart.zones()[i].depth_max_mm);
    }
}

TEST_CASE("a clinic's chart replaces the standard one; malformed charts name the field",
          "[treatment][zones]") {
    const ZoneChart clinic =
        ZoneChart::parse(chart_with(R"({"key": "cheek", "name": "Cheek", "depth_min_mm": 0.5,
                       "depth_max_mm": 0.8})"),
                         "clinic.json");
    CHECK(clinic.name() == "clinic");
    CHECK(clinic.keys() == "cheek");
    ValidationOptions options;
    options.zones = clinic;
    const auto report = validate(
        parse_recipe(recipe_with(treat("c", "cheek", 1.0) + "," + treat("f", "forehead", 0.3))),
        options);
    REQUIRE(report.violations.size() == 2);
    CHECK(report.violations[0].message ==
          "steps[0].depth_mm (\"c\"): 1 mm exceeds the cheek zone's maximum of 0.8 mm");
    CHECK(report.violations[1].field == "steps[1].zone");

    CHECK(chart_error(chart_with(R"({"key": "cheek", "name": "Cheek", "depth_min_mm": 0.5,
                                     "depth_max_mm": -1})")) ==
          "clinic.json: zones[0].depth_max_mm: -1 mm must be > 0");
    CHECK(chart_error(chart_with(R"({"key": "cheek", "name": "Cheek", "depth_min_mm": 0.9,
                                     "depth_max_mm": 0.5})")) ==
          "clinic.json: zones[0].depth_min_mm: 0.9 mm exceeds depth_max_mm 0.5 mm");
    CHECK(chart_error(chart_with(R"({"key": "cheek", "name": "Cheek", "depth_min_mm": 0.5,
                                     "depth_max_mm": 500})")) ==
          "clinic.json: zones[0].depth_max_mm: 500 mm exceeds the plausible maximum of 5 mm");
    CHECK(chart_error(chart_with(R"({"key": "cheek", "name": "Cheek", "depth_min_mm": 0.5})")) ==
          "clinic.json: zones[0].depth_max_mm: missing (required)");
    CHECK_THAT(chart_error(chart_with(R"({"key": "cheek", "name": "Cheek", "depth_min_mm": 0.5,
                                          "depth_max_mm": 1, "max": 2})")),
               Contains("clinic.json: zones[0].max: unknown field"));
    CHECK(chart_error(chart_with(R"({"key": "a", "name": "A", "depth_min_mm": 0.1,
            "depth_max_mm": 1}, {"key": "a", "name": "B", "depth_min_mm": 0.1,
            "depth_max_mm": 1})")) == "clinic.json: zones[1].key: 'a' appears twice");
    CHECK(chart_error(R"({"schema": "penlink.zones/1", "name": "x", "zones": []})") ==
          "clinic.json: zones: must list at least one zone");
    CHECK_THROWS_WITH(ZoneChart::load_file("/nonexistent/z.json"),
                      "cannot read zone chart /nonexistent/z.json");
}

TEST_CASE("validation reports every violation at once with step, field, value, limit and unit",
          "[treatment][validation]") {
    const Recipe recipe = parse_recipe(recipe_with(
        treat("Eyes", "periorbital", 0.5) + "," +                                     // zone cap
        treat("Tongue", "tongue", 0.3) + "," +                                        // zone
        pause_step("move") + "," +                                                    //
        treat("Cheek", "cheek", 1.0, 1.0, R"(, "modules": {"rf": {"power": 25}})") +  // rf range
        "," + treat("Forehead", "forehead", 0.1)));                                   // note only
    ValidationOptions options;
    options.depth_limit_mm = 0.8;
    const ValidationReport report = validate(recipe, options);
    REQUIRE(report.violations.size() == 4);
    const Violation& eyes = report.violations[0];
    CHECK(eyes.step == 0);
    CHECK(eyes.field == "steps[0].depth_mm");
    CHECK(eyes.value == "0.5");
    CHECK(eyes.limit == "0.3");
    CHECK(eyes.unit == "mm");
    CHECK(eyes.message ==
          "steps[0].depth_mm (\"Eyes\"): 0.5 mm exceeds the periorbital zone's maximum of 0.3 mm");
    CHECK(report.violations[1].field == "steps[1].zone");
    CHECK_THAT(report.violations[1].message,
               Contains("unknown zone 'tongue'") && Contains("forehead, periorbital, nose, cheek"));
    CHECK(report.violations[2].field == "steps[3].depth_mm");
    CHECK(report.violations[2].message ==
          "steps[3].depth_mm (\"Cheek\"): 1 mm exceeds the session depth limit of 0.8 mm");
    const Violation& rf = report.violations[3];
    CHECK(rf.field == "steps[3].modules.rf.power");
    CHECK(rf.value == "25");
    CHECK(rf.limit == "20");
    CHECK(rf.unit == "W");
    CHECK_THAT(rf.message, Contains("rf.power 25 W exceeds the module's maximum of 20 W"));
    REQUIRE(report.notes.size() == 1);
    CHECK_THAT(report.notes[0], Contains("steps[4].depth_mm: 0.1 mm is below the forehead"));
    CHECK_THAT(report.to_string(), Contains("note: steps[4]"));
}

TEST_CASE("the at-home class caps depth and refuses energy-delivering modules",
          "[treatment][validation]") {
    const Recipe recipe = parse_recipe(recipe_with(
        treat("Forehead", "forehead", 0.25) + "," + treat("Cheek", "cheek", 0.5) + "," +
        treat("Led", "forehead", 0.25, 1.0, R"(, "modules": {"led": {"enabled": true}})") + "," +
        treat("Mist", "forehead", 0.25, 1.0, R"(, "modules": {"mist": {"flow": 1}})")));
    ValidationOptions options;
    options.device.device_class = DeviceClass::AtHome;
    const ValidationReport report = validate(recipe, options);
    REQUIRE(report.violations.size() == 3);
    CHECK(report.violations[0].message ==
          "steps[1].depth_mm (\"Cheek\"): 0.5 mm exceeds the at-home device class's maximum of "
          "0.25 mm");
    CHECK(report.violations[0].limit == "0.25");
    CHECK(report.violations[1].field == "steps[2].modules.led");
    CHECK_THAT(report.violations[1].message,
               Contains("module 'led' delivers energy (enabled, irradiance energy class): "
                        "refused in the at-home device class"));
    CHECK(report.violations[2].field == "steps[3].modules.mist");
    CHECK_THAT(report.violations[2].message, Contains("cannot be shown to deliver no energy"));

    // The cap is the app's to configure, never the recipe's.
    options.device.at_home_depth_cap_mm = 0.5;
    CHECK(validate(recipe, options).violations.size() == 2);
    options.device.at_home_depth_cap_mm = std::nan("");
    CHECK_THROWS_AS(validate(recipe, options), InvalidArgumentError);
    CHECK(parse_device_class("at-home") == DeviceClass::AtHome);
    CHECK(std::string(to_string(DeviceClass::Professional)) == "professional");
    CHECK_THROWS_WITH(parse_device_class("clinic"),
                      "device class 'clinic' is not professional or at-home");
}

TEST_CASE("offline validation knows the standard profiles and given descriptors",
          "[treatment][validation]") {
    const Recipe recipe = parse_recipe(recipe_with(
        treat("a", "cheek", 1.0, 1.0,
              R"(, "modules": {"rf": {"pulse": 5, "polarity": "sideways", "volume": 1}})")));
    const ValidationReport report = validate(recipe, ValidationOptions{});
    REQUIRE(report.violations.size() == 3);
    CHECK(report.violations[0].field == "steps[0].modules.rf.pulse");
    CHECK(report.violations[0].limit == "10");
    CHECK(report.violations[0].unit == "ms");
    CHECK(report.violations[1].field == "steps[0].modules.rf.polarity");
    CHECK(report.violations[2].field == "steps[0].modules.rf.volume");
    CHECK_THAT(report.violations[2].message, Contains("rf has: enabled, polarity, frequency"));
    std::vector<std::string> keys;
    for (const ModuleDescriptor& descriptor : standard_descriptors())
        keys.push_back(descriptor.key);
    CHECK(keys == std::vector<std::string>{"led_blue", "led_nir", "led", "rf"});  // file names
}
