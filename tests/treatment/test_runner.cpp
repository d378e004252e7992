// The runner against a real penlink-sim process over TCP: complete runs, the app's controls,
// and every way a run must stop with everything off.
#include <catch2/catch.hpp>

#include <thread>

#include "penlink/errors.hpp"
#include "penlink/treatment_runner.hpp"
#include "runner_rig.hpp"

using namespace penlink;
using namespace penlink::treatment;
using namespace penlink::treatment_test;
using namespace std::chrono_literals;
// runner's.
using Catch::Matchers::Contains;
using penlink::test::wait_until;

namespace {

const std::string kExamples = PENLINK_SOURCE_DIR "/examples/recipes/";

/// Waits until the run is in step index with the needle running.
bool running_step(const RunLog& log, Runner& runner, std::size_t index) {
    return wait_until(
        [&] {
            const auto progress = log.last_progress();
            return runner.state() == RunState::Running && progress.step == index &&
                   progress.step_elapsed_s > 0.3;
        },
        15s);
}

/// Needle stopped and RF/LED off, as the pen reports it.
bool all_off(const Pen& pen) {
    return wait_until([&] {
        const auto status = pen.latest_status();
        return status && status->state != PenState::Running && !status->rf_enabled &&
               !status->led_enabled && status->speed_actual_hz < 1.0;
    });
}

/// Runs the example recipe until step index has its needle running, has the sim do command
/// there, and returns the run's result, which must say Failed in that step.
RunResult failed_in_step(RunnerRig& rig, const std::string& recipe, std::size_t index,
                         const std::string& command) {
    Runner runner(*rig.pen, load_recipe(kExamples + recipe), options_for(rig.log));
    runner.start();
    REQUIRE(running_step(rig.log, runner, index));
    REQUIRE(rig.sim.command(command) == "ok");
    const RunResult result = result_within(runner, 30s);
    INFO(result.reason);
    CHECK(result.outcome == treatment::RunOutcome::Failed);
    REQUIRE(result.step);
    CHECK(*result.step == index);
    return result;
}

}  // namespace

TEST_CASE("acne-scars runs multi-zone to completion with totals per step", "[treatment][runner]") {
    RunnerRig rig;
    Runner runner(*rig.pen, load_recipe(kExamples + "acne-scars.json"), options_for(rig.log));
    runner.start();
    const RunResult result = runner.wait();
    INFO(result.reason);
    CHECK(result.outcome == treatment::RunOutcome::Completed);
    CHECK_FALSE(result.step);
    REQUIRE(result.steps.size() == 4);
    const ZoneChart chart = ZoneChart::standard();
    for (const StepTotals& step : result.steps) {
        INFO(step.name);
        CHECK(step.outcome == "completed");
        CHECK(step.strokes > 100);  // about 2 s at 100-120 Hz
        CHECK(step.ended_s - step.started_s >= 2.0);
        const double cap = chart.find(step.zone)->depth_max_mm;
        CHECK(step.depth_set_max_mm <= cap + 1e-9);
        CHECK(step.depth_actual_max_mm <= cap + 0.03);
        CHECK(step.depth_actual_min_mm > 0);
    }
    CHECK(result.steps[1].zone == "forehead");
    CHECK(result.steps[1].depth_set_max_mm == Approx(0.5));

    std::lock_guard lock(rig.log.mutex);
    CHECK(rig.log.info.step_count == 4);
    CHECK(rig.log.info.pen_model == "PL-SIM-1");
    CHECK(rig.log.info.cartridge_id == 1001);
    CHECK_THAT(rig.log.info.recipe_source, Contains("penlink.recipe/1"));
    REQUIRE(rig.log.calls.size() == 10);
    CHECK(rig.log.calls.front() == "run_started");
    CHECK(rig.log.calls[1] == "step_started 0 Left cheek");
    CHECK(rig.log.calls[2] == "step_finished 0 completed");
    CHECK(rig.log.calls.back() == "run_finished completed");
    // Progress went through every step, time left only fell, strokes only grew.
    REQUIRE(rig.log.progresses.size() > 20);
    CHECK(rig.log.progresses.back().step == 3);
    CHECK(rig.log.progresses.front().step_count == 4);
    for (std::size_t i = 1; i < rig.log.progresses.size(); ++i) {
        CHECK(rig.log.progresses[i].time_left_s <= rig.log.progresses[i - 1].time_left_s + 1e-9);
        CHECK(rig.log.progresses[i].total_strokes >= rig.log.progresses[i - 1].total_strokes);
    }
    CHECK(all_off(*rig.pen));
}

