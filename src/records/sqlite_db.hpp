// A thin RAII layer over the SQLite C API for the treatment log: a connection, prepared
// statements with bound values, transactions, and SQLite's result codes turned into
// TreatmentLogError kinds. Nothing here knows the schema.
//
// Threads: one thread at a time per Database (TreatmentLog serialises its calls).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "penlink/records.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace penlink::records {

class Database;

class Statement {
public:
    Statement(Database& db, const char* sql);
    ~Statement();
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, double value);
    Statement& bind(int index, const std::string& value);
    Statement& bind_null(int index);
    Statement& bind(int index, const std::optional<std::int64_t>& value) {
        return value ? bind(index, *value) : bind_null(index);
    }
    /// true while a row is available; false when done. Throws on error.
    bool step();
    /// step() that must finish without rows.
    void run();

    std::int64_t integer(int column) const;
    double real(int column) const;
    std::string text(int column) const;
    bool is_null(int column) const;

private:
    Database& db_;
    sqlite3_stmt* statement_ = nullptr;
};

class Database {
public:
    /// Opens (creating) path. Throws TreatmentLogError Storage if SQLite cannot open it.
    Database(const std::string& path, int busy_timeout_ms);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    /// Runs SQL without results (several statements allowed).
    void execute(const char* sql);
    /// The single integer a query such as "PRAGMA user_version" returns.
    std::int64_t query_integer(const char* sql);
    std::int64_t last_insert_id() const;
    int changes() const;

    /// Throws the TreatmentLogError that matches SQLite's result code; doing says what failed.
    [[noreturn]] void fail(int code, const std::string& doing) const;

    sqlite3* handle() { return db_; }
    const std::string& path() const { return path_; }
    int busy_timeout_ms() const { return busy_timeout_ms_; }

private:
    sqlite3* db_ = nullptr;
    std::string path_;
    int busy_timeout_ms_;
};

/// BEGIN IMMEDIATE (the write lock at once, so a check and the write that follows it are one
/// step for every other process) ... COMMIT, or ROLLBACK if not committed.
class Transaction {
public:
    explicit Transaction(Database& db);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit();

private:
    Database& db_;
    bool done_ = false;
};

}  // namespace penlink::records
