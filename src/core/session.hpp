// One live connection to a pen: requests and their acknowledgements (with retries under the
// same sequence number), heartbeats, link supervision, status and event fan-out.
//
// Threads: the session's I/O (transport, decoder, timers) runs on an io_context, shared with
// other pens (IoPool::shared) or its own (Threading::Dedicated), through a LinkExecutor: its
// handlers run one at a time under the session's LinkGuard. A public method runs its I/O part
// on the calling thread under that guard (a command is written at once, with no hand-off to an
// I/O thread). Completions and user callbacks run on the callback threads (CallbackDispatcher).
// Public methods may be called from any thread except from inside the session's I/O handlers.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include "core/callback_dispatcher.hpp"
#include "core/link_timing.hpp"
#include "core/module_catalog.hpp"
#include "core/shared_threads.hpp"
#include "penlink/errors.hpp"
#include "penlink/pen.hpp"
#include "penlink/types.hpp"
#include "protocol/crypto.hpp"
#include "protocol/frame.hpp"
#include "recording/recording_writer.hpp"
#include "transport/link_executor.hpp"
#include "transport/recording_transport.hpp"
#include "transport/transport.hpp"

namespace penlink::core {

using Clock = std::chrono::steady_clock;
inline long long count_ms(std::chrono::milliseconds value) {
    return static_cast<long long>(value.count());
}

class Session : public std::enable_shared_from_this<Session> {
public:
    /// Makes the link on the session's executor (tests pass a fake one here).
    using LinkFactory =
        std::function<std::unique_ptr<transport::Transport>(const transport::LinkExecutor&)>;

    /// Builds the session and its link; does not open it. Throws what the factory throws.
    Session(const LinkFactory& make_link, std::string url, ConnectOptions options);
    /// The link for url: serial, tcp or sim (throws InvalidArgumentError for a bad URL).
    static LinkFactory link_for_url(const std::string& url);
    ~Session();
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    /// Opens the link and performs the handshake (Hello, GetInfo, SubscribeStatus). Throws
    /// penlink::Error on failure, leaving the session closed. Also used to reconnect after Lost.
    void connect();
    /// Best-effort stop of a running needle, then closes link and threads. Idempotent.
    void close();

    /// Turns a pen's Nack into the Result a caller sees, in terms the request knows (a module's
    /// parameter names); empty = the generic explanation.
    using NackExplainer = std::function<Result(const protocol::Nack&)>;

    /// Sends a request and calls done on the callback thread with the pen's answer.
    void request(const protocol::Message& message, ResultHandler done, NackExplainer explain = {});
    /// Reports an outcome decided before sending (a host-side refusal) like any other: done
    /// runs on the callback thread.
    void request_failed(const Result& result, ResultHandler done);
    /// Sends a request and waits for the answer; throws the typed error on failure.
    void request_sync(const protocol::Message& message);
    /// Sends a request and returns the pen's reply (Modules, DescriptorChunk, Params...);
    /// throws the typed error on failure.
    protocol::Message request_reply(const protocol::Message& message, NackExplainer explain = {}) {
        return request_sync_reply(message, {}, std::move(explain));
    }
    /// Sends GetSettings and returns the pen's current set points (protocol v2).
    protocol::Settings read_settings();

    /// The fitted modules; read again first if an attach or detach event came since.
    std::vector<Module> modules();
    Module module(const std::string& selector);

    /// The session's depth ceiling: checked here before sending, and given to the pen
    /// (SetDepthLimit), which enforces it too, moving a deeper set point up to it. Kept across
    /// reconnects. Throws like any command.
    void set_depth_limit(Depth limit);
    Depth depth_limit() const { return Depth::um(depth_limit_um_.load()); }

    ConnectionState state() const { return state_.load(); }
    const std::string& url() const { return url_; }
    const DeviceInfo& device_info() const { return device_info_; }
    const Capabilities& capabilities() const { return capabilities_; }
    const ConnectOptions& options() const { return options_; }

