// Where pause() and resume() apply (docs/treatments.md, "Pause and resume"), against a real
// penlink-sim process over TCP: the calls are made from the observer's and progress callbacks,
// which run on the runner's thread at known points (between two steps, while a step runs), so
// each case lands in the same place on every run.
#include <catch2/catch.hpp>

#include "penlink/treatment_runner.hpp"
#include "runner_rig.hpp"

using namespace penlink;
using namespace penlink::treatment;
using namespace penlink::treatment_test;
using namespace std::chrono_literals;
using penlink::test::wait_until;

namespace {

/// How many progress reports said step `step` in state `state`.
std::size_t reports(const RunLog& log, std::size_t step, RunState state) {
    std::lock_guard lock(log.mutex);
    std::size_t count = 0;
    for (const auto& progress : log.progresses)
        if (progress.step == step && progress.state == state) ++count;
    return count;
}

}  // namespace

TEST_CASE("a pause between two treat steps holds the next step before its needle starts",
          "[treatment][runner][pause]") {
    RunnerRig rig;
    FrameLog frames(*rig.pen);
    // Forehead (0.5 mm) then cheek (1.0 mm): the second step's depth is deeper, so a frame at
    // 1.0 mm would show it had begun setting up.
    Runner runner(
        *rig.pen,
        recipe_of({treat("Forehead", "forehead", 0.5, 1.0), treat("Cheek", "cheek", 1.0, 1.0)}),
        options_for(rig.log));
    // The gap: step 0 ended, step 1 not begun.
    rig.log.after_step(0, [&runner] { runner.pause(); });
    runner.start();
    REQUIRE(wait_until([&] { return runner.state() == RunState::Paused; }, 15s));
    // Several progress reports while paused in step 1: the runner is settled in the wait.
    REQUIRE(wait_until([&] { return reports(rig.log, 1, RunState::Paused) >= 3; }, 15s));
    {
        const auto held = frames.frames();
        REQUIRE_FALSE(held.empty());
        CHECK(held.back().state != PenState::Running);
        CHECK(held.back().depth_set_mm == Approx(0.5));  // step 1's depth not set yet
        CHECK(running_segments(frames).size() == 1);     // only step 0's needle ran
    }
    CHECK(reports(rig.log, 1, RunState::Running) == 0);
    runner.resume();
    const auto result = completed_run(runner, 2);
    INFO(result.reason);
    CHECK(result.steps[1].outcome == "completed");
    CHECK(result.steps[1].strokes > 50);
    CHECK(rig.log.saw_event("pause: Cheek paused"));
    CHECK(rig.log.saw_event("resume: Cheek resumed"));
    // The needle started once per step: step 1's only after resume().
    const auto segments = running_segments(frames);
    REQUIRE(segments.size() == 2);
    CHECK(segments[0] == Approx(0.5));
    CHECK(segments[1] == Approx(1.0));
}

TEST_CASE("a skip while held before the needle ends that step without strokes",
          "[treatment][runner][pause]") {
    RunnerRig rig;
    FrameLog frames(*rig.pen);
    Runner runner(*rig.pen,
                  recipe_of({treat("Forehead", "forehead", 0.5, 1.0),
                             treat("Cheek", "cheek", 1.0, 600.0), treat("Nose", "nose", 0.5, 1.0)}),
                  options_for(rig.log));
    rig.log.after_step(0, [&runner] { runner.pause(); });
    runner.start();
    REQUIRE(wait_until([&] { return runner.state() == RunState::Paused; }, 15s));
    runner.skip();
    const auto result = completed_run(runner, 3);
    INFO(result.reason);
    CHECK(result.steps[1].outcome == "skipped");
    CHECK(result.steps[1].strokes == 0);
    CHECK(result.steps[2].outcome == "completed");
    CHECK(rig.log.saw_event("skip: Cheek skipped while paused"));
    const auto segments = running_segments(frames);
    REQUIRE(segments.size() == 2);  // never at the cheek's 1.0 mm
    CHECK(segments[0] == Approx(0.5));
    CHECK(segments[1] == Approx(0.5));
}

