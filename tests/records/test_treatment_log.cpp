// The treatment record and the cartridge ledger in a real SQLite file: what a run writes, what
// the queries give back, the single-use rule and its recorded override, a restart.
#include <catch2/catch.hpp>

#include <sqlite3.h>

#include <cmath>

#include "log_fixtures.hpp"
#include "penlink/records.hpp"
#include "temp_dir.hpp"

using namespace penlink;
using penlink::test::run_start;
using penlink::test::step_totals;
using penlink::test::TempDir;

namespace {

std::int64_t pragma(const std::string& path, const char* name) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
    sqlite3_stmt* statement = nullptr;
    REQUIRE(sqlite3_prepare_v2(db, (std::string("PRAGMA ") + name).c_str(), -1, &statement,
                               nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_step(statement) == SQLITE_ROW);
    const auto value = sqlite3_column_int64(statement, 0);
    sqlite3_finalize(statement);
    sqlite3_close(db);
    return value;
}

std::string journal_mode(const std::string& path) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
    sqlite3_stmt* statement = nullptr;
    REQUIRE(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &statement, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_step(statement) == SQLITE_ROW);
    std::string mode = reinterpret_cast<const char*>(sqlite3_column_text(statement, 0));
    sqlite3_finalize(statement);
    sqlite3_close(db);
    return mode;
}

}  // namespace

TEST_CASE("a new log carries the schema version, the application id and WAL", "[records]") {
    TempDir dir;
    const auto path = dir.file("clinic.db");
    { auto log = TreatmentLog::open(path); }
    CHECK(pragma(path, "user_version") == TreatmentLog::schema_version());
    CHECK(TreatmentLog::schema_version() == 2);
    CHECK(pragma(path, "application_id") == 0x504C4E4B);
    CHECK(journal_mode(path) == "wal");
}

TEST_CASE("a completed run reads back with its steps, module totals and events", "[records]") {
    TempDir dir;
    auto log = TreatmentLog::open(dir.file("clinic.db"));
    const auto run = log.begin_run(run_start("CART-0001"));
    log.step_started(run, 0, "forehead pass", "forehead", 0.0);
    log.step_finished(run, step_totals(0, "forehead"));
    log.event(run, RunEvent{9.0, "paused", "operator pressed the button"});
    log.step_started(run, 1, "cheek pass", "cheek", 10.0);
    log.step_finished(run, step_totals(1, "cheek"));
    log.finish_run(run, RunEnd{RunOutcome::Completed, {}, {}});

    const auto report = log.report(run);
    CHECK(report.run.id == run);
    CHECK(report.run.outcome == RunOutcome::Completed);
    CHECK(report.run.pen_serial == "PL-000123");
    CHECK(report.run.pen_firmware == "1.4.2");
    CHECK(report.run.cartridge_id == "CART-0001");
    CHECK(report.run.recipe_hash == "sha256:9f2c");
    CHECK(report.run.client_reference == "client-7f3a");
    CHECK(report.run.device_class == "professional");
    CHECK_FALSE(report.run.ended_utc.empty());
    CHECK(report.run.started_utc <= report.run.ended_utc);
    CHECK(report.run.steps == 2);
    REQUIRE(report.steps.size() == 2);
    CHECK(report.steps[1].zone == "cheek");
    CHECK(report.steps[1].strokes == 1201);
    CHECK(report.steps[1].ended_s == Approx(18.5));
    CHECK(report.steps[1].depth_actual_max_mm == Approx(1.02));
    CHECK(report.steps[1].rf_energy_j == Approx(3.25));
    CHECK(report.steps[1].module_totals.at("cooling.time_s") == Approx(8.5));
    CHECK(report.steps[1].outcome == "completed");
    REQUIRE(report.events.size() == 1);
    CHECK(report.events[0].kind == "paused");
    CHECK(report.events[0].t_s == Approx(9.0));

    const auto runs = log.recent_runs();
    REQUIRE(runs.size() == 1);
    CHECK(runs[0].recipe_name == "acne-scars");
}