    /// Authenticated sessions (docs/protocol.md section 16; session_auth.cpp).
    bool authenticated() const { return authenticated_.load(); }
    SecurityStats security_stats() const;
    /// Sends ChangeKey over the authenticated session; the key is used for reconnects from now
    /// on. Throws like any command, AuthenticationError if not authenticated.
    void change_key(const protocol::crypto::Key& key);

    std::optional<Status> latest_status() const;
    std::uint64_t dropped_status_frames() const { return dropped_.load(); }
    std::uint64_t received_status_frames() const { return received_.load(); }

    /// Records every frame in and out from now on into a new file at path (docs/records.md).
    /// Throws InvalidArgumentError if the file cannot be created or a recording already runs,
    /// ConnectionError if the session is closed. The writer's close() ends it.
    std::shared_ptr<recording::RecordingWriter> start_recording(const std::string& path);
    /// The recording being written now (record_path or start_recording), or null if none is
    /// open. Any thread.
    std::shared_ptr<recording::RecordingWriter> active_recording() const;

    Subscription subscribe_status(StatusHandler handler, std::int32_t rate_hz);
    Subscription subscribe_events(EventHandler handler);
    Subscription subscribe_connection_state(ConnectionStateHandler handler);

private:
    using ReplyHandler = std::function<void(const Result&, const protocol::Message*)>;
    struct Pending {
        protocol::MessageType type{};
        protocol::WireFrame frame;
        int attempts = 0;
        int retries = 0;      // resends allowed after the first attempt
        bool urgent = false;  // EmergencyStop: ahead of everything queued, resent until answered
        bool plain = false;   // Authenticate: never sealed, even once the session keys are set
        std::int32_t value = -1;  // SetDepth/SetDepthLimit um, SubscribeStatus Hz: for bookkeeping
        Clock::time_point deadline;  // resent or failed then, unless answered
        ReplyHandler done;           // on the I/O thread
    };
    /// A request waiting for room in the in-flight window; it gets its seq when sent.
    struct Waiting {
        protocol::Message message;
        ReplyHandler done;
        int retries = 0;
    };

    // All of these run under the session's guard: in an I/O handler or in run_on_io().
    /// retries < 0: the configured command_retries.
    void start_request(const protocol::Message& message, ReplyHandler done, int retries = -1);
    /// Numbers and sends a request now (the window has room, or it is an emergency stop).
    void send_request(const protocol::Message& message, ReplyHandler done, int retries);
    /// Sends waiting requests while the in-flight window has room.
    void send_waiting();
    /// True if the next seq is within kMaxInFlight of the oldest request still outstanding.
    bool window_open();
    void send_frame(const Pending& pending);
    /// Sets the request's deadline a command_timeout from now (see retry_timer_).
    void arm_retry(std::uint16_t seq);
    void schedule_retry_timer(Clock::time_point at);
    /// Resends or fails every request past its deadline, then re-arms for the next one.
    void on_retry_timer();
    void retry_or_fail(std::uint16_t seq);
    void on_bytes(std::span<const std::uint8_t> bytes);
    /// Reads what the link holds on this thread (Transport::receive_now), if no other thread
    /// holds the pen's guard; false (nothing read) if one does.
    bool receive_here();
    void on_frame(const protocol::DecodedFrame& frame);
    void on_reply(std::uint16_t seq, const protocol::Message& reply);
    void on_acknowledged(const Pending& pending);
    void on_status(const protocol::Status& wire);
    /// Makes the last status frame handled the one latest_status() returns.
    void publish_latest();
    /// Per status frame: the usual frame (within the limit, set points as acknowledged) is
    /// judged here, inline; what needs saying or doing is in the out-of-line parts below.
    inline void check_depth_against_limit(const protocol::Status& wire);
    void on_depth_beyond_limit(const protocol::Status& wire, std::int32_t limit);
    inline void check_set_points(const protocol::Status& wire);
    void on_set_points_differ(const protocol::Status& wire, bool depth_may_differ,
                              bool speed_may_differ);
    /// True if a request of group is sent and unanswered, or waiting to be sent.
    bool outstanding(protocol::RequestGroup group) const;
    void on_event(const protocol::Event& wire);
    /// A duplicated Event (its frame counter not newer than the last Event's): true if seen.
    bool duplicate_unsolicited(std::uint16_t frame_seq);
    void on_link_error(const std::string& reason);
    /// The pen lost our session (restart, another host, session ended): like a lost link.
    void on_session_lost(const std::string& reason);
    void check_status_silence();
    /// Status silence, while subscribed, after which the session subscribes again.
    std::chrono::milliseconds status_silence_timeout(const LinkTiming& limits) const;
    /// The timeouts and heartbeat for this link and pen: the options, or defaults derived from
    /// the link's interval and the pen's watchdog (link_timing.hpp).
    LinkTiming timing() const;
    /// link_timeout, or its default from the pen's watchdog period and the link's interval.
    std::chrono::milliseconds effective_link_timeout() const { return timing().link_timeout; }
    void fail_all_pending(ErrorCode code, const std::string& reason);
    /// Fails the requests still waiting for the window (never sent).
    void fail_waiting(ErrorCode code, const std::string& reason);
    // Link supervision (session_supervision.cpp).
    /// Starts the heartbeat and the link check once the handshake is done.
    void start_supervision();
    /// The heartbeat's period now: the idle one until the pen may be armed.
    std::chrono::milliseconds heartbeat_period() const;
    /// When the next heartbeat is due if nothing else goes out (or, idle, comes in) first.
    Clock::time_point heartbeat_due() const;
    /// Every frame sent: it feeds the pen's watchdog, and may arm it.
    void note_sent(protocol::MessageType type);
    /// A Status or Event that says the pen may have switched an output on by itself. (Inline
    /// ones here are defined in session_incoming.cpp, their only user, called per status frame.)
    inline void note_status_outputs(const protocol::Status& wire);
    void note_event_outputs(const protocol::Event& wire);
    void note_may_be_armed();
    void schedule_heartbeat(Clock::time_point at);
    void schedule_link_check();
    void shut_link();

