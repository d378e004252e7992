// A treatment run names its session recording in the treatment log: a real penlink-sim over TCP,
// a real recording file and a real SQLite log. The run row names the file, the file opens, and
// its timeline covers the run; a run without a recording stores none; an explicit recording is
// checked before anything moves.
#include <catch2/catch.hpp>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <thread>

#include "penlink-sim/launcher.hpp"
#include "penlink/penlink.hpp"
#include "penlink/recording_timeline.hpp"
#include "penlink/treatment_record.hpp"
#include "penlink/treatment_runner.hpp"
#include "stack_helpers.hpp"
#include "temp_dir.hpp"

using namespace penlink;
using penlink::simtool::SimProcess;
using penlink::test::stack_options;
using penlink::test::TempDir;
using penlink::test::wait_for_status;

namespace {

constexpr const char* kRecipe = R"({"schema": "penlink.recipe/1", "name": "two zones", "steps": [
    {"name": "Forehead", "zone": "forehead", "depth_mm": 0.5, "speed_hz": 100, "duration_s": 0.6},
    {"name": "Cheeks", "zone": "cheek", "depth_mm": 1.0, "speed_hz": 120, "duration_s": 0.6}]})";

// "2026-11-26T08:01:02.345Z" as ms since 1970 (the log's clock is SQLite's 'now', UTC).
std::int64_t unix_ms(const std::string& iso) {
    std::tm parts{};
    int ms = 0;
    REQUIRE(std::sscanf(iso.c_str(), "%d-%d-%dT%d:%d:%d.%dZ", &parts.tm_year, &parts.tm_mon,
                        &parts.tm_mday, &parts.tm_hour, &parts.tm_min, &parts.tm_sec, &ms) == 7);
    parts.tm_year -= 1900;
    parts.tm_mon -= 1;
    return static_cast<std::int64_t>(timegm(&parts)) * 1000 + ms;
}

struct LoggedRun {
    treatment::RunResult result;
    std::optional<std::int64_t> id;
};

// Runs kRecipe on pen with a RunRecord into log.
LoggedRun run_logged(Pen& pen, TreatmentLog& log, treatment::RunRecordOptions options = {}) {
    treatment::RunRecord record(log, std::move(options));
    treatment::RunOptions run_options;
    run_options.observer = &record;
    treatment::Runner runner(pen, treatment::parse_recipe(kRecipe), run_options);
    runner.start();
    LoggedRun out{runner.wait(), record.run_id()};
    return out;
}

}  // namespace

TEST_CASE("a run on a recording pen names its recording, which covers the run",
          "[records][recording]") {
    TempDir dir;
    const auto recording = dir.file("session.plrec");
    auto log = TreatmentLog::open(dir.file("clinic.db"));
    SimProcess sim(PENLINK_SIM_EXE, {"--tcp", "0", "--quiet"});
    auto options = stack_options();
    options.record_path = recording;
    auto pen = Pen::connect(sim.url(), options);
    const auto active = pen->active_recording();
    REQUIRE(active);
    CHECK(active->path == recording);
    REQUIRE(wait_for_status(*pen, [](const Status&) { return true; }));

    const auto run = run_logged(*pen, log);
    INFO(run.result.reason);
    REQUIRE(run.result.outcome == treatment::RunOutcome::Completed);
    REQUIRE(run.id);
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    pen->close();

    const auto report = log.report(*run.id);
    REQUIRE(report.run.recording);
    const RecordingFile& named = *report.run.recording;
    CHECK(named.path == recording);
    CHECK(named.absolute_path == std::filesystem::absolute(recording).lexically_normal().string());

    // The file the row names opens, is the same recording, and spans the whole run.
    const auto timeline = read_recording_timeline(named.absolute_path);
    CHECK(timeline.warning.empty());
    CHECK(timeline.started_unix_ms == named.started_unix_ms);
    CHECK(timeline.started_unix_ms == active->started_unix_ms);
    const auto run_start = unix_ms(report.run.started_utc);
    const auto run_end = unix_ms(report.run.ended_utc);
    const auto recording_end =
        timeline.started_unix_ms + static_cast<std::int64_t>(timeline.duration_s * 1000.0);
    CHECK(timeline.started_unix_ms <= run_start);
    CHECK(run_end <= recording_end + 5);  // the log's clock has ms resolution
    // The run's commands are in it: both depths the recipe set, and the needle's Start.
    bool forehead = false, cheek = false, start = false;
    for (const auto& command : timeline.commands) {
        forehead = forehead || command.text == "SetDepth 0.500 mm";
        cheek = cheek || command.text == "SetDepth 1.000 mm";
        start = start || command.type == "Start";
    }
    CHECK(forehead);
    CHECK(cheek);
    CHECK(start);
    // Status frames while the needle ran at the second step's depth.
    bool cheek_status = false;
    for (const auto& status : timeline.statuses)
        cheek_status = cheek_status || (status.status.state == PenState::Running &&
                                        std::abs(status.status.depth_set_mm - 1.0) < 1e-3);
    CHECK(cheek_status);
}

