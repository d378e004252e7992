// The treatment log's schema versions: a file written by the first schema (version 1, before
// runs named their session recording) opens, is upgraded in place and keeps its runs; a run
// with a recording stores the file's path, absolute path and header time, one without stores
// NULL.
#include <catch2/catch.hpp>

#include <sqlite3.h>

#include <filesystem>

#include "log_fixtures.hpp"
#include "penlink/records.hpp"
#include "temp_dir.hpp"

using namespace penlink;
using penlink::test::run_start;
using penlink::test::TempDir;

namespace {

// The schema as penlink 1.x first wrote it (user_version 1), kept verbatim here: the upgrade
// must work on files already in clinics, not on whatever the current code would create.
constexpr const char* kVersion1File = R"sql(
CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    started_utc TEXT NOT NULL,
    ended_utc TEXT,
    pen_serial TEXT NOT NULL,
    pen_model TEXT NOT NULL,
    pen_firmware TEXT NOT NULL,
    cartridge_id TEXT NOT NULL,
    recipe_name TEXT NOT NULL,
    recipe_hash TEXT NOT NULL,
    device_class TEXT NOT NULL,
    client_reference TEXT NOT NULL,
    outcome TEXT NOT NULL
        CHECK (outcome IN ('running', 'completed', 'aborted', 'failed', 'interrupted')),
    failing_step INTEGER,
    reason TEXT NOT NULL DEFAULT '',
    cartridge_override_reason TEXT NOT NULL DEFAULT '',
    owner_host TEXT NOT NULL,
    owner_pid INTEGER NOT NULL,
    owner_start TEXT NOT NULL
);
CREATE INDEX runs_by_cartridge ON runs (cartridge_id);
CREATE TABLE steps (
    run_id INTEGER NOT NULL REFERENCES runs (id),
    step_index INTEGER NOT NULL,
    name TEXT NOT NULL,
    zone TEXT NOT NULL,
    started_s REAL NOT NULL,
    ended_s REAL,
    strokes INTEGER NOT NULL DEFAULT 0,
    depth_set_min_mm REAL,
    depth_set_max_mm REAL,
    depth_actual_min_mm REAL,
    depth_actual_max_mm REAL,
    rf_energy_j REAL NOT NULL DEFAULT 0,
    led_dose_j_cm2 REAL NOT NULL DEFAULT 0,
    outcome TEXT NOT NULL,
    PRIMARY KEY (run_id, step_index)
);
CREATE TABLE step_module_totals (
    run_id INTEGER NOT NULL,
    step_index INTEGER NOT NULL,
    key TEXT NOT NULL,
    value REAL NOT NULL,
    PRIMARY KEY (run_id, step_index, key),
    FOREIGN KEY (run_id, step_index) REFERENCES steps (run_id, step_index)
);
CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs (id),
    t_s REAL NOT NULL,
    kind TEXT NOT NULL,
    text TEXT NOT NULL
);
CREATE INDEX events_by_run ON events (run_id, t_s);
PRAGMA application_id = 1347178059;
PRAGMA user_version = 1;
INSERT INTO runs (started_utc, ended_utc, pen_serial, pen_model, pen_firmware, cartridge_id,
    recipe_name, recipe_hash, device_class, client_reference, outcome, owner_host, owner_pid,
    owner_start)
VALUES ('2026-01-05T09:00:00.000Z', '2026-01-05T09:12:00.000Z', 'PL-000123', 'penlink-sim',
    '1.4.2', 'CART-OLD', 'acne-scars', 'sha256:9f2c', 'professional', '', 'completed', 'clinic',
    4242, '1');
INSERT INTO steps (run_id, step_index, name, zone, started_s, ended_s, strokes, outcome)
VALUES (1, 0, 'forehead pass', 'forehead', 0, 60, 6000, 'completed');
)sql";

struct Sql {
    explicit Sql(const std::string& path) { REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK); }
    ~Sql() { sqlite3_close(db); }
    Sql(const Sql&) = delete;
    Sql& operator=(const Sql&) = delete;
    void run(const char* sql) {
        char* error = nullptr;
        const int code = sqlite3_exec(db, sql, nullptr, nullptr, &error);
        INFO((error ? error : ""));
        sqlite3_free(error);
        REQUIRE(code == SQLITE_OK);
    }
    // The first column of the first row as text; "NULL" for SQL NULL.
    std::string text(const std::string& sql) {
        sqlite3_stmt* statement = nullptr;
        REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &statement, nullptr) == SQLITE_OK);
        REQUIRE(sqlite3_step(statement) == SQLITE_ROW);
        std::string value = sqlite3_column_type(statement, 0) == SQLITE_NULL
                                ? "NULL"
                                : reinterpret_cast<const char*>(sqlite3_column_text(statement, 0));
        sqlite3_finalize(statement);
        return value;
    }
    sqlite3* db = nullptr;
};

}  // namespace