    // Any thread.
    template <typename Handler>
    using HandlerList = std::vector<std::shared_ptr<HandlerEntry<Handler>>>;
    /// Registers handler in list; the Subscription removes it again.
    template <typename Handler>
    Subscription add_handler(HandlerList<Handler> Session::*list, Handler handler);
    /// Queues a call of every handler now in list on the callback thread.
    template <typename Handler, typename... Args>
    void notify(HandlerList<Handler> Session::*list, const char* what, const Args&... args) {
        HandlerList<Handler> handlers;
        {
            std::lock_guard lock(subscribers_mutex_);
            handlers = this->*list;
        }
        if (handlers.empty()) return;
        dispatcher_.post([handlers = std::move(handlers), what, args...] {
            for (const auto& entry : handlers) invoke(*entry, what, args...);
        });
    }
    /// Calls done with result on the callback thread, or right here if that has stopped.
    void deliver(const ResultHandler& done, const Result& result);
    void set_state(ConnectionState state, const std::string& reason);
    void update_status_rate();
    /// Writes the descriptors of the modules known now into writer (it skips those it holds),
    /// so the recording reads without this process's descriptor cache. Under the guard.
    void record_descriptors(recording::RecordingWriter& writer);
    /// Runs fn on this thread under the session's guard, as if on the I/O thread.
    template <typename Fn>
    void run_on_io(Fn&& fn);
    /// deadline bounds the wait (connect_timeout during connect); otherwise the retries do.
    protocol::Message request_sync_reply(const protocol::Message& message,
                                         std::optional<Clock::time_point> deadline = {},
                                         NackExplainer explain = {});
    void perform_handshake(Clock::time_point deadline);
    /// After HelloReply: authenticates the session when penlink holds the pen's key, or decides
    /// it may go on unauthenticated; throws AuthenticationError otherwise (session_auth.cpp).
    void authenticate(const protocol::Hello& hello, const protocol::HelloReply& reply,
                      Clock::time_point deadline);
    /// I/O thread: a frame the authentication checks refused (counted, reported to the app).
    void on_rejected_frame(protocol::FrameError error, const char* what = nullptr);
    /// I/O thread: whether an incoming frame may be used; counts and reports it if not.
    bool admit_frame(const protocol::DecodedFrame& frame);

