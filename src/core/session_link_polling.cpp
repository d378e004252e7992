// A fast status stream's link, read on the callback runs (CallbackDispatcher::LinkPolling):
// between two runs the link keeps quiet for the I/O thread (Transport::mute_reader), and each
// run starts by reading it under the pen's guard, as a caller waiting for its reply does.
#include "core/session.hpp"

namespace penlink::core {

void Session::LinkPoller::read_and_listen() {
    // Until a read comes back short (StreamLink::drain): a tty hands over at most 4 KB per read,
    // and one that hands over less held no more, so no read that finds nothing follows. No
    // probe first (input_waiting): a run comes only while frames keep coming, so the link
    // nearly always holds some. If another thread holds the guard (the I/O thread in a timer's
    // handler, a caller taking its reply), it reads on, and the I/O thread, listening again
    // below, takes what is left.
    session_.receive_here();
    quiet(false);
}

void Session::LinkPoller::quiet(bool quiet) {
    session_.link_quiet_since_.store(quiet ? Clock::now().time_since_epoch().count() : 0);
    session_.link_->mute_reader(quiet);
}

void Session::read_late_quiet_link(Clock::time_point now) {
    // Read as the run would have (receive_here): a quiet tty holds up to its whole buffer.
    const Clock::rep since = link_quiet_since_.load();
    if (since != 0 && now - Clock::time_point(Clock::duration(since)) > kQuietLinkLate &&
        link_->input_waiting())
        receive_here();
}

}  // namespace penlink::core
