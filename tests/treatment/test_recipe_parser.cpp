// The recipe parser: good recipes, and a clear error naming the place for every bad input kind.
#include <catch2/catch.hpp>

#include "penlink/errors.hpp"
#include "penlink/treatment.hpp"
#include "recipe_text.hpp"

using namespace penlink;
using namespace penlink::treatment;
using namespace penlink::treatment_test;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

namespace {

std::string parse_error(const std::string& json) {
    try {
        parse_recipe(json);
    } catch (const InvalidArgumentError& error) {
        return error.what();
    }
    return "<parsed>";
}

}  // namespace

TEST_CASE("a recipe parses into steps with zones, depths, passes, modules and pauses",
          "[treatment][recipe]") {
    const std::string json =
        recipe_with(treat("Left cheek", "cheek", 1.0, 2.5) + "," + pause_step("Move") + "," +
                    R"({"name": "Forehead", "zone": "forehead", "depth_mm": 0.5, "speed_hz": 90,
            "passes": 3, "pass_duration_s": 1.5,
            "modules": {"rf": {"enabled": true, "power": 8, "polarity": "bipolar"}}})");
    const Recipe recipe = parse_recipe(json);
    REQUIRE(recipe.steps.size() == 3);
    CHECK(recipe.name == "test");
    CHECK(recipe.source == json);
    CHECK(recipe.steps[0].kind == StepKind::Treat);
    CHECK(recipe.steps[0].zone == "cheek");
    CHECK(recipe.steps[0].depth_mm == 1.0);
    CHECK(recipe.steps[0].duration_s == 2.5);
    CHECK(recipe.steps[1].kind == StepKind::Pause);
    CHECK(recipe.steps[1].message == "press the button");
    const RecipeStep& forehead = recipe.steps[2];
    CHECK(forehead.passes == 3);
    CHECK(forehead.pass_duration_s == 1.5);
    CHECK(forehead.duration_s == Approx(4.5));
    REQUIRE(forehead.modules.size() == 1);
    CHECK(forehead.modules[0].module == "rf");
    REQUIRE(forehead.modules[0].values.size() == 3);
    CHECK(forehead.modules[0].values[0].key == "enabled");
    CHECK(forehead.modules[0].values[0].value == ParamValue(true));
    CHECK(forehead.modules[0].values[1].value == ParamValue(8.0));
    CHECK(forehead.modules[0].values[2].value == ParamValue("bipolar"));
    CHECK(recipe.total_duration_s() == Approx(7.0));
}