    const std::string url_;
    const ConnectOptions options_;

    /// Threading::Shared: the shared I/O pool; Dedicated: a pool of one thread for this pen.
    /// First, so it outlives every I/O object of the session.
    std::shared_ptr<IoPool> pool_;
    std::shared_ptr<transport::LinkGuard> guard_;
    transport::LinkExecutor ex_;
    std::unique_ptr<transport::Transport> link_;
    /// command_timeout, or its default for this link (link_timing.hpp); fixed at construction.
    const std::chrono::milliseconds command_timeout_;
    /// link_ itself: every link is wrapped so that a recording can start at any time.
    transport::RecordingTransport* recording_link_ = nullptr;
    /// What a recording file says it recorded: the URL and the link (read once, before the I/O
    /// thread starts).
    std::string recording_description_;
    /// The writer last attached, for active_recording() off the I/O thread.
    mutable std::mutex recording_mutex_;
    std::shared_ptr<recording::RecordingWriter> latest_recording_;
    /// Reads the link on the callback runs of a fast status stream, while the link keeps quiet
    /// for the I/O thread in between (CallbackDispatcher::LinkPolling; session_link_polling.cpp).
    class LinkPoller final : public CallbackDispatcher::LinkPolling {
    public:
        explicit LinkPoller(Session& session) : session_(session) {}
        void read_and_listen() override;
        void quiet(bool quiet) override;

    private:
        Session& session_;
    };
    /// Before dispatcher_, which calls it until it stops.
    LinkPoller link_poller_{*this};
    /// Since when the link keeps quiet for the I/O thread (LinkPoller::quiet); 0: it does not.
    std::atomic<Clock::rep> link_quiet_since_{0};
    /// On the I/O thread: if the callback run that should read a quiet link is this late (every
    /// callback thread busy), the I/O thread reads it (read_late_quiet_link).
    static constexpr std::chrono::milliseconds kQuietLinkLate{20};
    void read_late_quiet_link(Clock::time_point now);
    CallbackDispatcher dispatcher_;

    // I/O-thread state
    protocol::FrameDecoder decoder_;
    std::map<std::uint16_t, std::unique_ptr<Pending>> pending_;
    std::deque<Waiting> waiting_;
    std::deque<std::uint16_t> sent_order_;  // seqs in the order sent; front = oldest outstanding
    std::uint16_t next_seq_;
    bool in_session_ = false;  // HelloReply arrived: unsolicited frames count from here
    bool closing_ = false;     // close() sent EndSession: nothing more goes out
    std::uint32_t session_id_ = 0;
    std::uint32_t boot_id_ = 0;
    std::optional<std::uint16_t> last_unsolicited_seq_;
    Clock::time_point last_status_time_;
    std::int32_t acked_status_rate_hz_ = 0;  // the rate the pen last acknowledged
    bool resubscribed_for_silence_ = false;
    bool depth_violation_reported_ = false;
    std::optional<std::int32_t> acked_depth_um_;   // the last SetDepth the pen acknowledged
    std::optional<std::int32_t> acked_speed_chz_;  // the last SetSpeed
    std::optional<Clock::time_point> set_point_mismatch_since_;
    /// A SetDepth / SetSpeed was acknowledged since the last Status: that Status may have been
    /// sampled before the command was applied, so it says nothing about that set point.
    bool depth_acked_since_status_ = false;
    bool speed_acked_since_status_ = false;
    static constexpr std::chrono::milliseconds kSetPointGrace{500};
    /// One timer for every outstanding request, armed for the earliest deadline and left to
    /// expire when that request is answered: a timer per request, cancelled by its reply, cost
    /// the I/O thread a wake-up per command (the cancelled wait completes there).
    boost::asio::steady_timer retry_timer_;
    bool retry_timer_armed_ = false;
    boost::asio::steady_timer heartbeat_timer_;
    boost::asio::steady_timer link_timer_;
    std::chrono::steady_clock::time_point last_receive_;
    /// When the bytes being decoded were read: the arrival time of each of their frames.
    Clock::time_point bytes_time_;
    /// When a frame last went to the pen (heartbeats go out only after a period of nothing).
    Clock::time_point last_send_;
    /// Whether the pen's watchdog may be armed (protocol.md 10). A session starts with every
    /// output off; from the first request or report that may switch one on, the pen is taken as
    /// armed for the rest of the session. Until then heartbeats come at the idle interval.
    bool may_be_armed_ = false;
    bool supervising_ = false;  // the heartbeat and link check run (from the handshake's end)
    std::optional<std::uint32_t> last_status_seq_;
    bool link_open_ = false;
    bool heartbeat_failing_ = false;
    std::uint64_t frame_errors_ = 0;
    protocol::Status last_status_;  // the newest status frame (copy_status)
    /// last_status_ is newer than latest_: converted and published once per read, or before a
    /// reply or event of the same read is handled (publish_latest), not per frame.
    bool latest_pending_ = false;
    /// The authenticated session's keys, sealer and opener (session_auth.cpp); null when the
    /// session is not authenticated.
    struct Auth;
    std::unique_ptr<Auth> auth_;
    std::optional<std::uint16_t> authenticate_seq_;
    std::optional<Clock::time_point> last_rejection_report_;

