// The treatment log from C (penlink/records.h): opening a log and snapshots of its runs and of
// the cartridge ledger. The lists own their rows; the rows and their strings are borrowed.
#include <memory>
#include <vector>

#include "capi/boundary.hpp"
#include "capi/handles.hpp"
#include "penlink/records.h"
#include "penlink/records.hpp"

using namespace penlink;

struct pl_treatment_log {
    explicit pl_treatment_log(TreatmentLog opened) : log(std::move(opened)) {}
    TreatmentLog log;
};
struct pl_run {
    RunSummary run;
};
struct pl_run_list {
    std::vector<pl_run> runs;
};
struct pl_cartridge_use {
    CartridgeUse use;
};
struct pl_cartridge_list {
    std::vector<pl_cartridge_use> uses;
};

namespace {

static_assert(PL_RUN_IN_PROGRESS == static_cast<int>(RunOutcome::Running) &&
              PL_RUN_COMPLETED == static_cast<int>(RunOutcome::Completed) &&
              PL_RUN_ABORTED == static_cast<int>(RunOutcome::Aborted) &&
              PL_RUN_FAILED == static_cast<int>(RunOutcome::Failed) &&
              PL_RUN_INTERRUPTED == static_cast<int>(RunOutcome::Interrupted));

TreatmentLog& live_log(pl_treatment_log* log, const char* function) {
    if (log == nullptr || !capi::is_live(log, capi::HandleKind::TreatmentLog))
        throw InvalidArgumentError(std::string(function) +
                                   ": log is NULL or not a live pl_treatment_log");
    return log->log;
}

int hand_out(pl_cartridge_list** out, std::vector<CartridgeUse> uses) {
    auto list = std::make_unique<pl_cartridge_list>();
    for (auto& use : uses) list->uses.push_back(pl_cartridge_use{std::move(use)});
    capi::register_handle(list.get(), capi::HandleKind::CartridgeList);
    *out = list.release();
    return 0;
}

}  // namespace

