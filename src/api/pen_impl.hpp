// What a penlink::Pen holds: its session (which also keeps the session depth limit).
#pragma once

#include <atomic>
#include <memory>

#include "core/module_params.hpp"
#include "core/session.hpp"
#include "penlink/pen.hpp"

namespace penlink {

struct Pen::Impl {
    explicit Impl(std::shared_ptr<core::Session> s) : session(std::move(s)) {}

    Depth depth_limit() const { return session->depth_limit(); }

    std::shared_ptr<core::Session> session;
};

/// Tells the pen's Nack of a module request in the module's descriptor's words (for
/// Session::request and request_reply).
inline core::Session::NackExplainer explainer_for(const Module& module) {
    return [module](const protocol::Nack& nack) { return core::explain_param_nack(module, nack); };
}

}  // namespace penlink