TEST_CASE("the depth never exceeds the zone's cap while switching zones", "[treatment][runner]") {
    RunnerRig rig;
    FrameLog frames(*rig.pen);
    // cheek 1.5 -> periorbital 0.25 -> cheek 1.5: the deep-to-shallow switch is the danger.
    Runner runner(
        *rig.pen,
        recipe_of({treat("Cheek", "cheek", 1.5, 1.0), treat("Eyes", "periorbital", 0.25, 1.0),
                   treat("Cheek again", "cheek", 1.5, 1.0)}),
        options_for(rig.log));
    runner.start();
    REQUIRE(runner.wait().outcome == treatment::RunOutcome::Completed);

    // The needle ran in three segments, at the steps' depths, in order; the depth (set and
    // measured) moved only while the needle was stopped.
    std::vector<double> segments;
    bool running = false;
    FrameLog::Frame previous{};
    std::size_t running_frames = 0;
    for (const auto& frame : frames.frames()) {
        if (frame.state == PenState::Running) {
            ++running_frames;
            if (!running) {
                segments.push_back(frame.depth_set_mm);
            } else {
                CHECK(frame.depth_set_mm == previous.depth_set_mm);
            }
            // Measured depth within tolerance of this segment's set point: never the cheek's
            // 1.5 mm over the eyes.
            CHECK(frame.depth_actual_mm <= segments.back() + 0.03);
        }
        running = frame.state == PenState::Running;
        previous = frame;
    }
    CHECK(running_frames > 100);
    REQUIRE(segments.size() == 3);
    CHECK(segments[0] == Approx(1.5));
    CHECK(segments[1] == Approx(0.25));
    CHECK(segments[2] == Approx(1.5));
    // The record agrees: the eyes step never saw a set point above its cap.
    std::lock_guard lock(rig.log.mutex);
    REQUIRE(rig.log.steps.size() == 3);
    CHECK(rig.log.steps[1].depth_set_max_mm <= 0.3);
    CHECK(rig.log.steps[1].depth_actual_max_mm <= 0.3);
}

TEST_CASE("pause stops the needle and resume goes on where it was", "[treatment][runner]") {
    RunnerRig rig;
    Runner runner(*rig.pen,
                  recipe_of({treat("Led cheek", "cheek", 0.5, 2.0,
                                   R"(, "modules": {"led": {"enabled": true,
                                           "wavelength": 633, "irradiance": 50}})")}),
                  options_for(rig.log));
    runner.start();
    REQUIRE(running_step(rig.log, runner, 0));
    CHECK(wait_until([&] { return rig.pen->latest_status()->led_enabled; }));
    runner.pause();
    REQUIRE(wait_until([&] { return runner.state() == RunState::Paused; }));
    CHECK(all_off(*rig.pen));
    const double paused_at = rig.log.last_progress().step_elapsed_s;
    std::this_thread::sleep_for(1s);
    CHECK(rig.log.last_progress().step_elapsed_s == Approx(paused_at).margin(0.05));
    CHECK(rig.log.last_progress().state == RunState::Paused);
    runner.resume();
    CHECK(wait_until([&] { return rig.pen->latest_status()->state == PenState::Running; }));
    CHECK(wait_until([&] { return rig.pen->latest_status()->led_enabled; }));
    const RunResult result = runner.wait();
    CHECK(result.outcome == treatment::RunOutcome::Completed);
    REQUIRE(result.steps.size() == 1);
    CHECK(result.steps[0].ended_s - result.steps[0].started_s >= 3.0);  // 2 s + the pause
    CHECK(result.steps[0].led_dose_j_cm2 > 0);
    CHECK(rig.log.saw_event("pause: "));
    CHECK(rig.log.saw_event("resume: "));
    CHECK(all_off(*rig.pen));
}