extern "C" {

const char* pl_run_outcome_name(pl_run_outcome outcome) {
    const int raw = capi::raw_enum(outcome);
    if (raw < PL_RUN_IN_PROGRESS || raw > PL_RUN_INTERRUPTED) return "unknown";
    return to_string(static_cast<RunOutcome>(raw));
}

int pl_treatment_log_open(pl_treatment_log** out, const char* path, int create,
                          int32_t busy_timeout_ms) {
    return capi::guarded([&] {
        capi::require(out, "pl_treatment_log_open", "out");
        *out = nullptr;
        capi::require(path, "pl_treatment_log_open", "path");
        if (busy_timeout_ms < 0)
            throw InvalidArgumentError("pl_treatment_log_open: busy_timeout_ms " +
                                       std::to_string(busy_timeout_ms) + " is negative");
        TreatmentLogOptions options;
        options.create = create != 0;
        if (busy_timeout_ms > 0) options.busy_timeout = std::chrono::milliseconds(busy_timeout_ms);
        auto handle = std::make_unique<pl_treatment_log>(TreatmentLog::open(path, options));
        capi::register_handle(handle.get(), capi::HandleKind::TreatmentLog);
        *out = handle.release();
        return 0;
    });
}

void pl_treatment_log_free(pl_treatment_log* log) {
    if (log == nullptr || !capi::unregister_handle(log, capi::HandleKind::TreatmentLog)) return;
    std::unique_ptr<pl_treatment_log> owned(log);
}

int pl_treatment_log_recent_runs(pl_run_list** out, pl_treatment_log* log, size_t limit) {
    return capi::guarded([&] {
        capi::require(out, "pl_treatment_log_recent_runs", "out");
        *out = nullptr;
        auto runs = live_log(log, "pl_treatment_log_recent_runs").recent_runs(limit);
        auto list = std::make_unique<pl_run_list>();
        for (auto& run : runs) list->runs.push_back(pl_run{std::move(run)});
        capi::register_handle(list.get(), capi::HandleKind::RunList);
        *out = list.release();
        return 0;
    });
}

size_t pl_run_list_count(const pl_run_list* list) {
    if (list == nullptr || !capi::is_live(list, capi::HandleKind::RunList)) return 0;
    return list->runs.size();
}

const pl_run* pl_run_list_get(const pl_run_list* list, size_t index) {
    if (list == nullptr || !capi::is_live(list, capi::HandleKind::RunList)) return nullptr;
    return index < list->runs.size() ? &list->runs[index] : nullptr;
}

void pl_run_list_free(pl_run_list* list) {
    if (list == nullptr || !capi::unregister_handle(list, capi::HandleKind::RunList)) return;
    std::unique_ptr<pl_run_list> owned(list);
}

int64_t pl_run_id(const pl_run* run) { return run ? run->run.id : 0; }

pl_run_outcome pl_run_get_outcome(const pl_run* run) {
    return run ? static_cast<pl_run_outcome>(run->run.outcome) : PL_RUN_IN_PROGRESS;
}

const char* pl_run_text(const pl_run* run, pl_run_field field) {
    if (run == nullptr) return "";
    const RunSummary& r = run->run;
    switch (capi::raw_enum(field)) {
        case PL_RUN_STARTED_UTC:
            return r.started_utc.c_str();
        case PL_RUN_ENDED_UTC:
            return r.ended_utc.c_str();
        case PL_RUN_PEN_SERIAL:
            return r.pen_serial.c_str();
        case PL_RUN_PEN_MODEL:
            return r.pen_model.c_str();
        case PL_RUN_PEN_FIRMWARE:
            return r.pen_firmware.c_str();
        case PL_RUN_CARTRIDGE_ID:
            return r.cartridge_id.c_str();
        case PL_RUN_RECIPE_NAME:
            return r.recipe_name.c_str();
        case PL_RUN_RECIPE_HASH:
            return r.recipe_hash.c_str();
        case PL_RUN_DEVICE_CLASS:
            return r.device_class.c_str();
        case PL_RUN_CLIENT_REFERENCE:
            return r.client_reference.c_str();
        case PL_RUN_REASON:
            return r.reason.c_str();
        case PL_RUN_CARTRIDGE_OVERRIDE_REASON:
            return r.cartridge_override_reason.c_str();
        case PL_RUN_RECORDING_PATH:
            return r.recording ? r.recording->path.c_str() : "";
        case PL_RUN_RECORDING_ABSOLUTE_PATH:
            return r.recording ? r.recording->absolute_path.c_str() : "";
        default:
            return "";
    }
}

int64_t pl_run_failing_step(const pl_run* run) {
    return run && run->run.failing_step ? static_cast<int64_t>(*run->run.failing_step) : -1;
}

size_t pl_run_step_count(const pl_run* run) { return run ? run->run.steps : 0; }

int pl_run_has_recording(const pl_run* run) { return run && run->run.recording ? 1 : 0; }

int64_t pl_run_recording_started_unix_ms(const pl_run* run) {
    return run && run->run.recording ? run->run.recording->started_unix_ms : 0;
}

int pl_treatment_log_cartridge_ledger(pl_cartridge_list** out, pl_treatment_log* log,
                                      size_t limit) {
    return capi::guarded([&] {
        capi::require(out, "pl_treatment_log_cartridge_ledger", "out");
        *out = nullptr;
        return hand_out(out,
                        live_log(log, "pl_treatment_log_cartridge_ledger").cartridge_ledger(limit));
    });
}

int pl_treatment_log_cartridge_uses(pl_cartridge_list** out, pl_treatment_log* log,
                                    const char* cartridge_id) {
    return capi::guarded([&] {
        capi::require(out, "pl_treatment_log_cartridge_uses", "out");
        *out = nullptr;
        auto& opened = live_log(log, "pl_treatment_log_cartridge_uses");
        capi::require(cartridge_id, "pl_treatment_log_cartridge_uses", "cartridge_id");
        return hand_out(out, opened.cartridge_uses(cartridge_id));
    });
}

size_t pl_cartridge_list_count(const pl_cartridge_list* list) {
    if (list == nullptr || !capi::is_live(list, capi::HandleKind::CartridgeList)) return 0;
    return list->uses.size();
}

const pl_cartridge_use* pl_cartridge_list_get(const pl_cartridge_list* list, size_t index) {
    if (list == nullptr || !capi::is_live(list, capi::HandleKind::CartridgeList)) return nullptr;
    return index < list->uses.size() ? &list->uses[index] : nullptr;
}

void pl_cartridge_list_free(pl_cartridge_list* list) {
    if (list == nullptr || !capi::unregister_handle(list, capi::HandleKind::CartridgeList)) return;
    std::unique_ptr<pl_cartridge_list> owned(list);
}

const char* pl_cartridge_use_cartridge_id(const pl_cartridge_use* use) {
    return use ? use->use.cartridge_id.c_str() : "";
}
int64_t pl_cartridge_use_run_id(const pl_cartridge_use* use) { return use ? use->use.run_id : 0; }
const char* pl_cartridge_use_started_utc(const pl_cartridge_use* use) {
    return use ? use->use.started_utc.c_str() : "";
}
const char* pl_cartridge_use_pen_serial(const pl_cartridge_use* use) {
    return use ? use->use.pen_serial.c_str() : "";
}
pl_run_outcome pl_cartridge_use_outcome(const pl_cartridge_use* use) {
    return use ? static_cast<pl_run_outcome>(use->use.outcome) : PL_RUN_IN_PROGRESS;
}
const char* pl_cartridge_use_override_reason(const pl_cartridge_use* use) {
    return use ? use->use.override_reason.c_str() : "";
}

}  // extern "C"