TEST_CASE("a version 1 log opens, is upgraded in place and keeps its runs", "[records][schema]") {
    TempDir dir;
    const auto path = dir.file("clinic-v1.db");
    Sql(path).run(kVersion1File);

    auto log = TreatmentLog::open(path);
    CHECK(Sql(path).text("PRAGMA user_version") == std::to_string(TreatmentLog::schema_version()));
    const auto old = log.report(1);
    CHECK(old.run.cartridge_id == "CART-OLD");
    CHECK(old.run.outcome == RunOutcome::Completed);
    REQUIRE(old.steps.size() == 1);
    CHECK(old.steps[0].strokes == 6000);
    CHECK_FALSE(old.run.recording);  // logged before runs named recordings
    CHECK(Sql(path).text("SELECT recording_path FROM runs WHERE id = 1") == "NULL");

    // The upgraded file takes new runs with recordings, and still keeps the ledger.
    auto start = run_start("CART-OLD");
    CHECK_THROWS_AS(log.begin_run(start), TreatmentLogError);  // single-use still holds
    start = run_start("CART-NEW");
    start.recording = RecordingFile{"session.plrec", dir.file("session.plrec"), 1767600000123};
    const auto run = log.begin_run(start);
    const auto summary = log.report(run).run;
    REQUIRE(summary.recording);
    CHECK(summary.recording->path == "session.plrec");
    CHECK(summary.recording->absolute_path == dir.file("session.plrec"));
    CHECK(summary.recording->started_unix_ms == 1767600000123);
}

TEST_CASE("two logs opening one version 1 file upgrade it once", "[records][schema]") {
    TempDir dir;
    const auto path = dir.file("clinic-v1.db");
    Sql(path).run(kVersion1File);
    // Two logs on the one file, as two processes would: the second finds it upgraded.
    auto first = TreatmentLog::open(path);
    auto second = TreatmentLog::open(path);
    CHECK(second.report(1).run.cartridge_id == "CART-OLD");
    CHECK(Sql(path).text("SELECT count(*) FROM pragma_table_info('runs') WHERE name LIKE "
                         "'recording%'") == "3");
    CHECK(Sql(path).text("PRAGMA user_version") == "2");
}

TEST_CASE("a new log and an upgraded one have the same runs table", "[records][schema]") {
    TempDir dir;
    const auto fresh = dir.file("fresh.db");
    const auto upgraded = dir.file("upgraded.db");
    { auto log = TreatmentLog::open(fresh); }
    Sql(upgraded).run(kVersion1File);
    { auto log = TreatmentLog::open(upgraded); }
    const std::string columns =
        "SELECT group_concat(name || ' ' || type || ' ' || \"notnull\", ', ') FROM "
        "pragma_table_info('runs')";
    CHECK(Sql(fresh).text(columns) == Sql(upgraded).text(columns));
}

TEST_CASE(
    "a run without a recording stores NULL and a relative path is stored with its absolute one",
    "[records][schema]") {
    TempDir dir;
    const auto path = dir.file("clinic.db");
    auto log = TreatmentLog::open(path);
    const auto without = log.begin_run(run_start("CART-0001"));
    CHECK_FALSE(log.report(without).run.recording);
    CHECK_FALSE(log.recent_runs(1).at(0).recording);
    Sql sql(path);
    CHECK(sql.text("SELECT recording_path FROM runs WHERE id = " + std::to_string(without)) ==
          "NULL");
    CHECK(sql.text("SELECT recording_absolute_path FROM runs WHERE id = " +
                   std::to_string(without)) == "NULL");
    CHECK(sql.text("SELECT recording_started_unix_ms FROM runs WHERE id = " +
                   std::to_string(without)) == "NULL");

    auto start = run_start("CART-0002");
    start.recording = RecordingFile{"recordings/run.plrec", "", 0};
    const auto with = log.begin_run(start);
    const auto stored = log.report(with).run.recording;
    REQUIRE(stored);
    CHECK(stored->path == "recordings/run.plrec");
    CHECK(stored->absolute_path ==
          (std::filesystem::current_path() / "recordings/run.plrec").lexically_normal().string());
    CHECK(stored->started_unix_ms == 0);
}

TEST_CASE("a recording with an empty path or a negative time is refused naming it",
          "[records][schema]") {
    TempDir dir;
    auto log = TreatmentLog::open(dir.file("clinic.db"));
    auto start = run_start("CART-0003");
    start.recording = RecordingFile{};
    CHECK_THROWS_WITH(log.begin_run(start), Catch::Contains("empty path"));
    start.recording = RecordingFile{"a.plrec", "", -5};
    CHECK_THROWS_WITH(log.begin_run(start), Catch::Contains("-5 ms"));
    CHECK(log.recent_runs().empty());  // nothing was written
}
