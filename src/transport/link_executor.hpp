// The executor every I/O object of one pen runs its handlers on.
//
// Many pens share one io_context (IoPool): a pen's handlers must never run two at a time, and a
// caller's thread must be able to act on the pen's link directly (write a command now, without
// handing it to an I/O thread first: one hand-off per command, the reply's). A strand gives the
// first but not the second. LinkExecutor posts each handler to the shared io_context wrapped in
// the pen's LinkGuard, a recursive mutex: handlers of one pen exclude each other, and a caller
// holding the guard (LinkGuard::Hold) excludes them while it sends.
//
// Lifetime: queued handlers hold the guard, not the pen. When the pen goes away it marks the
// guard dead (under the mutex, so after any running handler), and handlers that still come out
// of the queue are dropped unrun: they may point at the gone pen.
//
// Blocking: like io_context's own executor, a LinkExecutor may run a function inline
// (blocking.possibly): when execute() is called on a thread running its io_context and the guard
// is free. That is how Asio hands a completion (a read, a timer) to the pen's handler: straight
// from the reactor's queue, without queueing it a second time (which cost the I/O thread another
// turn of its loop and an epoll_wait per read). post() requires blocking.never and always
// queues.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>

#include <boost/asio/associated_allocator.hpp>
#include <boost/asio/execution.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/prefer.hpp>
#include <boost/asio/require.hpp>

#include "common/spin.hpp"

namespace penlink::transport {

/// One pen's mutual exclusion on the shared io_context.
class LinkGuard {
public:
    /// Locks the guard for a scope on any thread (recursive: a handler may call in again).
    class Hold {
    public:
        explicit Hold(LinkGuard& guard) : guard_(guard) { guard_.lock(); }
        ~Hold() { guard_.unlock(); }
        Hold(const Hold&) = delete;
        Hold& operator=(const Hold&) = delete;

    private:
        LinkGuard& guard_;
    };

    /// Locks the guard for a scope only if no other thread holds it (never waits).
    class TryHold {
    public:
        explicit TryHold(LinkGuard& guard) : guard_(guard), owns_(guard.try_lock()) {}
        ~TryHold() {
            if (owns_) guard_.unlock();
        }
        TryHold(const TryHold&) = delete;
        TryHold& operator=(const TryHold&) = delete;
        /// Whether the guard is held by this scope.
        bool owns() const { return owns_; }

    private:
        LinkGuard& guard_;
        const bool owns_;
    };

    /// True if this thread holds the guard (inside a handler of the pen, or a Hold).
    bool held_here() const {
        return owner_.load(std::memory_order_relaxed) == std::this_thread::get_id();
    }
    /// Only under the guard: whether handlers still run (false once the pen is gone).
    bool alive() const { return alive_; }
    /// Only under the guard: from now on queued handlers are dropped unrun.
    void retire() { alive_ = false; }

private:
    void lock() {
        if (!try_lock_for_a_while()) mutex_.lock();
        if (depth_++ == 0) owner_.store(std::this_thread::get_id(), std::memory_order_relaxed);
    }
    // The guard is held for microseconds at a time (a handler, a write, a caller taking its
    // reply off the link). Trying on this CPU for a little first means the holder finds nobody
    // asleep on the mutex when it lets go, and so pays no wake-up: a caller holding it is on
    // its way back with its reply.
    bool try_lock_for_a_while() {
        return common::spinning_helps() &&
               common::spin_for(kLockSpin, [this] { return mutex_.try_lock(); });
    }
    bool try_lock() {
        if (!mutex_.try_lock()) return false;
        if (depth_++ == 0) owner_.store(std::this_thread::get_id(), std::memory_order_relaxed);
        return true;
    }
    void unlock() {
        if (--depth_ == 0) owner_.store(std::thread::id{}, std::memory_order_relaxed);
        mutex_.unlock();
    }

    static constexpr std::chrono::microseconds kLockSpin{20};

