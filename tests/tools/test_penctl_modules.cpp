// penctl's module commands against a module no source file knows: its descriptor is written
// here, at test time, and penctl learns everything about it from the pen.
#include <catch2/catch.hpp>

#include <unistd.h>
#include <filesystem>
#include <fstream>

#include "penctl_runner.hpp"

using namespace penlink::tooltest;
using Catch::Matchers::Contains;

namespace {

// A fractional-RF head with a pulse-train count, written afresh for this test run.
std::string write_descriptor() {
    const auto path = std::filesystem::temp_directory_path() /
                      ("penctl-fractional-" + std::to_string(::getpid()) + ".json");
    std::ofstream(path) << R"({"schema": "penlink.module/1", "key": "fractional",
  "name": "FracRF 49", "vendor": {"id": 777, "name": "Test Partner"}, "model": {"id": 49},
  "parameters": [
    {"key": "armed", "id": 32769, "type": "bool", "default": false, "safety": "energy"},
    {"key": "pins", "id": 32770, "type": "enum", "labels": ["p25", "p49", "p81"],
     "default": "p49"},
    {"key": "train", "id": 32771, "type": "integer", "unit": "count", "min": 1, "max": 8,
     "default": 2},
    {"key": "energy_mj", "id": 32772, "type": "fixed", "unit": "mJ", "scale": 0.1,
     "min": 0, "max": 30, "step": 0.5, "default": 0, "safety": "energy"}
  ],
  "telemetry": [
    {"key": "tip_c", "id": 130, "unit": "degC", "scale": 0.01, "min": 0, "max": 80,
     "alarm_high": 45}
  ],
  "simulation": {"telemetry": {"tip_c": {"model": "first_order", "source": "energy_mj",
     "gain": 0.5, "offset": 30, "idle": 30, "tau_s": 0.2, "initial": 30}}}})";
    return path.string();
}

}  // namespace

TEST_CASE("penctl modules and param drive a module known only by its descriptor", "[penctl]") {
    const std::string file = write_descriptor();
    const std::string url = "sim://?module=" + file;

    const auto listed = penctl({"modules", url});
    REQUIRE(listed.exit_code == 0);
    CHECK_THAT(listed.out, Contains("fractional@1  FracRF 49"));
    CHECK_THAT(listed.out, Contains("energy_mj        fixed   0 - 30 mJ step 0.5, default 0"));
    CHECK_THAT(listed.out, Contains("pins             enum    p25|p49|p81, default p49"));
    CHECK_THAT(listed.out, Contains("tip_c            0 - 80 degC, alarm above 45"));

    const auto set = penctl({"param", url, "fractional.train=4", "fractional.pins=p81"});
    REQUIRE(set.exit_code == 0);
    CHECK_THAT(set.out, Contains("fractional: set train = 4 count, pins = p81"));

    const auto too_much = penctl({"param", url, "fractional.energy_mj=31"});
    CHECK(too_much.exit_code == 1);
    CHECK_THAT(too_much.err,
               Contains("fractional.energy_mj 31 mJ exceeds the module's maximum of 30 mJ"));

    const auto label = penctl({"param", url, "fractional.pins=p100"});
    CHECK(label.exit_code == 2);  // the SDK refused what the user typed: a usage error
    CHECK_THAT(label.err, Contains("takes one of p25, p49, p81"));

    const auto typo = penctl({"param", url, "fractional.trian=4"});
    CHECK(typo.exit_code != 0);
    CHECK_THAT(typo.err, Contains("has no parameter \"trian\""));

    const auto read = penctl({"param", url, "fractional"});
    REQUIRE(read.exit_code == 0);
    CHECK_THAT(read.out, Contains("fractional.pins = p49"));  // a new sim: defaults
    CHECK_THAT(read.out, Contains("fractional.train = 2 count"));

    const auto monitor = penctl({"monitor", url, "--duration-s", "0.3"});
    REQUIRE(monitor.exit_code == 0);
    CHECK_THAT(monitor.out, Contains("fractional.tip_c 30 degC"));

    const auto none = penctl({"modules", "sim://"});
    REQUIRE(none.exit_code == 0);
    CHECK_THAT(none.out, Contains("no modules fitted"));
    std::filesystem::remove(file);
}
