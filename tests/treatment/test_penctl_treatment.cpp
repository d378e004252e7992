// `penctl validate` and `penctl run` as the built binary: exit codes, the violation list, the
// live progress line within 80 columns, and Ctrl-C aborting with everything off.
#include <catch2/catch.hpp>

#include <stdlib.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "penctl_runner.hpp"
#include "recipe_text.hpp"

using namespace penlink::tooltest;
using namespace penlink::treatment_test;
using Catch::Matchers::Contains;

namespace {

const std::string kExamples = PENLINK_SOURCE_DIR "/examples/recipes/";
// A 2 s watchdog: late heartbeats on a loaded test machine must not fault the pen mid-run.
const std::string kSim = "sim://?watchdog_ms=2000";

void check_80_columns(const std::string& text) {
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
        INFO(line);
        CHECK(line.size() <= 80);
    }
}

/// A file in a fresh temporary directory, removed with it.
class TempFile {
public:
    TempFile(const std::string& name, const std::string& text) {
        char dir[] = "/tmp/penlink-treat-XXXXXX";
        REQUIRE(mkdtemp(dir) != nullptr);
        dir_ = dir;
        path_ = dir_ + "/" + name;
        std::ofstream(path_) << text;
    }
    ~TempFile() {
        unlink(path_.c_str());
        rmdir(dir_.c_str());
    }
    const std::string& path() const { return path_; }

private:
    std::string dir_, path_;
};

/// A fresh temporary directory, removed with everything in it.
class TempDir {
public:
    TempDir() {
        char dir[] = "/tmp/penlink-treat-db-XXXXXX";
        REQUIRE(mkdtemp(dir) != nullptr);
        path_ = dir;
    }
    ~TempDir() {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }
    std::string file(const std::string& name) const { return path_ + "/" + name; }

private:
    std::string path_;
};

/// penctl's output with wrapped lines joined again.
std::string unwrapped(std::string text) {
    for (auto at = text.find("\n    "); at != std::string::npos; at = text.find("\n    ")) {
        text.replace(at, 5, " ");
    }
    return text;
}

}  // namespace

TEST_CASE("penctl validate accepts the examples offline and against a pen", "[treatment][penctl]") {
    for (const char* name : {"fine-lines", "acne-scars", "pigmentation-led", "laxity-rf"}) {
        const auto offline = penctl({"validate", kExamples + name + ".json"});
        INFO(offline.out << offline.err);
        CHECK(offline.exit_code == 0);
        CHECK_THAT(offline.out, Contains("ok: may run on a professional device"));
        const auto online = penctl({"validate", kExamples + name + ".json", kSim});
        CHECK(online.exit_code == 0);
    }
}

TEST_CASE("penctl validate lists every violation within 80 columns and exits 1",
          "[treatment][penctl]") {
    const auto result = penctl({"validate", kExamples + "laxity-rf.json", "--class", "at-home"});
    CHECK(result.exit_code == 1);
    CHECK(count_lines_containing(unwrapped(result.out),
                                 "exceeds the at-home device class's maximum") == 3);
    CHECK(count_lines_containing(unwrapped(result.out), "module 'rf' delivers energy") == 3);
    CHECK(result.err == "penctl: recipe refused: 6 violations (listed above)\n");
    check_80_columns(result.out);

    // A clinic's own chart, and an offline depth limit.
    const TempFile chart("clinic.json", R"({"schema": "penlink.zones/1", "name": "clinic",
        "zones": [{"key": "cheek", "name": "Cheek", "depth_min_mm": 0.5, "depth_max_mm": 1.0},
                  {"key": "forehead", "name": "Forehead", "depth_min_mm": 0.2,
                   "depth_max_mm": 0.5},
                  {"key": "chin", "name": "Chin", "depth_min_mm": 0.5, "depth_max_mm": 1.0}]})");
    const auto clinic = penctl({"validate", kExamples + "acne-scars.json", "--zones", chart.path(),
                                "--depth-limit-mm", "1.2"});
    CHECK(clinic.exit_code == 1);
    CHECK(count_lines_containing(unwrapped(clinic.out),
                                 "exceeds the cheek zone's maximum of 1 mm") == 2);
    CHECK(count_lines_containing(unwrapped(clinic.out),
                                 "exceeds the session depth limit of 1.2 mm") == 2);
}

TEST_CASE("penctl validate names the place of a malformed recipe", "[treatment][penctl]") {
    const TempFile bad("bad.json", recipe_with(treat("a", "cheek", 1.0, -3.0)));
    const auto result = penctl({"validate", bad.path()});
    CHECK(result.exit_code == 2);
    CHECK(result.err == "penctl: " + bad.path() + ": steps[0].duration_s: -3 s must be > 0\n");
    const auto missing = penctl({"validate"});
    CHECK(missing.exit_code == 2);
    CHECK(is_one_line_reason(missing.err));
    const auto bad_class = penctl({"validate", kExamples + "acne-scars.json", "--class", "spa"});
    CHECK(bad_class.exit_code == 2);
    CHECK_THAT(bad_class.err, Contains("device class 'spa' is not professional or at-home"));
}

