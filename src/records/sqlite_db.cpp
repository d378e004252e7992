#include "records/sqlite_db.hpp"

#include <sqlite3.h>

namespace penlink::records {

Database::Database(const std::string& path, int busy_timeout_ms)
    : path_(path), busy_timeout_ms_(busy_timeout_ms) {
    const int code =
        sqlite3_open_v2(path.c_str(), &db_,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    if (code != SQLITE_OK) {
        const std::string reason = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(code);
        sqlite3_close_v2(db_);
        db_ = nullptr;
        throw TreatmentLogError(TreatmentLogProblem::Storage,
                                "cannot open the treatment log '" + path + "': " + reason);
    }
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_busy_timeout(db_, busy_timeout_ms);
}

Database::~Database() { sqlite3_close_v2(db_); }

void Database::fail(int code, const std::string& doing) const {
    const std::string detail = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(code);
    switch (code & 0xff) {
        case SQLITE_NOTADB:
        case SQLITE_CORRUPT:
            throw TreatmentLogError(TreatmentLogProblem::NotATreatmentLog,
                                    "'" + path_ + "' is not a penlink treatment log, or it is " +
                                        "corrupt (" + doing + ": " + detail + ")");
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
            throw TreatmentLogError(TreatmentLogProblem::Locked,
                                    "the treatment log '" + path_ +
                                        "' is locked by another process (waited " +
                                        std::to_string(busy_timeout_ms_) + " ms; " + doing + ")");
        default:
            throw TreatmentLogError(
                TreatmentLogProblem::Storage,
                "the treatment log '" + path_ + "' failed while " + doing + ": " + detail);
    }
}

void Database::execute(const char* sql) {
    char* error = nullptr;
    const int code = sqlite3_exec(db_, sql, nullptr, nullptr, &error);
    sqlite3_free(error);
    if (code != SQLITE_OK) fail(code, std::string("running \"") + sql + "\"");
}

std::int64_t Database::query_integer(const char* sql) {
    Statement statement(*this, sql);
    if (!statement.step()) return 0;
    return statement.integer(0);
}

std::int64_t Database::last_insert_id() const { return sqlite3_last_insert_rowid(db_); }

int Database::changes() const { return sqlite3_changes(db_); }

Statement::Statement(Database& db, const char* sql) : db_(db) {
    const int code = sqlite3_prepare_v2(db.handle(), sql, -1, &statement_, nullptr);
    if (code != SQLITE_OK) db.fail(code, std::string("preparing \"") + sql + "\"");
}

Statement::~Statement() { sqlite3_finalize(statement_); }

Statement& Statement::bind(int index, std::int64_t value) {
    sqlite3_bind_int64(statement_, index, value);
    return *this;
}

Statement& Statement::bind(int index, double value) {
    sqlite3_bind_double(statement_, index, value);
    return *this;
}

Statement& Statement::bind(int index, const std::string& value) {
    sqlite3_bind_text(statement_, index, value.c_str(), static_cast<int>(value.size()),
                      SQLITE_TRANSIENT);
    return *this;
}

Statement& Statement::bind_null(int index) {
    sqlite3_bind_null(statement_, index);
    return *this;
}

bool Statement::step() {
    const int code = sqlite3_step(statement_);
    if (code == SQLITE_ROW) return true;
    if (code == SQLITE_DONE) return false;
    db_.fail(code, std::string("running \"") + sqlite3_sql(statement_) + "\"");
}

void Statement::run() {
    while (step()) {
    }
}

std::int64_t Statement::integer(int column) const {
    return sqlite3_column_int64(statement_, column);
}

double Statement::real(int column) const { return sqlite3_column_double(statement_, column); }

std::string Statement::text(int column) const {
    const auto* text = sqlite3_column_text(statement_, column);
    return text ? std::string(reinterpret_cast<const char*>(text),
                              static_cast<std::size_t>(sqlite3_column_bytes(statement_, column)))
                : std::string();
}

bool Statement::is_null(int column) const {
    return sqlite3_column_type(statement_, column) == SQLITE_NULL;
}

Transaction::Transaction(Database& db) : db_(db) { db_.execute("BEGIN IMMEDIATE"); }

Transaction::~Transaction() {
    if (!done_) sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

void Transaction::commit() {
    db_.execute("COMMIT");
    done_ = true;
}

}  // namespace penlink::records
