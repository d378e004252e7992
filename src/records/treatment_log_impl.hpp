// What a penlink::TreatmentLog holds: its connection, the lock that serialises its calls, and
// who this process is (the owner of the runs it begins).
#pragma once

#include <mutex>
#include <vector>

#include "penlink/records.hpp"
#include "records/process_identity.hpp"
#include "records/sqlite_db.hpp"

namespace penlink {

struct TreatmentLog::Impl {
    Impl(const std::string& path, int busy_timeout_ms) : db(path, busy_timeout_ms) {}

    std::mutex mutex;
    records::Database db;
    records::ProcessIdentity me;
    std::vector<std::int64_t> interrupted;
};

namespace records {

/// "running" <-> RunOutcome::Running, and so on; unknown text is InvalidArgument.
RunOutcome outcome_from_text(const std::string& text, const std::string& path);

}  // namespace records
}  // namespace penlink
