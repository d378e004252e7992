// The treatment log's schema (docs/records.md, "Schema"): its one definition, its version and
// the checks that a file is a penlink treatment log of a version this penlink reads.
#pragma once

#include "records/sqlite_db.hpp"

namespace penlink::records {

/// SQLite user_version of the schema (schema.cpp). A newer file is refused, never written; an
/// older one is upgraded in place when opened. 2 added the run's session recording.
inline constexpr int kSchemaVersion = 2;
/// SQLite application_id of a penlink treatment log: "PLNK".
inline constexpr std::int64_t kApplicationId = 0x504C4E4B;

/// Checks the file, creates the schema in an empty one (one transaction, so two processes
/// creating it at once cannot both do so) and upgrades an older one in place. Throws
/// TreatmentLogError NotATreatmentLog or SchemaTooNew.
void prepare_schema(Database& db);

}  // namespace penlink::records
