// Every example recipe parses and validates against the standard chart (professional class).
#include <catch2/catch.hpp>

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