TEST_CASE("every bad input kind is refused naming the place", "[treatment][recipe]") {
    SECTION("a missing field") {
        CHECK(parse_error(recipe_with(R"({"name": "a", "zone": "cheek", "speed_hz": 100,
                                         "duration_s": 1})")) ==
              "steps[0].depth_mm: missing (required)");
        CHECK(parse_error(R"({"schema": "penlink.recipe/1", "steps": []})") ==
              "name: missing (required)");
        CHECK_THAT(parse_error(recipe_with(R"({"name": "a", "zone": "cheek", "depth_mm": 1,
                                              "speed_hz": 100})")),
                   StartsWith("steps[0].duration_s: missing (required: duration_s, or passes"));
    }
    SECTION("an unknown field") {
        CHECK_THAT(parse_error(recipe_with(treat("a", "cheek", 1.0, 1.0, R"(, "depht_mm": 2)"))),
                   StartsWith("steps[0].depht_mm: unknown field (allowed: name, zone, depth_mm"));
        CHECK_THAT(parse_error(R"({"schema": "penlink.recipe/1", "name": "x", "steps": [],
                                  "author": "me"})"),
                   StartsWith("author: unknown field"));
    }
    SECTION("a negative or zero duration, depth or speed") {
        CHECK(parse_error(recipe_with(treat("a", "cheek", 1.0, -2.0))) ==
              "steps[0].duration_s: -2 s must be > 0");
        CHECK(parse_error(recipe_with(treat("a", "cheek", -0.5))) ==
              "steps[0].depth_mm: -0.5 mm must be > 0");
        CHECK(parse_error(recipe_with(treat("a", "cheek", 1.0, 1.0, "", 0))) ==
              "steps[0].speed_hz: 0 Hz must be > 0");
        CHECK(parse_error(recipe_with(R"({"name": "a", "zone": "cheek", "depth_mm": 1,
            "speed_hz": 100, "passes": 2, "pass_duration_s": -1})")) ==
              "steps[0].pass_duration_s: -1 s must be > 0");
    }
    SECTION("a number that is not finite") {
        CHECK(parse_error(recipe_with(R"({"name": "a", "zone": "cheek", "depth_mm": 1,
            "speed_hz": 100, "duration_s": 1e999})")) ==
              "steps[0].duration_s: inf is not a finite number");
        CHECK(parse_error(recipe_with(
                  treat("a", "cheek", 1.0, 1.0, R"(, "modules": {"rf": {"power": -1e999}})"))) ==
              "steps[0].modules.rf.power: -inf is not a finite number");
    }
    SECTION("wrong types and shapes") {
        CHECK(parse_error(recipe_with(R"({"name": "a", "zone": "cheek", "depth_mm": "1",
            "speed_hz": 100, "duration_s": 1})")) ==
              "steps[0].depth_mm: must be a number, not a string");
        CHECK(parse_error(recipe_with("[1]")) == "steps[0]: must be an object, not an array");
        CHECK(parse_error(recipe_with(R"({"name": "a", "zone": "cheek", "depth_mm": 1,
            "speed_hz": 100, "passes": 1.5, "pass_duration_s": 1})")) ==
              "steps[0].passes: 1.5 is not a whole number");
        CHECK_THAT(parse_error(recipe_with(R"({"name": "a", "zone": "cheek", "depth_mm": 1,
            "speed_hz": 100, "duration_s": 1, "passes": 2, "pass_duration_s": 1})")),
                   StartsWith("steps[0].duration_s: give either duration_s or passes"));
        CHECK(parse_error(recipe_with(
                  treat("a", "cheek", 1.0, 1.0, R"(, "modules": {"rf": {"power": [1]}})"))) ==
              "steps[0].modules.rf.power: must be a boolean, a number or a label, not an array");
        CHECK_THAT(parse_error(recipe_with(
                       treat("a", "cheek", 1.0, 1.0, R"(, "modules": {"RF!": {"power": 1}})"))),
                   StartsWith("steps[0].modules.RF!: 'RF!' is not a module key"));
        CHECK(parse_error(recipe_with(pause_step("p"))) ==
              "steps: must have at least one treatment step (with a zone)");
        CHECK_THAT(parse_error(R"({"schema": "penlink.recipe/9", "name": "x", "steps": []})"),
                   StartsWith("schema: 'penlink.recipe/9' is not penlink.recipe/1"));
        CHECK_THAT(parse_error(recipe_with(R"({"name": "a", "pause": "x", "zone": "cheek"})")),
                   StartsWith("steps[0].zone: unknown field (allowed: name, pause)"));
    }
    SECTION("a key twice in one object (JSON parsers silently keep one)") {
        CHECK(parse_error(recipe_with(treat("a", "cheek", 1.0, 1.0, R"(, "depth_mm": 2.5)"))) ==
              "steps[0].depth_mm: appears twice in one object");
        CHECK(
            parse_error(recipe_with(treat("a", "cheek", 1.0) + "," +
                                    treat("b", "cheek", 1.0, 1.0,
                                          R"(, "modules": {"rf": {"power": 1, "power": 30}})"))) ==
            "steps[1].modules.rf.power: appears twice in one object");
        CHECK(parse_error(R"({"schema": "penlink.recipe/1", "name": "x", "name": "y",
                              "steps": []})") == "name: appears twice in one object");
        // The same key in different objects is fine, and so is a key inside a string.
        CHECK_NOTHROW(parse_recipe(
            recipe_with(treat(R"(a \"zone\": 1)", "cheek", 1.0) + "," + treat("b", "cheek", 1.0))));
    }
    SECTION("not JSON at all: line and column") {
        CHECK_THAT(parse_error("{\n  \"schema\": \"penlink.recipe/1\",\n  \"name\": oops}"),
                   StartsWith("not valid JSON at line 3, column 11"));
        CHECK_THAT(parse_error(""), StartsWith("not valid JSON at line 1"));
    }
}

TEST_CASE("load_recipe names the file", "[treatment][recipe]") {
    CHECK_THROWS_WITH(load_recipe("/nonexistent/r.json"), "cannot read recipe /nonexistent/r.json");
}