TEST_CASE("skip ends the step and goes on with the next", "[treatment][runner]") {
    RunnerRig rig;
    Runner runner(
        *rig.pen,
        recipe_of({treat("Long", "cheek", 1.0, 600.0), treat("Short", "forehead", 0.5, 1.0)}),
        options_for(rig.log));
    runner.start();
    REQUIRE(running_step(rig.log, runner, 0));
    runner.skip();
    const auto result = completed_run(runner, 2, 20s);
    CHECK(result.steps[0].outcome == "skipped");
    CHECK(result.steps[1].outcome == "completed");
    CHECK(result.duration_s < 60);
    CHECK(rig.log.saw_event("skip: Long skipped"));
}

TEST_CASE("abort switches everything off and says where", "[treatment][runner]") {
    RunnerRig rig;
    Runner runner(*rig.pen, load_recipe(kExamples + "laxity-rf.json"), options_for(rig.log));
    runner.start();
    REQUIRE(running_step(rig.log, runner, 1));
    CHECK(rig.pen->latest_status()->rf_enabled);
    runner.abort("client asked to stop");
    const RunResult result = runner.wait();
    CHECK(result.outcome == treatment::RunOutcome::Aborted);
    REQUIRE(result.step);
    CHECK(*result.step == 1);
    CHECK(result.reason == "client asked to stop");
    REQUIRE(result.steps.size() == 2);
    CHECK(result.steps[1].outcome == "aborted");
    CHECK(result.steps[0].rf_energy_j > 0);
    CHECK(all_off(*rig.pen));
    CHECK_FALSE(rig.pen->read_settings().rf.enabled);
    CHECK_FALSE(rig.pen->read_settings().running);
}

TEST_CASE("a fault mid-step fails the run with everything off, naming the step",
          "[treatment][runner]") {
    RunnerRig rig;
    const RunResult result = failed_in_step(rig, "laxity-rf.json", 1, "fault 8");
    CHECK_THAT(result.reason, Contains("fault") && Contains("injected"));
    CHECK(result.steps.back().outcome == "failed");
    CHECK(all_off(*rig.pen));
    CHECK(rig.log.saw_event("fault: "));
}

TEST_CASE("an emergency stop fails the run", "[treatment][runner]") {
    RunnerRig rig;
    const RunResult result = failed_in_step(rig, "acne-scars.json", 0, "estop-button");
    CHECK_THAT(result.reason, Contains("emergency stop") || Contains("e-stop"));
    CHECK(all_off(*rig.pen));
}

TEST_CASE("a lost link fails the run", "[treatment][runner]") {
    RunnerRig rig;
    const RunResult result = failed_in_step(rig, "acne-scars.json", 1, "reboot-link-down 3000");
    CHECK_THAT(result.reason, Contains("link lost"));
    CHECK(rig.log.saw_event("link: "));
}

TEST_CASE("a pen that reboots mid-step fails the run", "[treatment][runner]") {
    RunnerRig rig;
    const RunResult result = failed_in_step(rig, "acne-scars.json", 2, "reboot");
    CHECK_THAT(result.reason, Contains("restarted") || Contains("no session"));
}

TEST_CASE("a removed cartridge fails the run", "[treatment][runner]") {
    RunnerRig rig;
    Runner runner(*rig.pen, load_recipe(kExamples + "acne-scars.json"), options_for(rig.log));
    runner.start();
    REQUIRE(running_step(rig.log, runner, 0));
    REQUIRE(rig.sim.command("cartridge remove") == "ok");
    const RunResult result = runner.wait();
    CHECK(result.outcome == treatment::RunOutcome::Failed);
    CHECK_THAT(result.reason, Contains("cartridge"));
    CHECK(all_off(*rig.pen));
}

