#include "penlink/treatment_record.hpp"

#include <openssl/evp.h>

#include <array>
#include <cstdio>

#include "penlink/errors.hpp"

namespace penlink::treatment {

std::string recipe_hash(const std::string& recipe_source) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned size = 0;
    if (EVP_Digest(recipe_source.data(), recipe_source.size(), digest.data(), &size, EVP_sha256(),
                   nullptr) != 1) {
        throw Error(ErrorCode::Internal, "SHA-256 of the recipe failed");
    }
    std::string hex;
    for (unsigned i = 0; i < size; ++i) {
        char byte[3];
        std::snprintf(byte, sizeof byte, "%02x", digest[i]);
        hex += byte;
    }
    return hex;
}

RunRecord::RunRecord(TreatmentLog& log, RunRecordOptions options, RunObserver* next)
    : log_(log), options_(std::move(options)), next_(next) {}

RunRecord::~RunRecord() = default;

std::optional<std::int64_t> RunRecord::run_id() const {
    const std::int64_t run = run_.load();
    return run == 0 ? std::nullopt : std::optional(run);
}

void RunRecord::run_started(const RunInfo& info) {
    if (info.cartridge_id == 0) {
        throw InvalidArgumentError(
            "the pen reports no cartridge (id 0): a recorded treatment needs a fitted cartridge");
    }
    RunStart start;
    start.pen_serial = info.pen_serial;
    start.pen_model = info.pen_model;
    start.pen_firmware = info.pen_firmware;
    start.cartridge_id = std::to_string(info.cartridge_id);
    start.recipe_name = info.recipe_name;
    start.recipe_hash = recipe_hash(info.recipe_source);
    start.device_class = to_string(info.device_class);
    start.client_reference = options_.client_reference;
    start.cartridge_override_reason = options_.cartridge_override_reason;
    start.recording = options_.recording_path.empty()
                          ? info.recording
                          : std::optional(identify_recording(options_.recording_path));
    run_ = log_.begin_run(start);  // throws CartridgeUsed: nothing has moved yet
    if (next_) next_->run_started(info);
}

void RunRecord::step_started(std::size_t index, const RecipeStep& step, double t_s) {
    if (const auto run = run_id()) log_.step_started(*run, index, step.name, step.zone, t_s);
    if (next_) next_->step_started(index, step, t_s);
}

void RunRecord::step_finished(const StepTotals& totals) {
    if (const auto run = run_id()) log_.step_finished(*run, totals);
    if (next_) next_->step_finished(totals);
}

void RunRecord::event(double t_s, const std::string& kind, const std::string& text) {
    if (const auto run = run_id()) log_.event(*run, RunEvent{t_s, kind, text});
    if (next_) next_->event(t_s, kind, text);
}

penlink::RunOutcome to_logged_outcome(RunOutcome outcome) noexcept {
    switch (outcome) {
        case RunOutcome::Completed:
            return penlink::RunOutcome::Completed;
        case RunOutcome::Aborted:
            return penlink::RunOutcome::Aborted;
        case RunOutcome::Failed:
            break;
    }
    return penlink::RunOutcome::Failed;
}

void RunRecord::run_finished(const RunResult& result) {
    if (const auto run = run_id()) {
        RunEnd end;
        end.outcome = to_logged_outcome(result.outcome);
        end.failing_step = result.step;
        end.reason = result.reason;
        log_.finish_run(*run, end);
    }
    if (next_) next_->run_finished(result);
}

}  // namespace penlink::treatment
