// Muting a link's descriptor in the I/O loop while a caller takes its reply itself
// (Transport::mute_reader): otherwise the reply wakes the I/O thread too, which finds it gone,
// and on a 2-CPU machine takes the CPU the pen's side needs for the next command
// (docs/architecture.md, Threads; bench/README.md).
//
// Asio keeps each descriptor's registration in its epoll set to itself, so it is found the way
// Linux shows it, in the set's /proc/self/fdinfo: an epoll set that holds the descriptor, other
// than the ones the transport names as its own. Muting sets its events to none (epoll still
// reports a hang-up or an error); unmuting restores the events and data found there, which polls
// the descriptor, so bytes that came meanwhile wake the I/O thread then. The kernel matches a
// change by the descriptor's number and its open file: one that reached another set, or a number
// since reused, is refused (ENOENT) and changes nothing.
//
// Muting stops for good (stop()) before the link first queues a write (Asio then adds EPOLLOUT to
// the registration, which restoring the events found would take away) or closes the descriptor
// (its number may be reused at once): StreamLink::set_registration_fence. It never starts where
// the registration was not found as expected, such as an Asio that waits by other means: the
// link then works as before. The I/O thread re-arming its own wait sets the registered events
// again: a mute it meets is over early, which costs the wake-up muting saves and nothing else.
#pragma once

#include <cstdint>
#include <mutex>

namespace penlink::transport {

class ReaderMute {
public:
    /// Finds descriptor's registration in the I/O loop's epoll set, skipping the epoll set
    /// own_set (the transport's, or -1). Call once the descriptor was handed to Asio, before
    /// any mute(); any thread.
    void find(int descriptor, int own_set = -1);
    /// Mutes (true) or unmutes (false); calls nest, and only the first mute and the last unmute
    /// change the registration. Any thread.
    void mute(bool muted);
    /// Restores the registration if muted, and mutes no more until the next find().
    void stop();

private:
    struct Registration {
        int set = -1;  // < 0: muting unavailable or over
        int descriptor = -1;
        std::uint32_t events = 0;
        std::uint64_t data = 0;
    };
    void apply(std::uint32_t events);  // under mutex_

    std::mutex mutex_;
    Registration found_;
    int muted_callers_ = 0;
};

}  // namespace penlink::transport
