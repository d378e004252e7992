// penctl record, report and history, run as the built binary: what they print, that every line
// fits 80 columns, and their one-line failures.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "log_fixtures.hpp"
#include "penctl_runner.hpp"
#include "penlink/penlink.hpp"
#include "penlink/records.hpp"
#include "temp_dir.hpp"

using namespace penlink;
using penlink::test::run_start;
using penlink::test::step_totals;
using penlink::test::TempDir;
using penlink::tooltest::is_one_line_reason;
using penlink::tooltest::number_after;
using penlink::tooltest::penctl;

namespace {

void check_fits_80_columns(const std::string& text) {
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
        INFO(line);
        CHECK(line.size() <= 80);
    }
}

}  // namespace

TEST_CASE("penctl record writes a recording that penctl report summarises", "[penctl][records]") {
    TempDir dir;
    const auto file = dir.file("session.plrec");
    const auto recorded = penctl({"record", "sim://", file, "--seconds", "0.6", "--rate-hz", "50"});
    INFO(recorded.err);
    REQUIRE(recorded.exit_code == 0);
    CHECK_THAT(recorded.out, Catch::StartsWith("done: recorded "));
    check_fits_80_columns(recorded.out);
    const auto frames = number_after(recorded.out, "done: recorded ");
    REQUIRE(frames);
    CHECK(*frames > 10);

    const auto report = penctl({"report", file});
    REQUIRE(report.exit_code == 0);
    check_fits_80_columns(report.out);
    CHECK_THAT(report.out, Catch::Contains("of         sim:// (in-process simulator)") &&
                               Catch::Contains("Status") && Catch::Contains("HelloReply 1"));
    const auto to_pen = number_after(report.out, "to pen     ");
    const auto from_pen = number_after(report.out, "from pen   ");
    REQUIRE(to_pen);
    REQUIRE(from_pen);
    CHECK(*to_pen + *from_pen == *frames);

    std::filesystem::resize_file(file, std::filesystem::file_size(file) - 3);
    const auto cut = penctl({"report", file});
    CHECK(cut.exit_code == 0);
    CHECK_THAT(cut.out, Catch::Contains("warning") && Catch::Contains("cut short"));
    check_fits_80_columns(cut.out);
}

TEST_CASE("penctl replays, in a fresh process, a session that had its descriptors cached",
          "[penctl][records][descriptors]") {
    // Recorded in this process after an earlier session read the modules: no descriptor
    // crosses the link, so only the recording's descriptor records hold them. penctl, a new
    // process with nothing cached, reads each descriptor from the replay.
    TempDir dir;
    const auto file = dir.file("cached.plrec");
    const std::string url = "sim://?addons=modules";
    ConnectOptions options;
    options.idle_status_rate_hz = 0;  // as penctl modules connects
    const auto fitted = Pen::connect(url, options)->modules().size();
    REQUIRE(fitted >= 2);
    options.record_path = file;
    Pen::connect(url, options)->modules();
    const auto timeline = read_recording_timeline(file);
    for (const auto& command : timeline.commands) CHECK(command.type != "ReadDescriptor");

    const auto listed = penctl({"modules", "replay://" + file + "?speed=8"});
    INFO(listed.err);
    REQUIRE(listed.exit_code == 0);
    CHECK_THAT(listed.out, Catch::Contains("rf") && Catch::Contains("led"));
    check_fits_80_columns(listed.out);
}

TEST_CASE("penctl report and history show a treatment log in 80 columns", "[penctl][records]") {
    TempDir dir;
    const auto db = dir.file("clinic.db");
    std::int64_t failed = 0;
    {
        auto log = TreatmentLog::open(db);
        const auto first = log.begin_run(run_start("CART-0001"));
        log.step_finished(first, step_totals(0, "forehead"));
        log.finish_run(first, RunEnd{RunOutcome::Aborted, 0, "operator stopped"});
        auto start = run_start("CART-0001");
        start.recipe_name = "a recipe with a name far longer than any column could hold";
        start.cartridge_override_reason =
            "aborted before the needle touched the skin, same client in the same visit, "
            "documented by the nurse in charge";
        failed = log.begin_run(start);
        log.step_finished(failed, step_totals(0, "periorbital-left-upper-lid"));
        log.step_started(failed, 1, "cheek pass with a long name", "cheek", 10.0);
        log.event(failed, RunEvent{12.5, "fault",
                                   "RF impedance 900 ohm exceeds the limit of 600 ohm; "
                                   "everything off"});
        log.finish_run(failed, RunEnd{RunOutcome::Failed, 1,
                                      "fault in step 2 (cheek): RF impedance 900 ohm exceeds the "
                                      "limit of 600 ohm; needle, RF and LED were switched off"});
    }
    const auto report = penctl({"report", db});
    INFO(report.out << report.err);
    REQUIRE(report.exit_code == 0);
    check_fits_80_columns(report.out);
    CHECK_THAT(report.out, Catch::StartsWith("run " + std::to_string(failed) + "  failed"));
    CHECK_THAT(report.out, Catch::Contains("CART-0001") && Catch::Contains("reused") &&
                               Catch::Contains("periorbital") && Catch::Contains("1200") &&
                               Catch::Contains("RF impedance 900 ohm"));

    const auto first = penctl({"report", db, "--run", "1"});
    REQUIRE(first.exit_code == 0);
    CHECK_THAT(first.out, Catch::StartsWith("run 1  aborted"));

    const auto history = penctl({"history", db});
    REQUIRE(history.exit_code == 0);
    check_fits_80_columns(history.out);
    CHECK_THAT(history.out, Catch::Contains("recent treatments") &&
                                Catch::Contains("cartridge ledger") &&
                                Catch::Contains("aborted before the"));
    CHECK(penlink::tooltest::count_lines_containing(history.out, "CART-0001") == 4);
}

