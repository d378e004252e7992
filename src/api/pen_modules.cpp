// Pen's module calls: find the module by key, check every value against its descriptor, then
// send one SetParams (all or none) or GetParams; the pen's refusal is told in the descriptor's
// words (core/module_params.cpp).
#include "api/pen_impl.hpp"
#include "core/module_params.hpp"

namespace penlink {
namespace {}  // namespace

std::vector<Module> Pen::modules() { return impl_->session->modules(); }

Module Pen::module(const std::string& module) { return impl_->session->module(module); }

void Pen::set_params(const std::string& module, const std::vector<ParamSetting>& values) {
    const Module target = impl_->session->module(module);
    impl_->session->request_reply(core::build_set_params(target, values), explainer_for(target));
}

void Pen::set_params_async(const std::string& module, const std::vector<ParamSetting>& values,
                           ResultHandler done) {
    protocol::Message request;
    std::optional<Module> target;
    try {
        target = impl_->session->module(module);
        request = core::build_set_params(*target, values);
    } catch (const Error& error) {
        impl_->session->request_failed(Result::from(error), std::move(done));
        return;
    }
    impl_->session->request(request, std::move(done), explainer_for(*target));
}

void Pen::set_param(const std::string& module, const std::string& key, const ParamValue& value) {
    set_params(module, {ParamSetting{key, value}});
}

ParamValue Pen::get_param(const std::string& module, const std::string& key) {
    const Module target = impl_->session->module(module);
    const auto reply =
        impl_->session->request_reply(core::build_get_params(target, {key}), explainer_for(target));
    const auto* params = std::get_if<protocol::Params>(&reply);
    if (!params)
        throw RejectedError(ErrorCode::Protocol, "the pen answered GetParams without values");
    const auto values = core::values_of(target, *params);
    for (const ParamSetting& value : values) {
        if (value.key == key) return value.value;
    }
    throw RejectedError(ErrorCode::Protocol,
                        "the pen's answer to GetParams lacks " + target.key() + "." + key);
}

std::vector<ParamSetting> Pen::get_params(const std::string& module) {
    const Module target = impl_->session->module(module);
    std::vector<std::string> keys;
    for (const ParamSpec& spec : target.descriptor().parameters) keys.push_back(spec.key);
    std::vector<ParamSetting> values;
    // 16 per request: a descriptor may declare up to 64.
    for (std::size_t first = 0; first < keys.size(); first += protocol::kMaxParamsPerMessage) {
        const std::vector<std::string> batch(
            keys.begin() + static_cast<std::ptrdiff_t>(first),
            keys.begin() + static_cast<std::ptrdiff_t>(
                               std::min(keys.size(), first + protocol::kMaxParamsPerMessage)));
        const auto reply = impl_->session->request_reply(core::build_get_params(target, batch),
                                                         explainer_for(target));
        const auto* params = std::get_if<protocol::Params>(&reply);
        if (!params) {
            throw RejectedError(ErrorCode::Protocol, "the pen answered GetParams without values");
        }
        for (ParamSetting& value : core::values_of(target, *params))
            values.push_back(std::move(value));
    }
    return values;
}

}  // namespace penlink