TEST_CASE("penctl run treats acne scars on sim:// with a progress line in 80 columns",
          "[treatment][penctl]") {
    const TempDir dir;
    const std::map<std::string, std::string> env{{"PENLINK_TREATMENT_DB", dir.file("t.db")}};
    const auto result = penctl({"run", kExamples + "acne-scars.json", kSim}, env);
    INFO(result.out << result.err);
    REQUIRE(result.exit_code == 0);
    CHECK_THAT(result.out, Contains("step 1/4 cheek"));
    CHECK_THAT(result.out, Contains("step 2/4 forehead"));
    CHECK_THAT(result.out, Contains("step 4/4 chin"));
    CHECK_THAT(result.out, Contains("left"));
    CHECK(count_lines_containing(result.out, "completed") == 5);  // 4 steps and the result
    CHECK_THAT(result.out, Contains("result: completed in"));
    const auto strokes = number_after(result.out.substr(result.out.find("result:")), "s, ");
    REQUIRE(strokes);
    CHECK(*strokes > 400);
    check_80_columns(result.out);
    CHECK_THAT(result.out, Contains("recorded as run 1 in " + dir.file("t.db")));
}

TEST_CASE("penctl run records the run, refuses its cartridge again, and report shows it",
          "[treatment][penctl][records]") {
    // The issue's scenario: run, record, refuse the same cartridge, report, history.
    const TempDir dir;
    const std::string db = dir.file("clinic.db");
    const std::string recipe = kExamples + "acne-scars.json";
    const auto first = penctl({"run", recipe, kSim, "--db", db, "--client", "C-0042"});
    INFO(first.out << first.err);
    REQUIRE(first.exit_code == 0);

    const auto again = penctl({"run", recipe, kSim, "--db", db});
    INFO(again.out << again.err);
    CHECK(again.exit_code == 1);
    CHECK_THAT(again.err, Contains("cartridge 1001 was already used by run 1"));
    CHECK(is_one_line_reason(again.err));
    CHECK_FALSE(Catch::Matchers::Contains("step 1/4 cheek").match(again.out));  // nothing ran

    const auto report = penctl({"report", db, "--run", "1"});
    INFO(report.out << report.err);
    CHECK(report.exit_code == 0);
    CHECK_THAT(report.out, Contains("completed"));
    CHECK_THAT(report.out, Contains("cheek"));
    CHECK_THAT(report.out, Contains("chin"));
    CHECK_THAT(report.out, Contains("1001"));
    check_80_columns(report.out);

    const auto reused =
        penctl({"run", recipe, kSim, "--db", db, "--reuse-cartridge", "training demo"});
    INFO(reused.out << reused.err);
    CHECK(reused.exit_code == 0);
    const auto history = penctl({"history", db});
    INFO(history.out);
    CHECK(history.exit_code == 0);
    CHECK_THAT(history.out, Contains("training demo"));
    check_80_columns(history.out);

    const auto both = penctl({"run", recipe, kSim, "--no-record", "--db", db});
    CHECK(both.exit_code == 2);  // one or the other
}

TEST_CASE("penctl run refuses what the pen or class forbids, before anything runs",
          "[treatment][penctl]") {
    const auto result = penctl(
        {"run", kExamples + "pigmentation-led.json", kSim, "--class", "at-home", "--no-record"});
    CHECK(result.exit_code == 1);
    CHECK(result.err == "penctl: recipe refused: 3 violations (listed above)\n");
    CHECK_THAT(result.out, Contains("module 'led' delivers energy"));
    CHECK_FALSE(Catch::Matchers::Contains("result:").match(result.out));
}

TEST_CASE("penctl run: Ctrl-C aborts with everything off and exit 130", "[treatment][penctl]") {
    const TempFile recipe("long.json", recipe_with(treat("Long cheek", "cheek", 1.0, 600.0)));
    const TempDir dir;
    ChildProcess run(PENCTL_PATH, {"run", recipe.path(), kSim, "--db", dir.file("t.db")});
    REQUIRE(run.wait_for_output("step 1/1 cheek", std::chrono::seconds(15)));
    run.send_signal(SIGINT);
    const auto result = run.finish(std::chrono::seconds(15));
    INFO(result.out << result.err);
    CHECK_FALSE(result.timed_out);
    CHECK(result.exit_code == 130);
    CHECK_THAT(result.out, Contains("result: aborted"));
    CHECK_THAT(result.out, Contains("interrupted at step 1 (Long cheek): needle, RF and LED off"));
}

TEST_CASE("penctl's treatment help texts fit 80 columns", "[treatment][penctl]") {
    for (const char* command : {"validate", "run"}) {
        const auto help = penctl({command, "--help"});
        CHECK(help.exit_code == 0);
        check_80_columns(help.out);
    }
    check_80_columns(penctl({"--help"}).out);
}
