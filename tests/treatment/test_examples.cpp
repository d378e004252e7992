// Every example recipe parses and validates against the standard chart (professional class).
#include <catch2/catch.hpp>

#include <boost/json.hpp>
#include <fstream>
#include <set>
#include <sstream>

#include "penlink/errors.hpp"
#include "penlink/treatment.hpp"

using namespace penlink::treatment;

TEST_CASE("the example recipes validate", "[treatment][examples]") {
    const std::pair<const char*, const char*> examples[] = {{"fine-lines", "fine-lines"},
                                                            {"acne-scars", "acne-scars"},
                                                            {"pigmentation-led", "pigmentation"},
                                                            {"laxity-rf", "laxity"}};
    for (const auto& [name, concern] : examples) {
        INFO(name);
        const Recipe recipe =
            load_recipe(std::string(PENLINK_SOURCE_DIR "/examples/recipes/") + name + ".json");
        CHECK(recipe.concern == concern);
        const ValidationReport report = validate(recipe, ValidationOptions{});
        INFO(report.to_string());
        CHECK(report.ok());
        CHECK(recipe.total_duration_s() > 0);
    }
    // acne-scars is the multi-zone one the runner tests use.
    const Recipe acne = load_recipe(PENLINK_SOURCE_DIR "/examples/recipes/acne-scars.json");
    CHECK(acne.steps.size() >= 3);
    CHECK(acne.steps[0].zone != acne.steps[1].zone);
}

namespace {

/// The field names the parser allows where unknown_field sits, from its refusal.
std::set<std::string> allowed_fields(const std::string& json) {
    std::string message;
    try {
        parse_recipe(json);
    } catch (const penlink::InvalidArgumentError& error) {
        message = error.what();
    }
    const auto start = message.find("(allowed: ");
    REQUIRE(start != std::string::npos);
    const std::string list = message.substr(start + 10, message.rfind(')') - start - 10);
    std::set<std::string> names;
    std::stringstream parts(list);
    for (std::string name; std::getline(parts, name, ',');) {
        names.insert(name.substr(name.find_first_not_of(' ')));
    }
    return names;
}

std::set<std::string> schema_properties(const boost::json::value& object) {
    std::set<std::string> names;
    for (const auto& entry : object.at("properties").as_object()) {
        names.insert(std::string(entry.key()));
    }
    return names;
}

}  // namespace

TEST_CASE("docs/recipe.schema.json names exactly the fields the parser allows",
          "[treatment][docs]") {
    std::ifstream in(PENLINK_SOURCE_DIR "/docs/recipe.schema.json");
    std::stringstream text;
    text << in.rdbuf();
    const auto schema = boost::json::parse(text.str());
    CHECK(schema_properties(schema) ==
          allowed_fields(R"({"schema": "penlink.recipe/1", "name": "x", "steps": [], "zz": 1})"));
    CHECK(schema_properties(schema.at("$defs").at("treat")) ==
          allowed_fields(R"({"schema": "penlink.recipe/1", "name": "x", "steps": [{"name": "a",
              "zone": "cheek", "depth_mm": 1, "speed_hz": 100, "duration_s": 1, "zz": 1}]})"));
    CHECK(schema_properties(schema.at("$defs").at("pause")) ==
          allowed_fields(R"({"schema": "penlink.recipe/1", "name": "x", "steps": [{"name": "a",
              "pause": "p", "zz": 1}]})"));
    CHECK(schema.at("properties").at("schema").at("const") == "penlink.recipe/1");
}
