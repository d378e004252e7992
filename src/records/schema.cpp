#include "records/schema.hpp"

#include <algorithm>
#include <cstdio>
#include <iterator>

namespace penlink::records {
namespace {

// Version 1, as the first penlink wrote it. A new file gets this and then every migration below,
// so a new file and an upgraded one are the same schema by construction.
constexpr const char* kSchemaVersion1 = R"sql(
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
)sql";

// kMigrations[i] takes a file from version i + 1 to i + 2. Only ever appended to.
constexpr const char* kMigrations[] = {
    // 2: the session recording of a run (RunStart::recording); NULL when none was made.
    R"sql(
ALTER TABLE runs ADD COLUMN recording_path TEXT;
ALTER TABLE runs ADD COLUMN recording_absolute_path TEXT;
ALTER TABLE runs ADD COLUMN recording_started_unix_ms INTEGER;
)sql",
};
static_assert(std::size(kMigrations) == kSchemaVersion - 1,
              "every schema version after 1 needs its migration");

std::string hex(std::int64_t value) {
    char text[24];
    std::snprintf(text, sizeof text, "0x%08llX", static_cast<unsigned long long>(value));
    return text;
}

void check_identity(Database& db) {
    const auto application_id = db.query_integer("PRAGMA application_id");
    const auto version = db.query_integer("PRAGMA user_version");
    if (application_id != kApplicationId) {
        throw TreatmentLogError(TreatmentLogProblem::NotATreatmentLog,
                                "'" + db.path() + "' is not a penlink treatment log: it is " +
                                    "another application's SQLite database (application_id " +
                                    hex(application_id) + ", expected " + hex(kApplicationId) +
                                    ")");
    }
    if (version > kSchemaVersion) {
        throw TreatmentLogError(TreatmentLogProblem::SchemaTooNew,
                                "the treatment log '" + db.path() + "' has schema version " +
                                    std::to_string(version) + ", newer than the " +
                                    std::to_string(kSchemaVersion) +
                                    " this penlink reads: update penlink to use it");
    }
}

// Brings a file of version `from` (1 or later) to kSchemaVersion; the caller holds a write
// transaction.
void migrate(Database& db, std::int64_t from) {
    for (auto version = std::max<std::int64_t>(from, 1); version < kSchemaVersion; ++version)
        db.execute(kMigrations[version - 1]);
    db.execute(("PRAGMA user_version = " + std::to_string(kSchemaVersion)).c_str());
}

// An older file is upgraded in place when opened, in one write transaction: a second process
// opening it at the same moment waits, then finds it upgraded.
void upgrade(Database& db) {
    if (db.query_integer("PRAGMA user_version") >= kSchemaVersion) return;
    Transaction transaction(db);
    const auto version = db.query_integer("PRAGMA user_version");
    if (version >= kSchemaVersion) return;
    migrate(db, version);
    transaction.commit();
}

}  // namespace

void prepare_schema(Database& db) {
    // The first read of the file: a file that is not SQLite fails here with NOTADB.
    const auto tables = db.query_integer("SELECT count(*) FROM sqlite_master");
    if (tables > 0) {
        check_identity(db);
        upgrade(db);
        return;
    }
    Transaction transaction(db);
    // Another process may have created it since the count above.
    if (db.query_integer("SELECT count(*) FROM sqlite_master") > 0) {
        check_identity(db);
        transaction.commit();
        upgrade(db);
        return;
    }
    db.execute(kSchemaVersion1);
    db.execute(("PRAGMA application_id = " + std::to_string(kApplicationId)).c_str());
    migrate(db, 1);
    transaction.commit();
}

}  // namespace penlink::records