TEST_CASE("a resume between steps continues the pause step that follows",
          "[treatment][runner][pause]") {
    RunnerRig rig;
    Runner runner(*rig.pen,
                  recipe_of({treat("Cheek", "cheek", 1.0, 1.0), pause_step("Move to the forehead"),
                             treat("Forehead", "forehead", 0.5, 1.0)}),
                  options_for(rig.log));
    // The operator's continue, just before the pause.
    rig.log.after_step(0, [&runner] { runner.resume(); });
    runner.start();
    // No button press: the kept resume() is the only thing that can end the pause step.
    const auto result = completed_run(runner, 3);
    INFO(result.reason);
    CHECK(result.steps[1].outcome == "continued");
    CHECK(result.steps[2].outcome == "completed");
    CHECK(rig.log.saw_event("resume: Move to the forehead continued as it began"));
    CHECK(reports(rig.log, 1, RunState::WaitingForOperator) == 0);
}

TEST_CASE("a resume while a treat step runs is not kept for a later pause step",
          "[treatment][runner][pause]") {
    RunnerRig rig;
    RunOptions options = options_for(rig.log);
    Runner* running = nullptr;
    bool resumed = false;
    options.on_progress = [&](const RunProgress& progress) {
        rig.log.progress(progress);
        // Mid-step, with nothing paused: ignored and forgotten.
        if (!resumed && progress.step == 0 && progress.state == RunState::Running &&
            progress.step_elapsed_s > 0.1) {
            resumed = true;
            running->resume();
        }
    };
    Runner runner(*rig.pen,
                  recipe_of({treat("Cheek", "cheek", 1.0, 1.0), pause_step("Ready?"),
                             treat("Forehead", "forehead", 0.5, 1.0)}),
                  options);
    running = &runner;
    runner.start();
    REQUIRE(wait_until([&] { return runner.state() == RunState::WaitingForOperator; }, 15s));
    REQUIRE(
        wait_until([&] { return reports(rig.log, 1, RunState::WaitingForOperator) >= 3; }, 15s));
    CHECK(runner.state() == RunState::WaitingForOperator);  // still waiting: nothing was kept
    CHECK(resumed);
    {
        std::lock_guard lock(rig.log.mutex);
        CHECK(rig.log.steps.size() == 1);
    }
    runner.resume();
    const auto result = completed_run(runner, 3);
    CHECK(result.steps[0].outcome == "completed");
    CHECK(result.steps[1].outcome == "continued");
    CHECK(result.steps[2].outcome == "completed");
}

TEST_CASE("pause and resume in the gap cancel each other, in either order",
          "[treatment][runner][pause]") {
    RunnerRig rig;
    SECTION("pause then resume: the next treat step runs without stopping") {
        Runner runner(
            *rig.pen,
            recipe_of({treat("Cheek", "cheek", 1.0, 1.0), treat("Forehead", "forehead", 0.5, 1.0)}),
            options_for(rig.log));
        rig.log.on_step_finished = [&runner](std::size_t index) {
            if (index == 0) {
                runner.pause();
                runner.resume();
            }
        };
        runner.start();
        const auto result = result_within(runner, 30s);
        CHECK(result.outcome == treatment::RunOutcome::Completed);
        CHECK(result.steps.at(1).outcome == "completed");
        CHECK_FALSE(rig.log.saw_event("pause:"));
        CHECK(reports(rig.log, 1, RunState::Paused) == 0);
    }
    SECTION("resume then pause: the pause step waits for the operator") {
        Runner runner(*rig.pen,
                      recipe_of({treat("Cheek", "cheek", 1.0, 1.0), pause_step("Ready?"),
                                 treat("Forehead", "forehead", 0.5, 1.0)}),
                      options_for(rig.log));
        rig.log.on_step_finished = [&runner](std::size_t index) {
            if (index == 0) {
                runner.resume();
                runner.pause();  // undoes the kept resume; absorbed by the pause step
            }
        };
        runner.start();
        REQUIRE(wait_until([&] { return runner.state() == RunState::WaitingForOperator; }, 15s));
        runner.resume();
        const auto result = completed_run(runner, 3);
        CHECK(result.steps[1].outcome == "continued");
        // The absorbed pause did not hold the treat step after the pause step.
        CHECK(result.steps[2].outcome == "completed");
        CHECK_FALSE(rig.log.saw_event("pause:"));
        CHECK(reports(rig.log, 2, RunState::Paused) == 0);
    }
}
