// penlink/treatment.h: the run observer from C (pl_runner_observe). Every C runner's C++
// observer is its RecordForwarder, which tells the treatment record first (so the log has a
// step before the app hears of it) and then the app's pl_run_observer callbacks, marked as this
// runner's callbacks so pl_runner_wait and pl_runner_free refuse to run inside them.
#include <cstdint>
#include <cstring>
#include <mutex>

#include "capi/boundary.hpp"
#include "capi/handles.hpp"
#include "capi/treatment_capi.hpp"
#include "penlink/errors.hpp"

using namespace penlink;
using penlink::capi::guarded;
using penlink::capi::require;

namespace tr = penlink::treatment;

namespace penlink::capi {
namespace {

/// Runs call as one of owner's callbacks (see callback_runner()).
template <class Call>
void as_callback_of(const pl_runner& owner, Call&& call) {
    const pl_runner* previous = callback_runner();
    callback_runner() = &owner;
    call();
    callback_runner() = previous;
}

}  // namespace

void RecordForwarder::run_started(const tr::RunInfo& info) {
    if (record) record->run_started(info);
    if (!observer || observer->run_started == nullptr) return;
    pl_run_info c{};
    c.version = PL_RUN_INFO_VERSION;
    c.recipe_name = info.recipe_name.c_str();
    c.recipe_source = info.recipe_source.c_str();
    c.step_count = info.step_count;
    c.planned_duration_s = info.planned_duration_s;
    c.device_class = static_cast<pl_device_class>(info.device_class);
    c.zone_chart = info.zone_chart.c_str();
    c.pen_model = info.pen_model.c_str();
    c.pen_serial = info.pen_serial.c_str();
    c.pen_firmware = info.pen_firmware.c_str();
    c.cartridge_id = info.cartridge_id;
    as_callback_of(owner_, [&] { observer->run_started(&c, observer->payload); });
}

void RecordForwarder::step_started(std::size_t index, const tr::RecipeStep& step, double t_s) {
    if (record) record->step_started(index, step, t_s);
    if (!observer || observer->step_started == nullptr) return;
    as_callback_of(owner_, [&] {
        observer->step_started(index, step.name.c_str(), step.zone.c_str(), t_s, observer->payload);
    });
}

void RecordForwarder::step_finished(const tr::StepTotals& totals) {
    if (record) record->step_finished(totals);
    if (!observer || observer->step_finished == nullptr) return;
    step_module_totals_.fill(totals.module_totals);
    const pl_step_totals c = to_c_totals(totals, step_module_totals_);
    as_callback_of(owner_, [&] { observer->step_finished(&c, observer->payload); });
}

void RecordForwarder::event(double t_s, const std::string& kind, const std::string& text) {
    if (record) record->event(t_s, kind, text);
    if (!observer || observer->event == nullptr) return;
    as_callback_of(owner_,
                   [&] { observer->event(t_s, kind.c_str(), text.c_str(), observer->payload); });
}

void RecordForwarder::run_finished(const tr::RunResult& result) {
    if (record) record->run_finished(result);
    if (!observer || observer->run_finished == nullptr) return;
    const auto outcome = static_cast<pl_run_outcome>(tr::to_logged_outcome(result.outcome));
    const std::size_t step = result.step ? *result.step : SIZE_MAX;
    as_callback_of(owner_, [&] {
        observer->run_finished(outcome, step, result.reason.c_str(), observer->payload);
    });
}

}  // namespace penlink::capi

extern "C" {

int pl_run_observer_init(pl_run_observer* observer, unsigned version) {
    const pl_run_observer defaults = PL_RUN_OBSERVER_INIT;
    return capi::init_struct(observer, version, defaults, "pl_run_observer_init", "observer");
}

int pl_runner_observe(pl_runner* runner, const pl_run_observer* observer) {
    return guarded([&] {
        if (runner == nullptr || !capi::is_live(runner, capi::HandleKind::Runner)) {
            throw InvalidArgumentError("pl_runner_observe: runner is NULL or not a live pl_runner");
        }
        require(observer, "pl_runner_observe", "observer");
        capi::require_known_version<pl_run_observer>(observer->version, "pl_runner_observe");
        std::lock_guard lock(runner->mutex);
        if (runner->started) {
            throw InvalidArgumentError(
                "pl_runner_observe: the run has started; attach the observer before "
                "pl_runner_start");
        }
        if (runner->forwarder.observer) {
            throw InvalidArgumentError("pl_runner_observe: this runner already has an observer");
        }
        // Only the fields of the caller's version: it may have allocated fewer bytes.
        pl_run_observer copy = PL_RUN_OBSERVER_INIT;
        std::memcpy(static_cast<void*>(&copy), observer,
                    capi::StructVersions<pl_run_observer>::end[observer->version]);
        runner->forwarder.observer = copy;
        return 0;
    });
}

}  // extern "C"