TEST_CASE("a failed run leaves a consistent record naming the step and the reason", "[records]") {
    TempDir dir;
    auto log = TreatmentLog::open(dir.file("clinic.db"));
    const auto run = log.begin_run(run_start("CART-0002"));
    log.step_started(run, 0, "forehead pass", "forehead", 0.0);
    log.step_finished(run, step_totals(0, "forehead"));
    log.step_started(run, 1, "cheek pass", "cheek", 10.0);
    log.event(run, RunEvent{12.5, "fault", "RF impedance out of range"});
    log.finish_run(run, RunEnd{RunOutcome::Failed, 1, "fault: RF impedance out of range"});

    const auto report = log.report(run);
    CHECK(report.run.outcome == RunOutcome::Failed);
    REQUIRE(report.run.failing_step);
    CHECK(*report.run.failing_step == 1);
    CHECK(report.run.reason == "fault: RF impedance out of range");
    REQUIRE(report.steps.size() == 2);
    CHECK(report.steps[0].outcome == "completed");
    CHECK(report.steps[1].outcome == "failed");  // the step running when it stopped

    // Nothing more can be written to a finished run.
    const auto again = [&] { log.finish_run(run, RunEnd{RunOutcome::Completed, {}, {}}); };
    CHECK_THROWS_WITH(again(), Catch::Contains("has already ended (failed)"));
    CHECK_THROWS_AS(log.event(run, RunEvent{1.0, "x", "y"}), TreatmentLogError);
    CHECK_THROWS_WITH(log.report(999), Catch::Contains("has no run 999"));
}

TEST_CASE("a used cartridge is refused, naming it and the earlier run", "[records][ledger]") {
    TempDir dir;
    auto log = TreatmentLog::open(dir.file("clinic.db"));
    const auto first = log.begin_run(run_start("CART-0003"));

    SECTION("while the first run is in progress") {
        try {
            log.begin_run(run_start("CART-0003"));
            FAIL("a cartridge held by a run in progress was claimed again");
        } catch (const TreatmentLogError& error) {
            CHECK(error.kind() == TreatmentLogProblem::CartridgeUsed);
            CHECK(error.code() == ErrorCode::Rejected);
            CHECK_THAT(error.what(), Catch::Contains("cartridge CART-0003 is in use by run " +
                                                     std::to_string(first)));
        }
    }
    SECTION("after it completed or aborted") {
        const auto outcome = GENERATE(RunOutcome::Completed, RunOutcome::Aborted);
        log.finish_run(first, RunEnd{outcome, {}, {}});
        try {
            log.begin_run(run_start("CART-0003"));
            FAIL("a used cartridge was accepted");
        } catch (const TreatmentLogError& error) {
            CHECK(error.kind() == TreatmentLogProblem::CartridgeUsed);
            CHECK_THAT(error.what(),
                       Catch::Contains("cartridge CART-0003 was already used by run " +
                                       std::to_string(first) + " (" + to_string(outcome)) &&
                           Catch::Contains("single-use"));
        }
        CHECK(log.recent_runs().size() == 1);  // the refusal wrote nothing
    }
    SECTION("after a failed run it may be used again") {
        log.finish_run(first, RunEnd{RunOutcome::Failed, 0, "link lost"});
        CHECK(log.begin_run(run_start("CART-0003")) > first);
    }
}

TEST_CASE("an override reason lets a used cartridge run again, and is recorded",
          "[records][ledger]") {
    TempDir dir;
    auto log = TreatmentLog::open(dir.file("clinic.db"));
    const auto first = log.begin_run(run_start("CART-0004"));
    log.finish_run(first, RunEnd{RunOutcome::Aborted, 0, "operator stopped"});
    auto start = run_start("CART-0004");
    start.cartridge_override_reason = "aborted before skin contact; same client, same session";
    const auto second = log.begin_run(start);
    log.finish_run(second, RunEnd{RunOutcome::Completed, {}, {}});

    CHECK(log.report(second).run.cartridge_override_reason == start.cartridge_override_reason);
    const auto uses = log.cartridge_uses("CART-0004");
    REQUIRE(uses.size() == 2);
    CHECK(uses[0].run_id == second);
    CHECK(uses[0].override_reason == start.cartridge_override_reason);
    CHECK(uses[0].outcome == RunOutcome::Completed);
    CHECK(uses[1].run_id == first);
    CHECK(uses[1].override_reason.empty());
    CHECK(uses[1].outcome == RunOutcome::Aborted);
    CHECK(log.cartridge_ledger().size() == 2);
}

