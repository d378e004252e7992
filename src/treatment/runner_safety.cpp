// The safety moves of a run: outputs off, the needle measured still, the depth set and
// measured before the needle starts, and lowered before a shallower zone.
#include <algorithm>
#include <cmath>

#include "penlink/errors.hpp"
#include "runner_steps.hpp"

namespace penlink::treatment::detail {

void StepRunner::prepare_needle(const RecipeStep& step) {
    pen_.set_speed(Speed::hz(step.speed_hz));
    set_depth_and_settle(step.depth_mm);
    apply_modules(step);
    check_stop();
}

void StepRunner::apply_modules(const RecipeStep& step) {
    for (const ModuleSettings& settings : step.modules) {
        std::string why;
        const auto target =
            detail::resolve_on_pen(settings.module, impl_.modules, pen_.capabilities(), why);
        if (!target) throw NotSupportedError(why);
        switch (target->kind) {
            case detail::ModuleTarget::Kind::Module:
                pen_.set_params(target->name, settings.values);
                break;
            case detail::ModuleTarget::Kind::BuiltinRf:
                pen_.set_rf_mode(detail::rf_mode_of(settings));
                break;
            case detail::ModuleTarget::Kind::BuiltinLed:
                pen_.set_led_mode(detail::led_mode_of(settings));
                break;
        }
    }
}

void StepRunner::all_off() {
    outputs_off();
    wait_needle_still();
}

void StepRunner::wait_needle_still() {
    const auto deadline = Clock::now() + impl_.options.depth_settle_timeout;
    for (;;) {
        const auto status = impl_.meter.latest();
        if (status && status->state != PenState::Running && status->speed_actual_hz < 0.5) {
            return;
        }
        check_stop();
        if (Clock::now() >= deadline) {
            throw StopRun{RunOutcome::Failed,
                          "the needle did not stop within " +
                              std::to_string(impl_.options.depth_settle_timeout.count()) + " ms"};
        }
        std::unique_lock lock(impl_.mutex);
        impl_.changed.wait_for(lock, std::chrono::milliseconds(20));
    }
}

void StepRunner::outputs_off() {
    pen_.stop();
    const Capabilities& caps = pen_.capabilities();
    for (const Module& module : impl_.modules) {
        std::vector<ParamSetting> defaults;
        for (const ParamSpec& spec : module.descriptor().parameters) {
            if (spec.safety != SafetyClass::Energy || spec.access != ParamAccess::ReadWrite) {
                continue;
            }
            if (spec.type == ParamType::Bool) {
                defaults.push_back({spec.key, ParamValue(spec.default_value != 0.0)});
            } else if (spec.type == ParamType::Enum) {
                const auto at = static_cast<std::size_t>(spec.default_value);
                defaults.push_back({spec.key, ParamValue(at < spec.labels.size() ? spec.labels[at]
                                                                                 : std::string())});
            } else {
                defaults.push_back({spec.key, ParamValue(spec.default_value)});
            }
        }
        if (defaults.empty()) continue;
        pen_.set_params(module.key() + "@" + std::to_string(module.slot()), defaults);
    }
    if (caps.rf.fitted) {
        RfMode off;
        off.polarity = caps.rf.bipolar ? RfPolarity::Bipolar : RfPolarity::Monopolar;
        off.frequency_khz = caps.rf.frequency_min_khz;
        off.pulse_ms = caps.rf.pulse_min_ms;
        if (!profile_module("rf")) pen_.set_rf_mode(off);
    }
    if (caps.led.fitted && !caps.led.channels.empty() && !profile_module("led")) {
        LedMode off;
        off.wavelength_nm = caps.led.channels.front().wavelength_nm;
        pen_.set_led_mode(off);
    }
}

bool StepRunner::profile_module(const char* profile) const {
    return std::any_of(impl_.modules.begin(), impl_.modules.end(), [&](const Module& module) {
        return module.descriptor().has_profile(profile);
    });
}

void StepRunner::set_depth_and_settle(double depth_mm) {
    pen_.set_depth(Depth::mm(depth_mm));
    const auto deadline = Clock::now() + impl_.options.depth_settle_timeout;
    const double target = Depth::mm(depth_mm).in_mm();
    for (;;) {
        const auto status = impl_.meter.latest();
        if (status && std::fabs(status->depth_set_mm - target) < 1e-6 &&
            std::fabs(status->depth_actual_mm - target) <= impl_.options.depth_tolerance_mm) {
            return;
        }
        check_stop();
        if (Clock::now() >= deadline) {
            throw StopRun{
                RunOutcome::Failed,
                "the depth did not reach " + std::to_string(target).substr(0, 5) + " mm within " +
                    std::to_string(impl_.options.depth_settle_timeout.count()) + " ms (measured " +
                    (status ? std::to_string(status->depth_actual_mm).substr(0, 5)
                            : std::string("nothing")) +
                    " mm)"};
        }
        std::unique_lock lock(impl_.mutex);
        impl_.changed.wait_for(lock, std::chrono::milliseconds(20));
    }
}

void StepRunner::lower_for_next(std::size_t index) {
    for (std::size_t next = index + 1; next < impl_.recipe.steps.size(); ++next) {
        const RecipeStep& step = impl_.recipe.steps[next];
        if (step.kind != StepKind::Treat) continue;
        const auto status = impl_.meter.latest();
        if (!status || status->depth_set_mm > Depth::mm(step.depth_mm).in_mm() + 1e-9) {
            set_depth_and_settle(step.depth_mm);
        }
        return;
    }
}

void StepRunner::check_stop() {
    std::lock_guard lock(impl_.mutex);
    if (impl_.failure) throw StopRun{RunOutcome::Failed, *impl_.failure};
    if (impl_.abort_reason) throw StopRun{RunOutcome::Aborted, *impl_.abort_reason};
}

}  // namespace penlink::treatment::detail
