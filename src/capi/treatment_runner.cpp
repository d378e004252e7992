// penlink/treatment.h: the runner from C. The progress and observer callbacks run on the
// runner's thread; a thread-local marks them (callback_runner()), so pl_runner_wait and
// pl_runner_free can refuse to be called from inside them (they would wait for the thread they
// run on).
#include <cstring>
#include <stdexcept>

#include "capi/boundary.hpp"
#include "capi/callbacks.hpp"
#include "capi/handles.hpp"
#include "capi/treatment_capi.hpp"
#include "penlink/errors.hpp"

using namespace penlink;
using penlink::capi::guarded;
using penlink::capi::require;

namespace tr = penlink::treatment;

// pl_run_outcome carries the treatment log's numbers (src/capi/records.cpp checks them against
// penlink::RunOutcome); a runner's outcome reaches C through to_logged_outcome().
static_assert(PL_RUN_NOT_STARTED == static_cast<int>(tr::RunState::NotStarted) &&
              PL_RUN_RUNNING == static_cast<int>(tr::RunState::Running) &&
              PL_RUN_PAUSED == static_cast<int>(tr::RunState::Paused) &&
              PL_RUN_WAITING_FOR_OPERATOR == static_cast<int>(tr::RunState::WaitingForOperator) &&
              PL_RUN_FINISHED == static_cast<int>(tr::RunState::Finished));

const pl_runner*& penlink::capi::callback_runner() {
    thread_local const pl_runner* runner = nullptr;
    return runner;
}

pl_step_totals penlink::capi::to_c_totals(const tr::StepTotals& step,
                                          const ModuleTotalsView& view) {
    pl_step_totals full{};
    full.version = PL_STEP_TOTALS_VERSION;
    full.index = step.index;
    full.name = step.name.c_str();
    full.zone = step.zone.c_str();
    full.started_s = step.started_s;
    full.ended_s = step.ended_s;
    full.strokes = step.strokes;
    full.depth_set_min_mm = step.depth_set_min_mm;
    full.depth_set_max_mm = step.depth_set_max_mm;
    full.depth_actual_min_mm = step.depth_actual_min_mm;
    full.depth_actual_max_mm = step.depth_actual_max_mm;
    full.rf_energy_j = step.rf_energy_j;
    full.led_dose_j_cm2 = step.led_dose_j_cm2;
    full.outcome = step.outcome.c_str();
    full.module_total_count = view.keys.size();
    full.module_total_keys = view.keys.data();
    full.module_total_values = view.values.data();
    return full;
}

namespace {

pl_runner& live_runner(const pl_runner* runner, const char* function) {
    if (runner == nullptr || !capi::is_live(runner, capi::HandleKind::Runner)) {
        throw InvalidArgumentError(std::string(function) +
                                   ": runner is NULL or not a live pl_runner");
    }
    return const_cast<pl_runner&>(*runner);
}

void deliver_progress(pl_runner* handle, const tr::RunProgress& progress) {
    pl_run_progress c{};
    c.version = PL_RUN_PROGRESS_VERSION;
    c.state = static_cast<pl_run_state>(progress.state);
    c.step = progress.step;
    c.step_count = progress.step_count;
    c.step_name = progress.step_name.c_str();
    c.zone = progress.zone.c_str();
    c.pass = progress.pass;
    c.passes = progress.passes;
    c.step_elapsed_s = progress.step_elapsed_s;
    c.step_duration_s = progress.step_duration_s;
    c.run_elapsed_s = progress.run_elapsed_s;
    c.time_left_s = progress.time_left_s;
    c.step_strokes = progress.step_strokes;
    c.total_strokes = progress.total_strokes;
    c.rf_energy_j = progress.rf_energy_j;
    c.led_dose_j_cm2 = progress.led_dose_j_cm2;
    handle->progress_module_totals.fill(progress.module_totals);
    c.module_total_count = handle->progress_module_totals.keys.size();
    c.module_total_keys = handle->progress_module_totals.keys.data();
    c.module_total_values = handle->progress_module_totals.values.data();
    const pl_runner* previous = capi::callback_runner();
    capi::callback_runner() = handle;
    handle->on_progress(&c, handle->payload);
    capi::callback_runner() = previous;
}

const tr::RunResult& finished_result(const pl_runner& runner, const char* function) {
    if (!runner.result) {
        throw InvalidArgumentError(
            std::string(function) +
            ": the run has not ended (pl_runner_wait returns 0 once it has)");
    }
    return *runner.result;
}

}  // namespace

