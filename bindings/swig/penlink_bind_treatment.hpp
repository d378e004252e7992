/// @file penlink_bind_treatment.hpp
/// @brief Treatment recipes, validation and the runner (penlink/treatment.hpp,
/// penlink/treatment_runner.hpp) in a shape SWIG wraps the same way for every language: plain
/// structs with int32 indexes, device classes as their text ("professional", "at-home"),
/// enums as their numbers (each language has its own enum), milliseconds instead of
/// std::chrono, a ProgressListener director instead of std::function and a RunListener director
/// (penlink_bind_observer.hpp) instead of a RunObserver. The plain shapes live in
/// penlink_bind_treatment_values.hpp.
///
/// Threads: ProgressListener and RunListener run on the runner's own thread (see
/// treatment_runner.hpp). The host must keep the listeners referenced while their Runner lives;
/// a Runner holds its Pen alive, and may be destroyed from inside its own progress or observer
/// callback (a GC run there): the join then happens on another thread. Header-only like
/// penlink_bind.hpp.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "penlink/records.hpp"
#include "penlink/treatment.hpp"
#include "penlink/treatment_record.hpp"
#include "penlink/treatment_runner.hpp"
#include "penlink_bind.hpp"
#include "penlink_bind_observer.hpp"
#include "penlink_bind_treatment_values.hpp"

namespace penlink::bind {

/// A parsed recipe (penlink::treatment::Recipe).
class Recipe {
public:
    /// Parses JSON; InvalidArgumentError naming the place otherwise.
    static Recipe parse(const std::string& json) { return Recipe(treatment::parse_recipe(json)); }
    /// Reads and parses a file; errors start with the file name.
    static Recipe load(const std::string& path) { return Recipe(treatment::load_recipe(path)); }

    std::string name() const { return recipe_.name; }
    std::string concern() const { return recipe_.concern; }
    std::string description() const { return recipe_.description; }
    std::string source() const { return recipe_.source; }
    double total_duration_s() const { return recipe_.total_duration_s(); }
    std::int32_t step_count() const { return static_cast<std::int32_t>(recipe_.steps.size()); }
    /// Step index; OutOfRangeError outside [0, step_count()).
    RecipeStep step(std::int32_t index) const {
        if (index < 0 || index >= step_count()) {
            throw OutOfRangeError("step index " + std::to_string(index) +
                                      " is outside the recipe's " + std::to_string(step_count()) +
                                      " steps",
                                  index, step_count() - 1, "");
        }
        return detail::to_step(recipe_.steps[static_cast<std::size_t>(index)]);
    }

    /// Checks every step offline (zone chart, device class, options.depth_limit_mm).
    ValidationReport validate(const TreatmentOptions& options = TreatmentOptions()) const {
        return detail::to_report(treatment::validate(recipe_, detail::to_validation(options)));
    }
    /// The same against a connected pen (its depth limit, ranges and fitted modules).
    ValidationReport validate_on(Pen& pen,
                                 const TreatmentOptions& options = TreatmentOptions()) const {
        return detail::to_report(
            treatment::validate(recipe_, *pen.native(), detail::to_validation(options)));
    }

#ifndef SWIG
    Recipe() = default;  // the wrappers' return slots; an empty recipe never runs
    explicit Recipe(treatment::Recipe recipe) : recipe_(std::move(recipe)) {}
    const treatment::Recipe& native() const { return recipe_; }
#endif

private:
    treatment::Recipe recipe_;
};

/// Runs one recipe on one pen, once (penlink::treatment::Runner). Holds the pen alive.
class Runner {
public:
    /// Nothing is sent yet; listener and observer may be null and must outlive the Runner.
    Runner(Pen& pen, const Recipe& recipe, const TreatmentOptions& options = TreatmentOptions(),
           ProgressListener* listener = nullptr, RunListener* observer = nullptr)
        : pen_(pen.native()), slot_(std::make_shared<detail::ProgressSlot>()) {
        slot_->listener = listener;
        treatment::RunOptions native;
        native.zones = detail::to_chart(options);
        native.device = detail::to_profile(options);
        native.progress_interval = std::chrono::milliseconds(options.progress_interval_ms);
        native.status_rate_hz = options.status_rate_hz;
        if (!options.record_db_path.empty()) {
            record_ = std::make_shared<Record>(options);
        }
        const void* self = this;
        if (record_ || observer != nullptr) {
            observers_ = std::make_shared<detail::RunObserverFanOut>(
                self, record_ ? &record_->record : nullptr, observer);
            native.observer = observers_.get();
        }
        native.on_progress = [slot = slot_, self](const treatment::RunProgress& progress) {
            std::lock_guard<std::recursive_mutex> lock(slot->mutex);
            if (slot->listener == nullptr) return;
            const void* previous = detail::progress_runner();
            detail::progress_runner() = self;
            detail::guarded("progress",
                            [&] { slot->listener->on_progress(detail::to_progress(progress)); });
            detail::progress_runner() = previous;
        };
        runner_ = std::make_unique<treatment::Runner>(*pen_, recipe.native(), std::move(native));
    }