TEST_CASE("an operator pause is continued by the pen's button", "[treatment][runner]") {
    RunnerRig rig;
    Runner runner(*rig.pen,
                  recipe_of({treat("Cheek", "cheek", 1.0, 1.0), pause_step("Move to the forehead"),
                             treat("Forehead", "forehead", 0.5, 1.0)}),
                  options_for(rig.log));
    runner.start();
    REQUIRE(wait_until([&] { return runner.state() == RunState::WaitingForOperator; }, 15s));
    // Waiting: needle stopped, depth already down for the shallower zone.
    CHECK(all_off(*rig.pen));
    CHECK(rig.pen->latest_status()->depth_set_mm == Approx(0.5));
    std::this_thread::sleep_for(500ms);
    CHECK(runner.state() == RunState::WaitingForOperator);
    REQUIRE(rig.sim.command("button 1") == "ok");
    const auto result = completed_run(runner, 3, 20s);
    CHECK(result.steps[1].outcome == "continued");
    CHECK(result.steps[1].strokes == 0);
    CHECK(rig.log.saw_event("operator: button 1 pressed"));
}

TEST_CASE("an app's resume also continues an operator pause", "[treatment][runner]") {
    RunnerRig rig;
    Runner runner(*rig.pen,
                  recipe_of({pause_step("Ready?"), treat("Forehead", "forehead", 0.5, 0.5)}),
                  options_for(rig.log));
    runner.start();
    REQUIRE(wait_until([&] { return runner.state() == RunState::WaitingForOperator; }));
    runner.resume();
    const auto result = result_within(runner, 20s);
    CHECK(result.outcome == treatment::RunOutcome::Completed);
}

TEST_CASE("start refuses a recipe the pen cannot run, listing every violation",
          "[treatment][runner]") {
    RunnerRig rig;
    rig.pen->set_depth_limit(Depth::mm(1.0));
    RunOptions options = options_for(rig.log);
    options.device.device_class = DeviceClass::AtHome;
    Runner runner(
        *rig.pen,
        recipe_of(
            {treat("Cheek", "cheek", 1.5, 1.0, R"(, "modules": {"rf": {"power": 5}})", 200),
             treat("Eyes", "periorbital", 0.25, 1.0, R"(, "modules": {"cooling": {"on": true}})")}),
        options);
    std::string message;
    try {
        runner.start();
    } catch (const InvalidArgumentError& error) {
        message = error.what();
    }
    INFO(message);
    CHECK_THAT(message, Contains("refused (5 violations)"));
    CHECK_THAT(message, Contains("steps[0].depth_mm (\"Cheek\"): 1.5 mm exceeds the at-home "
                                 "device class's maximum of 0.25 mm"));
    CHECK_THAT(message, Contains("1.5 mm exceeds the session depth limit of 1 mm"));
    CHECK_THAT(message, Contains("steps[0].speed_hz (\"Cheek\"): 200 Hz exceeds the pen's "
                                 "maximum of 150 Hz"));
    CHECK_THAT(message, Contains("module 'rf' delivers energy"));
    CHECK_THAT(message, Contains("steps[1].modules.cooling (\"Eyes\"): no module 'cooling' is "
                                 "fitted (fitted: rf (built in), led (built in))"));
    CHECK(runner.validation().violations.size() == 5);
    CHECK(runner.state() == RunState::NotStarted);
    CHECK_FALSE(rig.pen->read_settings().running);
}

TEST_CASE("RF as a standard-profile module: settings by profile key, energy from telemetry",
          "[treatment][runner]") {
    RunnerRig rig({"--no-rf", "--module", PENLINK_SOURCE_DIR "/modules/rf.json"});
    Runner runner(*rig.pen, load_recipe(kExamples + "laxity-rf.json"), options_for(rig.log));
    runner.start();
    REQUIRE(running_step(rig.log, runner, 0));
    CHECK(rig.pen->get_param("rf", "enabled") == ParamValue(true));
    CHECK(rig.pen->get_param("rf", "power").as_number() == Approx(8.0));
    const RunResult result = runner.wait();
    INFO(result.reason);
    REQUIRE(result.outcome == treatment::RunOutcome::Completed);
    for (const StepTotals& step : result.steps) {
        INFO(step.name);
        CHECK(step.rf_energy_j > 0);
        REQUIRE(step.module_totals.count("rf.energy") == 1);
        CHECK(step.module_totals.at("rf.energy") == Approx(step.rf_energy_j));
    }
    // Between steps and after the run the module's energy parameters are back at default.
    CHECK(rig.pen->get_param("rf", "enabled") == ParamValue(false));
    CHECK(rig.pen->get_param("rf", "power").as_number() == 0.0);
}
