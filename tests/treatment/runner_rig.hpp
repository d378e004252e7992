// What every runner test starts from and ends with: a penlink-sim process with a pen connected
// to it, a recipe built from step texts, and the run's result checked for its outcome.
#pragma once

#include <catch2/catch.hpp>

#include <chrono>
#include <initializer_list>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "penlink/pen.hpp"
#include "penlink/treatment_runner.hpp"
#include "recipe_text.hpp"
#include "run_log.hpp"
#include "sim_pen.hpp"

namespace penlink::treatment_test {

/// A penlink-sim process on TCP, a pen connected to it and a log for the runner to tell.
struct RunnerRig {
    explicit RunnerRig(std::vector<std::string> sim_args = {})
        : sim(std::move(sim_args)), pen(Pen::connect(sim.url(), SimPen::options())) {}

    SimPen sim;
    std::unique_ptr<Pen> pen;
    HookedLog log;
};

/// The recipe of the given step texts (treat(), pause_step()), in order.
inline treatment::Recipe recipe_of(std::initializer_list<std::string> steps) {
    std::string joined;
    for (const std::string& step : steps) joined += (joined.empty() ? "" : ",") + step;
    return treatment::parse_recipe(recipe_with(joined));
}

/// The run's result, which must come within timeout.
inline treatment::RunResult result_within(treatment::Runner& runner,
                                          std::chrono::milliseconds timeout) {
    auto result = runner.wait_for(timeout);
    REQUIRE(result);
    return std::move(*result);
}

/// The run's result, which must come within timeout, say Completed and have `steps` steps.
inline treatment::RunResult completed_run(
    treatment::Runner& runner, std::size_t steps,
    std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
    treatment::RunResult result = result_within(runner, timeout);
    INFO(result.reason);
    CHECK(result.outcome == treatment::RunOutcome::Completed);
    REQUIRE(result.steps.size() == steps);
    return result;
}

}  // namespace penlink::treatment_test
