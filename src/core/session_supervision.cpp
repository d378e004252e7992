// Session, link supervision: heartbeats, the link timeout and status silence, and whether the
// pen's watchdog may be armed, which sets how often a heartbeat goes out. Everything here runs on
// the I/O thread.
//
// A timer fires only when there may be something to do: the heartbeat when nothing else has gone
// to the pen for a period (any frame feeds its watchdog), the link check when the link timeout
// would run out if nothing more arrived. Idle pens by the hundred cost little that way.
#include <algorithm>
#include <string>

#include "core/log.hpp"
#include "core/session.hpp"

namespace penlink::core {
namespace {

using std::chrono::milliseconds;

/// True for a request that may switch an output on, arming the pen's watchdog (protocol.md 10).
/// Unknown and vendor requests count as arming.
bool may_arm(protocol::MessageType type) {
    using protocol::MessageType;
    switch (type) {
        case MessageType::Hello:
        case MessageType::GetInfo:
        case MessageType::SetDepth:
        case MessageType::SetSpeed:
        case MessageType::Stop:
        case MessageType::Heartbeat:
        case MessageType::EmergencyStop:
        case MessageType::ClearEmergencyStop:
        case MessageType::SubscribeStatus:
        case MessageType::ClearFaults:
        case MessageType::EndSession:
        case MessageType::SetDepthLimit:
        case MessageType::GetSettings:
        case MessageType::GetModules:
        case MessageType::ReadDescriptor:
        case MessageType::GetParams:
        case MessageType::Authenticate:
        case MessageType::ChangeKey:
            return false;
        default:
            return true;
    }
}

/// Idle heartbeats and link checks have slack: their deadlines are rounded up to a multiple of
/// this, so the timers of many pens expire together and one wake-up of the I/O thread serves
/// them all. (An armed pen's heartbeat is never late.)
constexpr milliseconds kTimerGrain{20};

Clock::time_point coarse(Clock::time_point at) {
    const auto grain = std::chrono::duration_cast<Clock::duration>(kTimerGrain);
    const auto since = at.time_since_epoch();
    return Clock::time_point((since + grain - Clock::duration(1)) / grain * grain);
}

}  // namespace

LinkTiming Session::timing() const {
    return link_timing(options_, link_->link_interval(), capabilities_.watchdog_ms);
}

void Session::start_supervision() {
    supervising_ = true;
    last_status_time_ = Clock::now();
    schedule_heartbeat(heartbeat_due());
    schedule_link_check();
}

std::chrono::milliseconds Session::heartbeat_period() const {
    const LinkTiming limits = timing();
    return may_be_armed_ ? limits.heartbeat_interval : limits.idle_heartbeat_interval;
}

Clock::time_point Session::heartbeat_due() const {
    // Armed, the pen's watchdog wants a frame every period. Idle, a heartbeat only proves the
    // link alive to the link check, which any frame from the pen does as well (a status stream).
    if (may_be_armed_) return last_send_ + heartbeat_period();
    return std::max(last_send_, last_receive_) + heartbeat_period();
}

void Session::note_sent(protocol::MessageType type) {
    last_send_ = Clock::now();
    if (may_arm(type)) note_may_be_armed();
}

void Session::note_event_outputs(const protocol::Event& wire) {
    using protocol::EventKind;
    switch (wire.kind) {
        case EventKind::FaultRaised:
        case EventKind::FaultCleared:
        case EventKind::CartridgeInserted:
        case EventKind::CartridgeRemoved:
        case EventKind::WatchdogExpired:
        case EventKind::EmergencyStopped:
        case EventKind::EmergencyCleared:
        case EventKind::ModuleAttached:
        case EventKind::ModuleDetached:
        case EventKind::SecurityRejected:
            return;
        default:
            // A button may start the needle on the pen itself; an unknown event may be anything.
            note_may_be_armed();
    }
}

void Session::note_may_be_armed() {
    if (may_be_armed_) return;
    may_be_armed_ = true;
    // The next heartbeat is due sooner now: a period after the frame that armed it at most.
    if (supervising_) schedule_heartbeat(heartbeat_due());
}

void Session::schedule_heartbeat(Clock::time_point at) {
    heartbeat_timer_.expires_at(may_be_armed_ ? at : coarse(at));
    heartbeat_timer_.async_wait([this](boost::system::error_code error) {
        if (error || !link_open_) return;  // re-armed (a newer wait is pending) or closing
        const auto now = Clock::now();
        read_late_quiet_link(now);
        // Something else went out (or, idle, came in) meanwhile: due a period after it.
        if (const auto due = heartbeat_due(); now < due) {
            schedule_heartbeat(due);
            return;
        }
        const auto period = heartbeat_period();
        // A full window already feeds the watchdog (every resend does too): no heartbeat then.
        if (window_open()) {
            start_request(protocol::Heartbeat{},
                          [this](const Result& result, const protocol::Message*) {
                              // Say it once per outage, not every period; link loss is reported
                              // on its own.
                              const bool link_gone = result.code == ErrorCode::ConnectionLost ||
                                                     result.code == ErrorCode::NotConnected;
                              if (!result.ok() && !link_gone && !heartbeat_failing_)
                                  log(LogLevel::Warning, "heartbeat failed: " + result.message);
                              heartbeat_failing_ = !result.ok();
                          });
        }
        schedule_heartbeat(now + period);
    });
}

std::chrono::milliseconds Session::status_silence_timeout(const LinkTiming& limits) const {
    return std::max(limits.status_silence, milliseconds(5000 / acked_status_rate_hz_));
}

void Session::check_status_silence() {
    // The pen acknowledged a rate but sends nothing: ask again once (the subscription may have
    // been lost), then give up on the link rather than leave latest_status() stale unnoticed.
    if (acked_status_rate_hz_ <= 0) return;
    const LinkTiming limits = timing();
    const auto timeout = status_silence_timeout(limits);
    const auto now = Clock::now();
    // A pen sends replies ahead of Status and drops Status when its output is congested
    // (protocol.md 11): on a slow link a burst of commands holds Status back for as long as the
    // replies take. While requests are outstanding and the pen keeps answering, that is the
    // silence, not a lost subscription.
    if (!pending_.empty() && now - last_receive_ < timeout) return;
    const auto silent = std::chrono::duration_cast<milliseconds>(now - last_status_time_);
    // Given up no sooner than link_timeout, which bounds every other silence too.
    if (silent > std::max(2 * timeout, limits.link_timeout)) {
        on_session_lost("no status from the pen for " + std::to_string(count_ms(silent)) +
                        " ms although it acknowledged " + std::to_string(acked_status_rate_hz_) +
                        " Hz");
    } else if (silent > timeout && !resubscribed_for_silence_) {
        resubscribed_for_silence_ = true;
        log(LogLevel::Warning, "no status from the pen for " + std::to_string(count_ms(silent)) +
                                   " ms; subscribing again");
        start_request(protocol::SubscribeStatus{static_cast<std::uint16_t>(acked_status_rate_hz_)},
                      [](const Result&, const protocol::Message*) {});
    }
}

void Session::schedule_link_check() {
    const LinkTiming limits = timing();
    const auto timeout = limits.link_timeout;
    const auto now = Clock::now();
    // The check runs when a limit would be passed if nothing more arrived: the link timeout
    // from the latest frame, and while status is subscribed its silence from the latest Status
    // (the first limit subscribes again, the second gives up). Anything that arrived meanwhile
    // moves the next check on.
    constexpr milliseconds kPast{1};  // the limits are "more than": check just after
    auto at = last_receive_ + timeout + kPast;
    if (acked_status_rate_hz_ > 0) {
        const auto silence = status_silence_timeout(limits);
        const auto limit = resubscribed_for_silence_ ? std::max(2 * silence, timeout) : silence;
        at = std::min(at, last_status_time_ + limit + kPast);
    }
    // A limit already passed but not acted on (requests outstanding, the pen answering them
    // ahead of its Status): look again a little later.
    if (at <= now) at = now + std::min(timeout / 4, milliseconds(250));
    link_timer_.expires_at(coarse(at));
    link_timer_.async_wait([this, timeout](boost::system::error_code error) {
        if (error || !link_open_) return;  // re-armed or closing
        const auto silent = std::chrono::duration_cast<milliseconds>(Clock::now() - last_receive_);
        if (silent > timeout) {
            on_link_error("no answer from the pen for " + std::to_string(count_ms(silent)) +
                          " ms (limit " + std::to_string(count_ms(timeout)) + " ms)");
            return;
        }
        check_status_silence();
        if (!link_open_) return;
        schedule_link_check();
    });
}

}  // namespace penlink::core