TEST_CASE("the ledger and the records survive closing and opening the file again",
          "[records][ledger]") {
    TempDir dir;
    const auto path = dir.file("clinic.db");
    std::int64_t run = 0;
    {
        auto log = TreatmentLog::open(path);
        run = log.begin_run(run_start("CART-0005"));
        log.step_finished(run, step_totals(0, "neck"));
        log.finish_run(run, RunEnd{RunOutcome::Completed, {}, {}});
    }
    auto reopened = TreatmentLog::open(path);
    CHECK(reopened.interrupted_at_open().empty());
    CHECK(reopened.report(run).steps.at(0).zone == "neck");
    CHECK_THROWS_WITH(reopened.begin_run(run_start("CART-0005")),
                      Catch::Contains("already used by run " + std::to_string(run)));
}

TEST_CASE("a run needs a cartridge and a pen, and ends only as completed, aborted or failed",
          "[records]") {
    TempDir dir;
    auto log = TreatmentLog::open(dir.file("clinic.db"));
    CHECK_THROWS_WITH(log.begin_run(run_start("")), Catch::Contains("cartridge_id is empty"));
    auto no_pen = run_start("CART-0006");
    no_pen.pen_serial.clear();
    CHECK_THROWS_AS(log.begin_run(no_pen), InvalidArgumentError);
    const auto run = log.begin_run(run_start("CART-0006"));
    CHECK_THROWS_WITH(log.finish_run(run, RunEnd{RunOutcome::Interrupted, {}, {}}),
                      Catch::Contains("cannot be finished as interrupted"));
    CHECK(log.report(run).run.outcome == RunOutcome::Running);
    CHECK(std::string(to_string(RunOutcome::Interrupted)) == "interrupted");
}

TEST_CASE("impossible step totals are refused naming the step, field, value and unit",
          "[records]") {
    TempDir dir;
    auto log = TreatmentLog::open(dir.file("clinic.db"));
    const auto run = log.begin_run(run_start("CART-0007"));
    auto step = step_totals(1, "cheek");

    SECTION("a depth range upside down") {
        step.depth_set_min_mm = 1.5;
        step.depth_set_max_mm = 0.5;
        CHECK_THROWS_WITH(log.step_finished(run, step),
                          Catch::Contains("step 1 (cheek pass) depth set runs from 1.500 down to "
                                          "0.500 mm"));
    }
    SECTION("a negative energy") {
        step.rf_energy_j = -2.0;
        try {
            log.step_finished(run, step);
            FAIL("a negative energy was recorded");
        } catch (const OutOfRangeError& error) {
            CHECK_THAT(error.what(), Catch::Contains("rf_energy_j -2.000 J"));
            CHECK(error.unit() == "J");
            CHECK(error.value() == -2.0);
        }
    }
    SECTION("a step that ends before it starts, or a time that is not a number") {
        step.ended_s = step.started_s - 1.0;
        CHECK_THROWS_AS(log.step_finished(run, step), OutOfRangeError);
        CHECK_THROWS_AS(log.step_started(run, 2, "neck", "neck", std::nan("")), OutOfRangeError);
        CHECK_THROWS_AS(log.event(run, RunEvent{-1.0, "fault", "x"}), OutOfRangeError);
    }
    CHECK(log.report(run).steps.empty());  // nothing half-written
    CHECK_THROWS_WITH(log.begin_run(run_start("0")), Catch::Contains("no cartridge is fitted"));
}
