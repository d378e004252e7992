// What a penlink::Pen holds: its session and the host-side depth ceiling.
#pragma once

#include <atomic>
#include <memory>

#include "core/session.hpp"
#include "penlink/pen.hpp"

namespace penlink {

struct Pen::Impl {
    explicit Impl(std::shared_ptr<core::Session> s)
        : session(std::move(s)),
          depth_limit_um(Depth::mm(session->capabilities().depth_max_mm).in_um()) {}

    Depth depth_limit() const { return Depth::um(depth_limit_um.load()); }

    std::shared_ptr<core::Session> session;
    std::atomic<std::int32_t> depth_limit_um;
};

}  // namespace penlink