    // Shared state
    std::atomic<ConnectionState> state_{ConnectionState::Closed};
    DeviceInfo device_info_;     // written before Connected, then read-only
    Capabilities capabilities_;  // likewise
    /// A sealed frame from the pen verified in this session (set on the I/O thread).
    std::atomic<bool> authenticated_{false};
    std::atomic<std::uint64_t> forged_{0}, replayed_{0}, unauthenticated_{0};
    std::atomic<std::uint32_t> rejected_by_pen_{0};
    std::optional<protocol::crypto::Key> changed_key_;  // guarded by connect_mutex_
    std::atomic<std::uint64_t> dropped_{0};
    std::atomic<std::uint64_t> received_{0};
    /// Status frames of the read being decoded, added to received_ once at its end (on_bytes).
    std::uint64_t received_in_read_ = 0;
    mutable std::mutex latest_mutex_;
    std::optional<Status> latest_;

    std::mutex subscribers_mutex_;
    std::multiset<std::int32_t> status_rates_;
    std::int32_t requested_rate_hz_ = 0;
    bool rate_cap_reported_ = false;  // guarded by subscribers_mutex_
    /// The most status the link carries, Hz (0: no limit), and why; guarded by
    /// subscribers_mutex_, set by update_status_rate().
    std::int32_t link_rate_cap_hz_ = 0;
    std::string link_rate_cap_reason_;
    /// The most Status frames per second the link carries (0: no limit) and the reason in words.
    std::pair<std::int32_t, std::string> link_status_cap() const;
    /// What a subscriber that asked requested_hz gets now.
    StatusRate granted_status_rate(std::int32_t requested_hz);
    /// The rate last asked of the pen; shared with the status handlers (subscribe_status).
    const std::shared_ptr<std::atomic<std::int32_t>> streaming_rate_hz_ =
        std::make_shared<std::atomic<std::int32_t>>(0);
    /// A Status frame on the wire: 8 header and CRC bytes, 57 payload, COBS and delimiter, and
    /// 6 bytes per module telemetry value (protocol.md 13).
    std::size_t status_wire_bytes() const;
    HandlerList<EventHandler> event_handlers_;
    HandlerList<ConnectionStateHandler> state_handlers_;
    std::atomic<std::int32_t> depth_limit_um_{0};
    ModuleCatalog modules_;
    std::mutex modules_refresh_mutex_;           // one refresh at a time
    std::optional<std::uint32_t> last_boot_id_;  // guarded by connect_mutex_
    std::atomic<bool> closed_{false};
    std::mutex post_mutex_;        // closed_ is set, and requests are posted, under it
    std::mutex connect_mutex_;     // one connect() at a time
    bool handshake_done_ = false;  // guarded by connect_mutex_; info is fixed from then on
};

template <typename Fn>
void Session::run_on_io(Fn&& fn) {
    // Here and now, with the session's I/O handlers held off: no hand-off to another thread.
    transport::LinkGuard::Hold hold(*guard_);
    fn();
}

}  // namespace penlink::core
