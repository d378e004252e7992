// Pen commands: check on the host first (nothing out of range is ever sent), then send and
// wait for the pen's acknowledgement. The _async twins report a host-side refusal through the
// same callback, on the callback thread, like any other outcome.
#include "api/pen_impl.hpp"
#include "core/limits.hpp"
#include "core/module_params.hpp"
#include "core/profile_facades.hpp"

namespace penlink {
namespace {

template <typename Check>
void send_sync(core::Session& session, Check&& check) {
    session.request_sync(protocol::Message(check()));
}

template <typename Check>
void send_async(core::Session& session, ResultHandler done, Check&& check) {
    protocol::Message message;
    try {
        message = protocol::Message(check());
    } catch (const Error& error) {
        // Deliver through the session so the callback still runs on the callback thread.
        session.request_failed(Result::from(error), std::move(done));
        return;
    }
    session.request(message, std::move(done));
}

// SetParams requests sent one after another, each when the one before was acknowledged; the
// first failure, or the last success, is the result (on the callback thread, as any).
struct SetParamsStep {
    protocol::Message request;
    Module module;  // explains a Nack in the descriptor's words
};
void send_in_turn(std::shared_ptr<core::Session> session,
                  std::shared_ptr<std::vector<SetParamsStep>> steps, std::size_t next,
                  ResultHandler done) {
    const SetParamsStep& step = (*steps)[next];
    session->request(
        step.request,
        [session, steps, next, done = std::move(done)](const Result& result) mutable {
            if (!result.ok() || next + 1 == steps->size()) {
                if (done) done(result);
                return;
            }
            send_in_turn(std::move(session), std::move(steps), next + 1, std::move(done));
        },
        explainer_for(step.module));
}

}  // namespace

void Pen::set_depth(Depth depth) {
    send_sync(*impl_->session,
              [&] { return core::check_depth(depth, capabilities(), impl_->depth_limit()); });
}
void Pen::set_depth_async(Depth depth, ResultHandler done) {
    send_async(*impl_->session, std::move(done),
               [&] { return core::check_depth(depth, capabilities(), impl_->depth_limit()); });
}
void Pen::set_speed(Speed speed) {
    send_sync(*impl_->session, [&] { return core::check_speed(speed, capabilities()); });
}
void Pen::set_speed_async(Speed speed, ResultHandler done) {
    send_async(*impl_->session, std::move(done),
               [&] { return core::check_speed(speed, capabilities()); });
}
// With a module of the "rf" or "led" profile fitted, the typed calls are facades over the
// generic set_params (core/profile_facades.hpp): one atomic SetParams on that module.
void Pen::set_rf_mode(const RfMode& mode) {
    if (const auto module = core::rf_profile_module(modules())) {
        set_params(core::module_selector(*module), core::rf_profile_settings(mode));
        return;
    }
    send_sync(*impl_->session, [&] { return core::check_rf(mode, capabilities()); });
}
void Pen::set_rf_mode_async(const RfMode& mode, ResultHandler done) {
    std::optional<Module> module;
    std::vector<ParamSetting> settings;
    try {
        module = core::rf_profile_module(modules());
        if (module) settings = core::rf_profile_settings(mode);
    } catch (const Error& error) {
        impl_->session->request_failed(Result::from(error), std::move(done));
        return;
    }
    if (module) {
        set_params_async(core::module_selector(*module), settings, std::move(done));
        return;
    }
    send_async(*impl_->session, std::move(done),
               [&] { return core::check_rf(mode, capabilities()); });
}
// With several LED heads (one "led" module per colour), the other heads go off first, so the
// LED stays one light as the built-in add-on's channels are; a refusal stops before the chosen
// head is touched, leaving no more light on than before.
void Pen::set_led_mode(const LedMode& mode) {
    const std::vector<Module> fitted = modules();
    if (const auto module = core::led_profile_module(fitted, mode)) {
        // Every request checked before the first is sent.
        std::vector<SetParamsStep> steps;
        for (const Module& other : core::other_led_modules(fitted, *module)) {
            steps.push_back({core::build_set_params(other, core::led_off_settings()), other});
        }
        steps.push_back(
            {core::build_set_params(*module, core::led_profile_settings(mode)), *module});
        for (const SetParamsStep& step : steps) {
            impl_->session->request_reply(step.request, explainer_for(step.module));
        }
        return;
    }
    send_sync(*impl_->session, [&] { return core::check_led(mode, capabilities()); });
}
void Pen::set_led_mode_async(const LedMode& mode, ResultHandler done) {
    std::optional<Module> module;
    std::vector<ParamSetting> settings;
    std::vector<Module> others;
    try {
        const std::vector<Module> fitted = modules();
        module = core::led_profile_module(fitted, mode);
        if (module) {
            settings = core::led_profile_settings(mode);
            others = core::other_led_modules(fitted, *module);
        }
    } catch (const Error& error) {
        impl_->session->request_failed(Result::from(error), std::move(done));
        return;
    }
    if (module) {
        auto steps = std::make_shared<std::vector<SetParamsStep>>();
        try {
            for (const Module& other : others) {
                steps->push_back({core::build_set_params(other, core::led_off_settings()), other});
            }
            steps->push_back({core::build_set_params(*module, settings), *module});
        } catch (const Error& error) {
            impl_->session->request_failed(Result::from(error), std::move(done));
            return;
        }
        send_in_turn(impl_->session, std::move(steps), 0, std::move(done));
        return;
    }
    send_async(*impl_->session, std::move(done),
               [&] { return core::check_led(mode, capabilities()); });
}

void Pen::start() { impl_->session->request_sync(protocol::Start{}); }
void Pen::start_async(ResultHandler done) {
    impl_->session->request(protocol::Start{}, std::move(done));
}
void Pen::stop() { impl_->session->request_sync(protocol::Stop{}); }
void Pen::stop_async(ResultHandler done) {
    impl_->session->request(protocol::Stop{}, std::move(done));
}
void Pen::emergency_stop() { impl_->session->request_sync(protocol::EmergencyStop{}); }
void Pen::emergency_stop_async(ResultHandler done) {
    impl_->session->request(protocol::EmergencyStop{}, std::move(done));
}
void Pen::clear_emergency_stop() { impl_->session->request_sync(protocol::ClearEmergencyStop{}); }
void Pen::clear_emergency_stop_async(ResultHandler done) {
    impl_->session->request(protocol::ClearEmergencyStop{}, std::move(done));
}
void Pen::clear_faults() { impl_->session->request_sync(protocol::ClearFaults{}); }

}  // namespace penlink
