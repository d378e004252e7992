// Loading modules from descriptor files: the sim options (module=, module_store=) and the
// behaviour section's errors, each naming the file and the field.
#include <catch2/catch.hpp>

#include "module_fixtures.hpp"
#include "penlink/errors.hpp"

using namespace penlink;
using namespace penlink::sim;
using namespace penlink::sim::test;
using Catch::Matchers::Contains;

namespace {

std::string behaviour_error(const std::string& simulation) {
    try {
        load_module_text(suction_descriptor(simulation), "tip.json");
    } catch (const InvalidArgumentError& error) {
        return error.what();
    }
    return "";
}

}  // namespace

TEST_CASE("sim option module= loads comma-separated descriptor files in order",
          "[sim][modules][config]") {
    TempFile first(suction_descriptor());
    TempFile second(suction_descriptor(R"({"telemetry": {}})"));
    SimConfig config = default_sim_config();
    apply_sim_options(config, {{"module", first.path() + "," + second.path()}});
    REQUIRE(config.modules.size() == 2);
    CHECK(config.modules[0]->origin == first.path());
    CHECK(config.modules[1]->origin == second.path());
    CHECK(config.modules[0]->bytes == suction_descriptor());
    CHECK(config.modules[0]->descriptor.name == "VacuHead V2");
    CHECK(config.module_store);
    apply_sim_options(config, {{"module_store", "0"}});
    CHECK_FALSE(config.module_store);
}

TEST_CASE("a bad module file is refused naming the file and the field", "[sim][modules][config]") {
    std::string text = suction_descriptor();
    text.replace(text.find("\"max\": 80"), 9, "\"max\": -1");
    TempFile bad(text);
    SimConfig config = default_sim_config();
    CHECK_THROWS_WITH(apply_sim_options(config, {{"module", bad.path()}}),
                      Contains(bad.path()) && Contains("vacuum_kpa") && Contains("min 0 > max -1"));
    CHECK(config.modules.empty());  // nothing applied
    CHECK_THROWS_WITH(apply_sim_options(config, {{"module", "/no/such/tip.json"}}),
                      Contains("/no/such/tip.json") && Contains("cannot be opened"));
    CHECK_THROWS_WITH(apply_sim_options(config, {{"module", ""}}), Contains("empty"));
    TempFile not_json("{ nope");
    CHECK_THROWS_WITH(apply_sim_options(config, {{"module", not_json.path()}}),
                      Contains(not_json.path()) && Contains("not valid JSON"));
}

TEST_CASE("a malformed behaviour section is refused naming the field",
          "[sim][modules][behaviour]") {
    CHECK(behaviour_error(R"({"telemetry": {"vacuum_kpa": {"model": "first_order",
                             "tau_s": 0}}})") ==
          "module file tip.json: simulation.telemetry.vacuum_kpa: tau_s 0 must be > 0");
    CHECK_THAT(behaviour_error(R"({"telemetry": {"vacuum_kpa": {"model": "spline"}}})"),
               Contains("simulation.telemetry.vacuum_kpa") && Contains("model \"spline\""));
    CHECK_THAT(
        behaviour_error(R"({"telemetry": {"pressure": {"model": "constant"}}})"),
        Contains("simulation.telemetry.pressure") && Contains("no telemetry channel \"pressure\""));
    CHECK_THAT(behaviour_error(R"({"telemetry": {"heat_j": {"source": "watts"}}})"),
               Contains("simulation.telemetry.heat_j") && Contains("source \"watts\""));
    CHECK_THAT(behaviour_error(R"({"telemetry": {"heat_j": {"when": "vacuum_kpa"}}})"),
               Contains("when \"vacuum_kpa\" is not a bool parameter"));
    CHECK_THAT(behaviour_error(R"({"telemetry": {"heat_j": {"when": "sunshine"}}})"),
               Contains("when \"sunshine\""));
    CHECK_THAT(behaviour_error(R"({"telemetry": {"heat_j": {"gain": "2"}}})"),
               Contains("simulation.telemetry.heat_j: gain must be a number"));
    CHECK_THAT(behaviour_error(R"({"telemetry": {"heat_j": {"gian": 2}}})"),
               Contains("unknown field \"gian\""));
    CHECK_THAT(behaviour_error(R"({"telemetry": [1]})"),
               Contains("simulation.telemetry: must be a JSON object"));
    CHECK_THAT(behaviour_error(R"({"telemetree": {}})"),
               Contains("simulation: unknown field \"telemetree\""));
    CHECK(behaviour_error(R"({"telemetry": {"heat_j": {"when": "needle_running"}}})").empty());
}

TEST_CASE("a channel without a model stays at its initial value", "[sim][modules][behaviour]") {
    auto definition = load_module_text(
        suction_descriptor(R"({"telemetry": {"heat_j": {"initial": 3.5}}})"), "tip.json");
    SimConfig config = default_sim_config();
    config.modules.push_back(definition);
    PenModel model(config);
    model.step(1'000'000);
    CHECK(model.modules().telemetry(1, "heat_j") == 3.5);
    CHECK(model.modules().telemetry(1, "vacuum_kpa") == 0.0);  // 0 clamped to 0..100
}