    std::recursive_mutex mutex_;
    std::atomic<std::thread::id> owner_{};
    int depth_ = 0;      // under mutex_
    bool alive_ = true;  // under mutex_
};

/// An Asio executor (standard executor model) that runs handlers on io under guard.
class LinkExecutor {
public:
    LinkExecutor(boost::asio::io_context& io, std::shared_ptr<LinkGuard> guard)
        : io_bits_(reinterpret_cast<std::uintptr_t>(&io)), guard_(std::move(guard)) {}

    /// Runs f under the guard on one of io's threads. Inline if this thread runs io, the guard
    /// is free and the executor is not blocking.never; otherwise queued. The queue entry comes
    /// from f's associated allocator, as it would on io's own executor (the in-process link
    /// recycles its entries across threads that way).
    template <typename F>
    void execute(F f) const {
        if (!never() && io().get_executor().running_in_this_thread()) {
            LinkGuard::TryHold hold(*guard_);
            if (hold.owns()) {
                if (guard_->alive()) f();
                return;
            }
        }
        const auto allocator = boost::asio::get_associated_allocator(f);
        auto never = boost::asio::prefer(
            boost::asio::require(io().get_executor(), boost::asio::execution::blocking.never),
            boost::asio::execution::allocator(allocator));
        never.execute([guard = guard_, f = std::move(f)]() mutable {
            LinkGuard::Hold hold(*guard);
            if (!guard->alive()) return;
            f();
        });
    }

    /// Runs f now on this thread under the guard if no other thread holds it, and returns
    /// true; returns false without running f if the guard is busy (the caller then queues it
    /// with execute()). For a thread that must never wait for a pen: the in-process simulator's
    /// delivers a reply this way, saving the hop through the I/O thread. A pen that is gone
    /// drops f, as execute() would.
    template <typename F>
    bool try_run_here(F&& f) const {
        LinkGuard::TryHold hold(*guard_);
        if (!hold.owns()) return false;
        if (guard_->alive()) f();
        return true;
    }

    boost::asio::io_context& query(boost::asio::execution::context_t) const noexcept {
        return io();
    }
    boost::asio::execution::blocking_t query(boost::asio::execution::blocking_t) const noexcept {
        if (never()) return boost::asio::execution::blocking.never;
        return boost::asio::execution::blocking.possibly;
    }
    /// The same executor, never running a function inline (what post() asks for).
    LinkExecutor require(boost::asio::execution::blocking_t::never_t) const {
        LinkExecutor never = *this;
        never.io_bits_ |= kNeverBit;
        return never;
    }
    LinkExecutor require(boost::asio::execution::blocking_t::possibly_t) const {
        LinkExecutor possibly = *this;
        possibly.io_bits_ &= ~kNeverBit;
        return possibly;
    }

    boost::asio::io_context& context() const { return io(); }
    LinkGuard& guard() const { return *guard_; }
    const std::shared_ptr<LinkGuard>& shared_guard() const { return guard_; }

    friend bool operator==(const LinkExecutor& a, const LinkExecutor& b) noexcept {
        return a.io_bits_ == b.io_bits_ && a.guard_ == b.guard_;
    }
    friend bool operator!=(const LinkExecutor& a, const LinkExecutor& b) noexcept {
        return !(a == b);
    }

private:
    // The io_context's address, its lowest bit set for blocking.never (always queue). One word,
    // not a pointer and a flag: Asio's any_io_executor holds an executor of up to three words
    // in place, and a larger one on the heap, once per asynchronous operation.
    static constexpr std::uintptr_t kNeverBit = 1;
    boost::asio::io_context& io() const {
        return *reinterpret_cast<boost::asio::io_context*>(io_bits_ & ~kNeverBit);
    }
    bool never() const { return (io_bits_ & kNeverBit) != 0; }

    std::uintptr_t io_bits_;
    std::shared_ptr<LinkGuard> guard_;
};

static_assert(sizeof(LinkExecutor) <= 3 * sizeof(void*),
              "any_io_executor must hold a LinkExecutor in place (no heap per operation)");

}  // namespace penlink::transport
