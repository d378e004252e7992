// What a penlink::Pen holds: its session (which also keeps the session depth limit).
#pragma once

#include <atomic>
#include <memory>

#include "core/session.hpp"
#include "penlink/pen.hpp"

namespace penlink {

struct Pen::Impl {
    explicit Impl(std::shared_ptr<core::Session> s) : session(std::move(s)) {}

    Depth depth_limit() const { return session->depth_limit(); }

    std::shared_ptr<core::Session> session;
};

}  // namespace penlink
