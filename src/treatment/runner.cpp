// The Runner's public side: start, the app's controls, waiting, and the pen callbacks that
// watch for anything that must stop the run. Callbacks only set flags and wake the runner's
// thread (the pen's callback-thread rules: return quickly).
#include <stdexcept>

#include "penlink/errors.hpp"
#include "runner_impl.hpp"

namespace penlink::treatment {

const char* to_string(RunOutcome outcome) noexcept {
    switch (outcome) {
        case RunOutcome::Completed:
            return "completed";
        case RunOutcome::Aborted:
            return "aborted";
        case RunOutcome::Failed:
            return "failed";
    }
    return "unknown";
}

const char* to_string(RunState state) noexcept {
    switch (state) {
        case RunState::NotStarted:
            return "not started";
        case RunState::Running:
            return "running";
        case RunState::Paused:
            return "paused";
        case RunState::WaitingForOperator:
            return "waiting for operator";
        case RunState::Finished:
            return "finished";
    }
    return "unknown";
}

RunObserver::~RunObserver() = default;
void RunObserver::run_started(const RunInfo&) {}
void RunObserver::step_started(std::size_t, const RecipeStep&, double) {}
void RunObserver::step_finished(const StepTotals&) {}
void RunObserver::event(double, const std::string&, const std::string&) {}
void RunObserver::run_finished(const RunResult&) {}

Runner::Runner(Pen& pen, Recipe recipe, RunOptions options)
    : impl_(std::make_unique<Impl>(pen, std::move(recipe), std::move(options))) {}

Runner::~Runner() {
    if (impl_->thread.joinable()) {
        abort("the runner was destroyed");
        impl_->thread.join();
    }
}

const ValidationReport& Runner::validation() const { return impl_->report; }

void Runner::start() {
    Impl& impl = *impl_;
    {
        std::lock_guard lock(impl.mutex);
        if (impl.started) throw std::logic_error("Runner::start: a runner runs once");
        impl.started = true;
        impl.between_steps = true;  // before the first step: pause() and resume() are kept
    }
    ValidationOptions check;
    check.zones = impl.options.zones;
    check.device = impl.options.device;
    impl.report = validate(impl.recipe, impl.pen, check);
    if (!impl.report.ok()) {
        std::string message = "recipe \"" + impl.recipe.name + "\" refused (" +
                              std::to_string(impl.report.violations.size()) + " violation" +
                              (impl.report.violations.size() == 1 ? "" : "s") + "):";
        for (const Violation& violation : impl.report.violations) {
            message += "\n  " + violation.message;
        }
        throw InvalidArgumentError(message);
    }
    if (const auto status = impl.pen.latest_status()) {
        if (status->state == PenState::Fault || status->state == PenState::EmergencyStopped ||
            status->fault_bits != 0) {
            throw SafetyError(
                status->state == PenState::EmergencyStopped ? ErrorCode::EmergencyStopped
                                                            : ErrorCode::FaultActive,
                std::string("the pen is ") + penlink::to_string(status->state) +
                    (status->fault_bits ? " (" + describe_faults(status->fault_bits) + ")"
                                        : std::string()) +
                    ": clear it before a treatment");
        }
    }
    impl.modules = impl.pen.modules();
    impl.meter.configure(impl.modules);
    impl.started_at = Impl::Clock::now();
    impl.thread = std::thread([&impl] { impl.run(); });
}

void Runner::pause() {
    Impl& impl = *impl_;
    std::lock_guard lock(impl.mutex);
    // Already paused, or a pause step already waits: nothing to add.
    if (!impl.started || impl.finished || impl.state == RunState::Paused ||
        impl.state == RunState::WaitingForOperator) {
        return;
    }
    impl.pause_requested = true;
    impl.resume_requested = false;
    impl.continue_pending = false;  // a later pause() undoes an earlier resume()
    impl.changed.notify_all();
}

void Runner::resume() {
    Impl& impl = *impl_;
    std::lock_guard lock(impl.mutex);
    if (!impl.started || impl.finished) return;
    if (impl.state == RunState::WaitingForOperator) {
        impl.operator_continued = true;
    } else if (impl.state == RunState::Paused) {
        impl.resume_requested = true;
        impl.pause_requested = false;
    } else if (impl.pause_requested) {
        impl.pause_requested = false;  // not applied yet: the needle never stops
    } else if (impl.between_steps) {
        impl.continue_pending = true;  // for the next step, if it is a pause step
    }
    // Otherwise a treat step runs with nothing paused: ignored, and not remembered, so it can
    // never continue a pause step that comes later.
    impl.changed.notify_all();
}

void Runner::skip() {
    std::lock_guard lock(impl_->mutex);
    if (!impl_->started || impl_->finished) return;
    ++impl_->skips_pending;
    impl_->changed.notify_all();
}

void Runner::abort(const std::string& reason) {
    std::lock_guard lock(impl_->mutex);
    if (impl_->finished || impl_->abort_reason) return;
    impl_->abort_reason = reason;
    impl_->changed.notify_all();
}

RunState Runner::state() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->state;
}

RunResult Runner::wait() {
    std::unique_lock lock(impl_->mutex);
    if (std::this_thread::get_id() == impl_->thread_id) {
        throw std::logic_error("Runner::wait called from the runner's own thread (a callback)");
    }
    if (!impl_->started) throw std::logic_error("Runner::wait before start()");
    impl_->changed.wait(lock, [&] { return impl_->finished; });
    return impl_->result;
}

std::optional<RunResult> Runner::wait_for(std::chrono::milliseconds timeout) {
    std::unique_lock lock(impl_->mutex);
    if (std::this_thread::get_id() == impl_->thread_id) {
        throw std::logic_error("Runner::wait_for called from the runner's own thread");
    }
    if (!impl_->started) throw std::logic_error("Runner::wait_for before start()");
    if (!impl_->changed.wait_for(lock, timeout, [&] { return impl_->finished; })) {
        return std::nullopt;
    }
    return impl_->result;
}

}  // namespace penlink::treatment
