// A fast status stream's link, read on the callback runs (CallbackDispatcher::LinkPolling):
// between two runs the link keeps quiet for the I/O thread (Transport::mute_reader), and each
// run starts by reading it under the pen's guard, as a caller waiting for its reply does.
#include "core/session.hpp"

namespace penlink::core {
namespace {

/// Reads per callback run at most: 256 KB on a tty, far more than 2 ms of the fastest stream.
constexpr int kMaxPolledReads = 64;

}  // namespace

void Session::LinkPoller::read_and_listen() {
    Session& s = session_;
    {
        // Whoever holds the guard now (the I/O thread in a timer's handler, a caller taking its
        // reply) reads on; the I/O thread, listening again below, takes what is left.
        transport::LinkGuard::TryHold hold(*s.guard_);
        if (hold.owns() && s.guard_->alive() && s.link_->input_waiting()) {
            // Until nothing more comes: a tty hands over at most its line buffer (4 KB) per
            // read, and a read that finds it empty first waits for the rest to be moved in.
            for (int reads = 0; reads < kMaxPolledReads && s.link_->receive_now(); ++reads) {
            }
        }
    }
    quiet(false);
}

void Session::LinkPoller::quiet(bool quiet) {
    Session& s = session_;
    if (quiet)
        s.link_quiet_since_.store(Clock::now().time_since_epoch().count(),
                                  std::memory_order_relaxed);
    s.link_quiet_.store(quiet);
    s.link_->mute_reader(quiet);
}

void Session::read_late_quiet_link(Clock::time_point now) {
    if (!link_quiet_.load()) return;
    const Clock::time_point since{
        Clock::duration(link_quiet_since_.load(std::memory_order_relaxed))};
    if (now - since > kQuietLinkLate && link_->input_waiting()) link_->receive_now();
}

}  // namespace penlink::core
