// Bad files and a busy database: each a TreatmentLogError of its own kind, naming the file.
#include <catch2/catch.hpp>

#include <sqlite3.h>

#include <fstream>

#include "log_fixtures.hpp"
#include "penlink/records.hpp"
#include "temp_dir.hpp"

using namespace penlink;
using penlink::test::run_start;
using penlink::test::TempDir;

namespace {

void run_sql(const std::string& path, const char* sql) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
    REQUIRE(sqlite3_exec(db, sql, nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(db);
}

TreatmentLogProblem problem_opening(const std::string& path, std::string& message) {
    try {
        TreatmentLog::open(path);
    } catch (const TreatmentLogError& error) {
        message = error.what();
        return error.kind();
    }
    FAIL("opened " << path);
    return TreatmentLogProblem::Storage;
}

}  // namespace

TEST_CASE("a file that is not a database is refused as not a treatment log", "[records]") {
    TempDir dir;
    const auto path = dir.file("notes.db");
    std::ofstream(path) << "this is a clinic's notes file, not a database, and it is long enough "
                           "to hold a SQLite header's worth of bytes and then some more text\n";
    std::string message;
    CHECK(problem_opening(path, message) == TreatmentLogProblem::NotATreatmentLog);
    CHECK_THAT(message, Catch::Contains("'" + path + "' is not a penlink treatment log"));
}

TEST_CASE("a log whose pages were damaged is refused as corrupt", "[records]") {
    TempDir dir;
    const auto path = dir.file("clinic.db");
    {
        auto log = TreatmentLog::open(path);
        log.finish_run(log.begin_run(run_start("CART-0100")), RunEnd{});
    }
    run_sql(path, "PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode = DELETE");
    {
        // Overwrite the second page (the runs table's b-tree) with garbage.
        std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
        file.seekp(4096 + 8);
        const std::string garbage(200, '\xA5');
        file.write(garbage.data(), static_cast<std::streamsize>(garbage.size()));
    }
    try {
        auto log = TreatmentLog::open(path);
        log.recent_runs();
        FAIL("a damaged log read without error");
    } catch (const TreatmentLogError& error) {
        CHECK(error.kind() == TreatmentLogProblem::NotATreatmentLog);
        CHECK_THAT(error.what(), Catch::Contains("corrupt"));
    }
}

TEST_CASE("another application's SQLite database is refused", "[records]") {
    TempDir dir;
    const auto path = dir.file("inventory.db");
    run_sql(path, "CREATE TABLE stock (item TEXT, count INTEGER)");
    std::string message;
    CHECK(problem_opening(path, message) == TreatmentLogProblem::NotATreatmentLog);
    CHECK_THAT(message, Catch::Contains("another application's SQLite database") &&
                            Catch::Contains("0x504C4E4B"));
}

TEST_CASE("a log from a newer penlink is refused and left alone", "[records]") {
    TempDir dir;
    const auto path = dir.file("clinic.db");
    { TreatmentLog::open(path); }
    run_sql(path, "PRAGMA user_version = 7");
    std::string message;
    CHECK(problem_opening(path, message) == TreatmentLogProblem::SchemaTooNew);
    CHECK_THAT(message, Catch::Contains("schema version 7, newer than the " +
                                        std::to_string(TreatmentLog::schema_version())));
    try {
        TreatmentLog::open(path);
    } catch (const TreatmentLogError& error) {
        CHECK(error.code() == ErrorCode::NotSupported);
    }
}

TEST_CASE("a database another connection holds is reported as locked after the busy timeout",
          "[records]") {
    TempDir dir;
    const auto path = dir.file("clinic.db");
    TreatmentLogOptions options;
    options.busy_timeout = std::chrono::milliseconds(150);
    auto log = TreatmentLog::open(path, options);

    sqlite3* holder = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &holder) == SQLITE_OK);
    REQUIRE(sqlite3_exec(holder, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) == SQLITE_OK);
    try {
        log.begin_run(run_start("CART-0200"));
        FAIL("wrote while another connection held the write lock");
    } catch (const TreatmentLogError& error) {
        CHECK(error.kind() == TreatmentLogProblem::Locked);
        CHECK(error.code() == ErrorCode::Timeout);
        CHECK_THAT(error.what(), Catch::Contains("is locked by another process (waited 150 ms"));
    }
    CHECK(log.recent_runs().empty());  // WAL: reading goes on meanwhile
    REQUIRE(sqlite3_exec(holder, "COMMIT", nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(holder);
    CHECK(log.begin_run(run_start("CART-0200")) > 0);
}

TEST_CASE("a log in a directory that does not exist cannot be opened", "[records]") {
    TempDir dir;
    std::string message;
    CHECK(problem_opening(dir.file("missing/clinic.db"), message) == TreatmentLogProblem::Storage);
    CHECK_THAT(message, Catch::Contains("missing/clinic.db"));
    CHECK_THROWS_AS(TreatmentLog::open(""), InvalidArgumentError);
}