TEST_CASE("penctl report and history fail in one line on a missing or foreign file",
          "[penctl][records]") {
    TempDir dir;
    const auto missing = penctl({"history", dir.file("none.db")});
    CHECK(missing.exit_code == 1);
    CHECK(is_one_line_reason(missing.err));
    CHECK_THAT(missing.err, Catch::Contains("does not exist"));
    CHECK_FALSE(std::filesystem::exists(dir.file("none.db")));  // nothing created

    const auto usage = penctl({"report", dir.file("x.db"), "--run", "0"});
    CHECK(usage.exit_code == 2);
    CHECK(is_one_line_reason(usage.err));

    const auto record_usage = penctl({"record", "sim://"});
    CHECK(record_usage.exit_code == 2);
    CHECK_THAT(record_usage.err, Catch::Contains("a pen URL and a file"));
}

namespace {

// The lines of text after the one starting with label, while they continue under it (start
// with the label's width of spaces), joined: a wrapped value read back whole.
std::string wrapped_value(const std::string& text, const std::string& label) {
    std::istringstream lines(text);
    std::string value;
    bool inside = false;
    for (std::string line; std::getline(lines, line);) {
        if (!inside && line.rfind(label, 0) == 0) {
            value = line.substr(label.size());
            inside = true;
        } else if (inside && line.rfind(std::string(label.size(), ' '), 0) == 0 &&
                   line.find('(') == std::string::npos) {
            value += line.substr(label.size());
        } else if (inside) {
            break;
        }
    }
    return value;
}

constexpr const char* kShortRecipe =
    R"({"schema": "penlink.recipe/1", "name": "short", "steps": [{"name": "Forehead",
    "zone": "forehead", "depth_mm": 0.5, "speed_hz": 100, "duration_s": 0.5}]})";

}  // namespace

TEST_CASE("penctl run --record stores the recording and penctl report prints it whole",
          "[penctl][records][recording]") {
    TempDir dir;
    // A folder deep enough that the recording's path cannot fit one line of 80 columns.
    const auto deep = dir.path / "clinic-recordings-kept-for-audit" / "2026" / "november" /
                      "treatment-room-two-with-the-long-name";
    std::filesystem::create_directories(deep);
    const auto recording = (deep / "run-with-recording.plrec").string();
    REQUIRE(std::filesystem::absolute(recording).string().size() > 69);
    const auto db = dir.file("clinic.db");
    const auto recipe = dir.file("short.json");
    std::ofstream(recipe) << kShortRecipe;

    const auto ran = penctl({"run", recipe, "sim://", "--db", db, "--record", recording});
    INFO(ran.out << ran.err);
    REQUIRE(ran.exit_code == 0);
    CHECK_THAT(ran.out, Catch::Contains("session recorded to " + recording));
    const auto run = number_after(ran.out, "recorded as run ");
    REQUIRE(run);

    const auto report = penctl({"report", db, "--run", std::to_string(static_cast<int>(*run))});
    INFO(report.out << report.err);
    REQUIRE(report.exit_code == 0);
    check_fits_80_columns(report.out);
    CHECK(wrapped_value(report.out, "recording  ") ==
          std::filesystem::absolute(recording).lexically_normal().string());
    CHECK_THAT(report.out, !Catch::Contains("not there any more"));
    // The recording itself is a whole session penctl report reads.
    const auto summary = penctl({"report", recording});
    REQUIRE(summary.exit_code == 0);
    CHECK_THAT(summary.out, Catch::Contains("SetDepth") && Catch::Contains("Start"));

    // Gone: the report still names it, and says so.
    std::filesystem::remove(recording);
    const auto gone = penctl({"report", db, "--run", std::to_string(static_cast<int>(*run))});
    REQUIRE(gone.exit_code == 0);
    check_fits_80_columns(gone.out);
    CHECK_THAT(gone.out, Catch::Contains("not there any more: moved or deleted"));
}

TEST_CASE("penctl report says a run made without --record has no recording",
          "[penctl][records][recording]") {
    TempDir dir;
    const auto db = dir.file("clinic.db");
    const auto recipe = dir.file("short.json");
    std::ofstream(recipe) << kShortRecipe;
    const auto ran = penctl({"run", recipe, "sim://", "--db", db});
    INFO(ran.out << ran.err);
    REQUIRE(ran.exit_code == 0);
    CHECK_THAT(ran.out, !Catch::Contains("session recorded"));
    const auto report = penctl({"report", db});
    REQUIRE(report.exit_code == 0);
    check_fits_80_columns(report.out);
    CHECK_THAT(report.out, Catch::Contains("\nrecording  none\n"));
}