extern "C" {

int pl_runner_create(pl_runner** out, pl_pen* pen, const pl_recipe* recipe,
                     const pl_treatment_options* options, pl_run_progress_fn on_progress,
                     void* payload) {
    return guarded([&] {
        require(out, "pl_runner_create", "out");
        *out = nullptr;
        pl_pen& live_pen = capi::live_pen(pen, "pl_runner_create");
        if (recipe == nullptr || !capi::is_live(recipe, capi::HandleKind::Recipe)) {
            throw InvalidArgumentError("pl_runner_create: recipe is NULL or not a live pl_recipe");
        }
        const auto settings = capi::settings_of(options, "pl_runner_create");
        auto handle = std::make_unique<pl_runner>();
        handle->pen = pen;
        handle->on_progress = on_progress;
        handle->payload = payload;
        tr::RunOptions run;
        run.zones = settings.zones;
        run.device = settings.device;
        run.observer = &handle->forwarder;
        if (on_progress != nullptr) {
            pl_runner* raw = handle.get();
            run.on_progress = [raw](const tr::RunProgress& progress) {
                deliver_progress(raw, progress);
            };
        }
        handle->runner = std::make_unique<tr::Runner>(*live_pen.pen, recipe->recipe, run);
        live_pen.runners.fetch_add(1);
        capi::register_handle(handle.get(), capi::HandleKind::Runner);
        *out = handle.release();
        return 0;
    });
}

int pl_runner_start(pl_runner* runner) {
    return guarded([&] {
        pl_runner& live = live_runner(runner, "pl_runner_start");
        {
            // From here on the record may no longer change: the run's thread reads it.
            std::lock_guard lock(live.mutex);
            live.started = true;
        }
        live.runner->start();
        return 0;
    });
}

int pl_run_record_options_init(pl_run_record_options* options, unsigned version) {
    const pl_run_record_options defaults = PL_RUN_RECORD_OPTIONS_INIT;
    return capi::init_struct(options, version, defaults, "pl_run_record_options_init", "options");
}

int pl_runner_record(pl_runner* runner, const pl_run_record_options* options) {
    return guarded([&] {
        pl_runner& live = live_runner(runner, "pl_runner_record");
        require(options, "pl_runner_record", "options");
        capi::require_known_version<pl_run_record_options>(options->version, "pl_runner_record");
        if (options->log_path == nullptr || options->log_path[0] == '\0') {
            throw InvalidArgumentError("pl_runner_record: options->log_path is NULL or empty");
        }
        if (options->busy_timeout_ms < 0) {
            throw InvalidArgumentError("pl_runner_record: busy_timeout_ms " +
                                       std::to_string(options->busy_timeout_ms) +
                                       " ms is negative");
        }
        std::lock_guard lock(live.mutex);
        if (live.started) {
            throw InvalidArgumentError(
                "pl_runner_record: the run has started; attach the record before "
                "pl_runner_start");
        }
        if (live.record) {
            throw InvalidArgumentError("pl_runner_record: this runner already records into " +
                                       live.log->path());
        }
        TreatmentLogOptions log_options;
        if (options->busy_timeout_ms > 0) {
            log_options.busy_timeout = std::chrono::milliseconds(options->busy_timeout_ms);
        }
        tr::RunRecordOptions record_options;
        if (options->client_reference) record_options.client_reference = options->client_reference;
        if (options->cartridge_override_reason) {
            record_options.cartridge_override_reason = options->cartridge_override_reason;
        }
        live.log.emplace(TreatmentLog::open(options->log_path, log_options));
        live.record = std::make_unique<tr::RunRecord>(*live.log, record_options);
        live.forwarder.record = live.record.get();
        return 0;
    });
}

int pl_runner_record_id(int64_t* out, const pl_runner* runner) {
    return guarded([&] {
        require(out, "pl_runner_record_id", "out");
        *out = 0;
        pl_runner& live = live_runner(runner, "pl_runner_record_id");
        std::lock_guard lock(live.mutex);
        if (live.record) *out = live.record->run_id().value_or(0);
        return 0;
    });
}

int pl_runner_pause(pl_runner* runner) {
    return guarded([&] {
        live_runner(runner, "pl_runner_pause").runner->pause();
        return 0;
    });
}

int pl_runner_resume(pl_runner* runner) {
    return guarded([&] {
        live_runner(runner, "pl_runner_resume").runner->resume();
        return 0;
    });
}

int pl_runner_skip(pl_runner* runner) {
    return guarded([&] {
        live_runner(runner, "pl_runner_skip").runner->skip();
        return 0;
    });
}

int pl_runner_abort(pl_runner* runner, const char* reason) {
    return guarded([&] {
        live_runner(runner, "pl_runner_abort")
            .runner->abort(reason ? reason : "aborted by the app");
        return 0;
    });
}

int pl_runner_state(pl_run_state* out, const pl_runner* runner) {
    return guarded([&] {
        require(out, "pl_runner_state", "out");
        *out = static_cast<pl_run_state>(live_runner(runner, "pl_runner_state").runner->state());
        return 0;
    });
}

int pl_runner_wait(pl_runner* runner, int32_t timeout_ms) {
    return guarded([&] {
        pl_runner& live = live_runner(runner, "pl_runner_wait");
        if (capi::callback_runner() == runner) {
            throw InvalidArgumentError(
                "pl_runner_wait: called from the runner's own progress or observer callback");
        }
        std::optional<tr::RunResult> result;
        try {
            if (timeout_ms < 0) {
                result = live.runner->wait();
            } else {
                result = live.runner->wait_for(std::chrono::milliseconds(timeout_ms));
            }
        } catch (const std::logic_error&) {
            // Its own thread was ruled out above: the runner was never started.
            throw InvalidArgumentError("pl_runner_wait: the runner was not started");
        }
        if (!result) {
            return capi::set_error(ErrorCode::Timeout, "pl_runner_wait: the run goes on after " +
                                                           std::to_string(timeout_ms) + " ms");
        }
        std::lock_guard lock(live.mutex);
        if (!live.result) {
            live.result = std::move(result);
            live.step_module_totals.resize(live.result->steps.size());
            for (std::size_t i = 0; i < live.result->steps.size(); ++i) {
                live.step_module_totals[i].fill(live.result->steps[i].module_totals);
            }
        }
        return 0;
    });
}

int pl_runner_result(const pl_runner* runner, pl_run_outcome* outcome, size_t* step,
                     const char** reason) {
    return guarded([&] {
        pl_runner& live = live_runner(runner, "pl_runner_result");
        std::lock_guard lock(live.mutex);
        const tr::RunResult& result = finished_result(live, "pl_runner_result");
        if (outcome) *outcome = static_cast<pl_run_outcome>(tr::to_logged_outcome(result.outcome));
        if (step) *step = result.step ? *result.step : SIZE_MAX;
        if (reason) *reason = result.reason.c_str();
        return 0;
    });
}

size_t pl_runner_steps_run(const pl_runner* runner) {
    if (runner == nullptr || !capi::is_live(runner, capi::HandleKind::Runner)) return 0;
    pl_runner& live = const_cast<pl_runner&>(*runner);
    std::lock_guard lock(live.mutex);
    return live.result ? live.result->steps.size() : 0;
}

int pl_runner_step_totals(pl_step_totals* out, const pl_runner* runner, size_t index) {
    return guarded([&] {
        require(out, "pl_runner_step_totals", "out");
        capi::require_known_version<pl_step_totals>(out->version, "pl_runner_step_totals");
        pl_runner& live = live_runner(runner, "pl_runner_step_totals");
        std::lock_guard lock(live.mutex);
        const tr::RunResult& result = finished_result(live, "pl_runner_step_totals");
        if (index >= result.steps.size()) {
            throw InvalidArgumentError("pl_runner_step_totals: index " + std::to_string(index) +
                                       " is beyond the " + std::to_string(result.steps.size()) +
                                       " steps begun");
        }
        const pl_step_totals full =
            capi::to_c_totals(result.steps[index], live.step_module_totals[index]);
        // Only the fields of the caller's version: it may have allocated fewer bytes.
        const unsigned version = out->version;
        std::memcpy(static_cast<void*>(out), &full,
                    capi::StructVersions<pl_step_totals>::end[version]);
        out->version = version;
        return 0;
    });
}

void pl_runner_free(pl_runner* runner) {
    if (runner == nullptr) return;
    if (capi::callback_runner() == runner) {
        capi::log(LogLevel::Error,
                  "pl_runner_free called from the runner's own callback; the runner "
                  "stays alive (call pl_runner_abort here and pl_runner_free from another "
                  "thread)");
        return;
    }
    if (!capi::unregister_handle(runner, capi::HandleKind::Runner)) {
        capi::log(LogLevel::Error, "pl_runner_free: pointer is not a live pl_runner; ignored");
        return;
    }
    std::unique_ptr<pl_runner> owned(runner);
    try {
        owned->runner.reset();  // aborts a run still going and waits until everything is off
    } catch (...) {
        capi::log(LogLevel::Error, "pl_runner_free: unexpected exception while stopping");
    }
    owned->pen->runners.fetch_sub(1);
}

}  // extern "C"
