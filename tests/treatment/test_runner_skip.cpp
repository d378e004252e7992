// Which step a skip() ends (docs/treatments.md, "Which step a skip ends"), against a real
// penlink-sim process over TCP: the skip is called from the observer's callbacks, which run on
// the runner's thread at known points (between two steps, as a step begins), so each case
// lands in the same place on every run.
#include <catch2/catch.hpp>

#include "penlink/treatment_runner.hpp"
#include "runner_rig.hpp"

using namespace penlink;
using namespace penlink::treatment;
using namespace penlink::treatment_test;
using namespace std::chrono_literals;
using penlink::test::wait_until;

TEST_CASE("a skip between two steps ends the next step before its needle starts",
          "[treatment][runner][skip]") {
    RunnerRig rig;
    FrameLog frames(*rig.pen);
    Runner runner(
        *rig.pen,
        recipe_of({treat("First", "cheek", 1.0, 1.0), treat("Long", "forehead", 0.5, 600.0),
                   treat("Last", "cheek", 1.0, 1.0)}),
        options_for(rig.log));
    // step_finished(0) runs after the first step ended and before the second began: the gap.
    rig.log.after_step(0, [&runner] { runner.skip(); });
    runner.start();
    const auto result = completed_run(runner, 3);
    INFO(result.reason);
    CHECK(result.steps[0].outcome == "completed");
    CHECK(result.steps[1].outcome == "skipped");
    CHECK(result.steps[1].strokes == 0);
    CHECK(result.steps[2].outcome == "completed");
    CHECK(result.duration_s < 60);
    CHECK(rig.log.saw_event("skip: Long skipped before it began"));
    // The needle ran twice, both at the cheek's depth: never in the skipped step.
    const auto segments = running_segments(frames);
    REQUIRE(segments.size() == 2);
    CHECK(segments[0] == Approx(1.0));
    CHECK(segments[1] == Approx(1.0));
    std::lock_guard lock(rig.log.mutex);
    CHECK(rig.log.calls[3] == "step_started 1 Long");
    CHECK(rig.log.calls[4] == "step_finished 1 skipped");
}

TEST_CASE("a skip just before a pause step ends it without waiting for the operator",
          "[treatment][runner][skip]") {
    RunnerRig rig;
    Runner runner(*rig.pen,
                  recipe_of({treat("Cheek", "cheek", 1.0, 1.0), pause_step("Move to the forehead"),
                             treat("Forehead", "forehead", 0.5, 1.0)}),
                  options_for(rig.log));
    rig.log.after_step(0, [&runner] { runner.skip(); });
    runner.start();
    // No button press and no resume(): without the skip this run would wait for ever.
    const auto result = completed_run(runner, 3);
    INFO(result.reason);
    CHECK(result.steps[1].outcome == "skipped");
    CHECK(result.steps[2].outcome == "completed");
    CHECK_FALSE(rig.log.saw_event("operator: waiting"));
    std::lock_guard lock(rig.log.mutex);
    for (const auto& progress : rig.log.progresses) {
        CHECK(progress.state != RunState::WaitingForOperator);
    }
}

TEST_CASE("a skip while waiting for the operator ends the pause step as skipped",
          "[treatment][runner][skip]") {
    RunnerRig rig;
    Runner runner(*rig.pen,
                  recipe_of({pause_step("Ready?"), treat("Forehead", "forehead", 0.5, 1.0)}),
                  options_for(rig.log));
    runner.start();
    REQUIRE(wait_until([&] { return runner.state() == RunState::WaitingForOperator; }, 15s));
    runner.skip();
    const auto result = completed_run(runner, 2);
    CHECK(result.steps[0].outcome == "skipped");
    // The skip was used up by the pause: the treat step after it ran to its end.
    CHECK(result.steps[1].outcome == "completed");
    CHECK(result.steps[1].strokes > 50);
    CHECK(rig.log.saw_event("skip: Ready? skipped"));
}

TEST_CASE("each skip ends one step; skips before start or after the last step do nothing",
          "[treatment][runner][skip]") {
    RunnerRig rig;
    Runner runner(*rig.pen,
                  recipe_of({treat("One", "cheek", 1.0, 600.0), treat("Two", "cheek", 1.0, 600.0),
                             treat("Three", "forehead", 0.5, 1.0)}),
                  options_for(rig.log));
    runner.skip();  // not started: ignored, so it cannot end step "One" later
    // Two calls as the first step begins: they end the first two steps, one each.
    rig.log.on_step_started = [&runner](std::size_t index) {
        if (index == 0) {
            runner.skip();
            runner.skip();
        }
    };
    // After the last step ended there is nothing left to skip.
    rig.log.after_step(2, [&runner] { runner.skip(); });
    runner.start();
    const auto result = completed_run(runner, 3);
    INFO(result.reason);
    CHECK(result.steps[0].outcome == "skipped");
    CHECK(result.steps[1].outcome == "skipped");
    CHECK(result.steps[0].strokes == 0);
    CHECK(result.steps[1].strokes == 0);
    CHECK(result.steps[2].outcome == "completed");
    CHECK(result.steps[2].strokes > 50);
    runner.skip();  // finished: ignored
    CHECK(runner.state() == RunState::Finished);
}