    /// Aborts a run still going and waits for everything to be off; from inside this runner's
    /// own progress or observer callback, another thread does that.
    ~Runner() {
        {
            std::lock_guard<std::recursive_mutex> lock(slot_->mutex);
            slot_->listener = nullptr;
        }
        if (observers_) observers_->clear_listener();
        if (detail::progress_runner() != this) return;
        try {
            std::thread([runner = std::move(runner_), pen = std::move(pen_),
                         record = std::move(record_), observers = std::move(observers_)]() mutable {
                runner.reset();
            }).detach();
        } catch (const std::exception& error) {
            report_callback_error(std::string("cannot hand runner destruction to a thread: ") +
                                  error.what());
        }
    }
    Runner(const Runner&) = delete;
    Runner& operator=(const Runner&) = delete;

    /// Validates against the pen and starts; InvalidArgumentError lists every violation.
    void start() { runner_->start(); }
    ValidationReport validation() const { return detail::to_report(runner_->validation()); }
    void pause() { runner_->pause(); }
    void resume() { runner_->resume(); }
    void skip() { runner_->skip(); }
    void abort(const std::string& reason = "aborted by the app") { runner_->abort(reason); }
    /// Whether the caller is this runner's own progress or observer callback (where wait() is
    /// refused and destruction is handed to another thread).
    bool on_own_thread() const { return detail::progress_runner() == this; }
    /// The run's id in the treatment log (options.record_db_path) once the run has claimed its
    /// cartridge there; 0 before, without a log, or when the log refused the cartridge.
    std::int64_t run_id() const {
        if (!record_) return 0;
        return record_->record.run_id().value_or(0);
    }
    /// RunState as its number.
    std::int32_t state() const { return static_cast<std::int32_t>(runner_->state()); }
    /// Blocks until the run ends.
    RunResult wait() { return detail::to_result(runner_->wait()); }
    /// Waits up to timeout_ms; TimeoutError if the run is still going.
    RunResult wait_ms(std::int32_t timeout_ms) {
        std::optional<treatment::RunResult> result =
            runner_->wait_for(std::chrono::milliseconds(timeout_ms));
        if (!result) {
            throw TimeoutError("the run is still going after " + std::to_string(timeout_ms) +
                               " ms");
        }
        return detail::to_result(*result);
    }

private:
    /// The treatment log a recorded run writes into, and the observer that writes it.
    struct Record {
        explicit Record(const TreatmentOptions& options)
            : log(penlink::TreatmentLog::open(options.record_db_path)),
              record(log, treatment::RunRecordOptions{options.client_reference,
                                                      options.cartridge_override_reason}) {}
        penlink::TreatmentLog log;
        treatment::RunRecord record;
    };

    std::shared_ptr<penlink::Pen> pen_;  // declared first, destroyed after the runner
    std::shared_ptr<Record> record_;     // outlives the runner, which calls it
    std::shared_ptr<detail::RunObserverFanOut> observers_;  // the same; null if nobody listens
    std::shared_ptr<detail::ProgressSlot> slot_;
    std::unique_ptr<treatment::Runner> runner_;
};

}  // namespace penlink::bind
