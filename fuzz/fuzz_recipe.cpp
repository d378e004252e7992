// libFuzzer harness: parse_recipe and offline validate, which read recipe files a clinic or an
// app hands over (untrusted text).
//
// Input layout: the whole input is the recipe text. Seeds (fuzz/corpus/fuzz_recipe) are the
// example recipes; fuzz/fuzz_recipe.dict holds the schema's words.
//
// Checked on every input, beyond "no crash, no sanitizer report, no leak, no hang":
//   - the parser returns or throws InvalidArgumentError (anything else escapes: a finding);
//   - what it accepts keeps docs/treatments.md's promises: at least one Treat step; each Treat
//     step has a zone, finite depth, speed and duration > 0 (duration at most 3600 s, passes *
//     pass_duration_s when given as passes); a Pause step has a message; at most 16 values per
//     module; the source is the input;
//   - validate() never throws for a parsed recipe, in either device class, and an at-home
//     report has a violation for every step deeper than the cap;
//   - the same text parses the same way twice.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.hpp"
#include "penlink/errors.hpp"
#include "penlink/treatment.hpp"

using namespace penlink;
using namespace penlink::treatment;
using penlink::fuzz::check;

namespace {

bool positive_finite(double value) { return std::isfinite(value) && value > 0; }

void check_recipe(const Recipe& recipe, const std::string& text) {
    check(recipe.source == text);
    bool treats = false;
    for (const RecipeStep& step : recipe.steps) {
        check(!step.name.empty());
        if (step.kind == StepKind::Pause) {
            check(!step.message.empty());
            continue;
        }
        treats = true;
        check(!step.zone.empty());
        check(positive_finite(step.depth_mm) && positive_finite(step.speed_hz));
        check(positive_finite(step.duration_s) && step.duration_s <= 3600.0);
        if (step.passes > 0) {
            check(std::fabs(step.duration_s - step.passes * step.pass_duration_s) < 1e-9);
        }
        for (const ModuleSettings& settings : step.modules) {
            check(!settings.values.empty() && settings.values.size() <= 16);
        }
    }
    check(treats);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    Recipe recipe;
    try {
        recipe = parse_recipe(text);
    } catch (const InvalidArgumentError& error) {
        check(std::string(error.what()).size() > 0);
        return 0;
    }
    check_recipe(recipe, text);

    const Recipe again = parse_recipe(text);
    check(again.steps.size() == recipe.steps.size());
    for (std::size_t i = 0; i < recipe.steps.size(); ++i) {
        check(again.steps[i].depth_mm == recipe.steps[i].depth_mm);
        check(again.steps[i].zone == recipe.steps[i].zone);
    }

    ValidationOptions professional;
    (void)validate(recipe, professional);
    ValidationOptions at_home;
    at_home.device.device_class = DeviceClass::AtHome;
    const ValidationReport report = validate(recipe, at_home);
    for (std::size_t i = 0; i < recipe.steps.size(); ++i) {
        const RecipeStep& step = recipe.steps[i];
        if (step.kind != StepKind::Treat || step.depth_mm <= kDefaultAtHomeDepthCapMm) continue;
        bool reported = false;
        for (const Violation& violation : report.violations) {
            reported = reported || (violation.step == i && violation.limit == "0.25");
        }
        check(reported);
    }
    return 0;
}