TEST_CASE("a run on a pen that is not recording stores no recording", "[records][recording]") {
    TempDir dir;
    auto log = TreatmentLog::open(dir.file("clinic.db"));
    SimProcess sim(PENLINK_SIM_EXE, {"--tcp", "0", "--quiet"});
    auto pen = Pen::connect(sim.url(), stack_options());
    CHECK_FALSE(pen->active_recording());
    REQUIRE(wait_for_status(*pen, [](const Status&) { return true; }));
    const auto run = run_logged(*pen, log);
    REQUIRE(run.id);
    CHECK_FALSE(log.report(*run.id).run.recording);
}

TEST_CASE("a recording started and stopped by the app is the pen's active one only meanwhile",
          "[records][recording]") {
    TempDir dir;
    SimProcess sim(PENLINK_SIM_EXE, {"--tcp", "0", "--quiet"});
    auto pen = Pen::connect(sim.url(), stack_options());
    CHECK_FALSE(pen->active_recording());
    auto recorder = pen->start_recording(dir.file("later.plrec"));
    const auto active = pen->active_recording();
    REQUIRE(active);
    CHECK(active->path == dir.file("later.plrec"));
    CHECK(active->started_unix_ms == identify_recording(dir.file("later.plrec")).started_unix_ms);
    recorder.stop();
    CHECK_FALSE(pen->active_recording());
}

TEST_CASE(
    "an explicit recording is stored instead of the pen's and a file that is not a "
    "recording fails the run before any output",
    "[records][recording]") {
    TempDir dir;
    // A recording made elsewhere (another session, as a proxy would record it).
    const auto elsewhere = dir.file("proxy.plrec");
    {
        SimProcess other(PENLINK_SIM_EXE, {"--tcp", "0", "--quiet"});
        auto options = stack_options();
        options.record_path = elsewhere;
        auto pen = Pen::connect(other.url(), options);
        pen->close();
    }
    auto log = TreatmentLog::open(dir.file("clinic.db"));
    SimProcess sim(PENLINK_SIM_EXE, {"--tcp", "0", "--quiet"});
    auto options = stack_options();
    options.record_path = dir.file("own.plrec");
    auto pen = Pen::connect(sim.url(), options);
    REQUIRE(wait_for_status(*pen, [](const Status&) { return true; }));

    treatment::RunRecordOptions explicit_recording;
    explicit_recording.recording_path = elsewhere;
    const auto run = run_logged(*pen, log, explicit_recording);
    REQUIRE(run.id);
    const auto stored = log.report(*run.id).run.recording;
    REQUIRE(stored);
    CHECK(stored->path == elsewhere);
    CHECK(stored->started_unix_ms == identify_recording(elsewhere).started_unix_ms);

    const auto not_a_recording = dir.file("notes.txt");
    std::ofstream(not_a_recording) << "not a recording\n";
    treatment::RunRecordOptions bad;
    bad.recording_path = not_a_recording;
    bad.cartridge_override_reason = "test: second run on the same simulated cartridge";
    const auto refused = run_logged(*pen, log, bad);
    CHECK(refused.result.outcome == treatment::RunOutcome::Failed);
    CHECK_FALSE(refused.result.step);  // in no step: nothing moved
    CHECK_THAT(refused.result.reason, Catch::Contains(not_a_recording));
    CHECK_FALSE(refused.id);
    CHECK(log.recent_runs().size() == 1);
}
