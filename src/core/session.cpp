#include "core/session.hpp"

#include <algorithm>
#include <future>
#include <limits>
#include <random>

#include <boost/asio/post.hpp>

#include "core/conversions.hpp"
#include "core/limits.hpp"
#include "core/log.hpp"
#include "core/reply_waiter.hpp"
#include "core/session_auth.hpp"
#include "core/subscription_impl.hpp"
#include "transport/transport_factory.hpp"

namespace penlink::core {
namespace {

using std::chrono::milliseconds;

std::uint16_t random_start_seq() {
    // A fresh starting point per session, so a late reply from an earlier session on the same
    // port cannot be mistaken for an answer to this one.
    std::random_device device;
    return static_cast<std::uint16_t>(device());
}

/// Mutes the link's reader (Transport::mute_reader) for as long as it lives or until end().
class MutedReader {
public:
    explicit MutedReader(transport::Transport& link) : link_(&link) { link.mute_reader(true); }
    ~MutedReader() { end(); }
    MutedReader(const MutedReader&) = delete;
    MutedReader& operator=(const MutedReader&) = delete;
    void end() {
        if (link_) std::exchange(link_, nullptr)->mute_reader(false);
    }

private:
    transport::Transport* link_;
};

}  // namespace

Session::LinkFactory Session::link_for_url(const std::string& url) {
    auto parsed = transport::parse_url(url);
    return [parsed = std::move(parsed)](const transport::LinkExecutor& ex) {
        return transport::make_transport(parsed, ex);
    };
}

Session::Session(const LinkFactory& make_link, std::string url, ConnectOptions options)
    : url_(std::move(url)),
      options_(options),
      pool_(options_.threading == Threading::Dedicated ? std::make_shared<IoPool>(1)
                                                       : IoPool::shared()),
      guard_(std::make_shared<transport::LinkGuard>()),
      ex_(pool_->context(), guard_),
      link_(std::make_unique<transport::RecordingTransport>(make_link(ex_))),
      command_timeout_(link_timing(options_, link_->link_interval(), 0).command_timeout),
      dispatcher_(static_cast<std::size_t>(std::max(1, options.callback_queue_capacity)),
                  options.callback_executor                   ? nullptr
                  : options.threading == Threading::Dedicated ? std::make_shared<CallbackPool>(1)
                                                              : CallbackPool::shared(),
                  options.callback_executor),
      next_seq_(random_start_seq()),
      retry_timer_(ex_),
      heartbeat_timer_(ex_),
      link_timer_(ex_) {
    dispatcher_.set_link_polling(&link_poller_);
    recording_link_ = static_cast<transport::RecordingTransport*>(link_.get());
    recording_description_ = url_ + " (" + recording_link_->description() + ")";
    if (!options_.record_path.empty()) {
        // From the first byte on, the Hello included (replay:// needs the whole session).
        latest_recording_ = std::make_shared<recording::RecordingWriter>(options_.record_path,
                                                                         recording_description_);
        recording_link_->attach(latest_recording_);
    }
}

std::shared_ptr<recording::RecordingWriter> Session::active_recording() const {
    std::lock_guard lock(recording_mutex_);
    return latest_recording_ && latest_recording_->is_open() ? latest_recording_ : nullptr;
}

Session::~Session() {
    close();
    // Handlers still queued (cancelled timers, a read that ended with the link) may point at
    // this session: from now on they are dropped unrun. Taking the guard waits for a running one.
    transport::LinkGuard::Hold hold(*guard_);
    guard_->retire();
}

void Session::connect() {
    if (closed_.load())
        throw ConnectionError(ErrorCode::NotConnected, "pen at " + url_ + " is closed");
    std::lock_guard connect_lock(connect_mutex_);
    if (state_.load() == ConnectionState::Connected) return;
    // connect_timeout bounds the whole connect: opening the link and the handshake.
    const auto deadline = Clock::now() + options_.connect_timeout;
    set_state(ConnectionState::Connecting, {});
    try {
        // Open before the transport starts reading: a failure it reports at once must count.
        run_on_io([this] {
            decoder_.reset();
            decoder_.set_opener(nullptr);
            auth_.reset();
            authenticated_ = false;
            authenticate_seq_.reset();
            last_rejection_report_.reset();
            forged_ = 0;
            replayed_ = 0;
            unauthenticated_ = 0;
            rejected_by_pen_ = 0;
            last_status_seq_.reset();
            last_unsolicited_seq_.reset();
            in_session_ = false;
            session_id_ = 0;
            acked_status_rate_hz_ = 0;
            resubscribed_for_silence_ = false;
            depth_violation_reported_ = false;
            acked_depth_um_.reset();
            acked_speed_chz_.reset();
            set_point_mismatch_since_.reset();
            depth_acked_since_status_ = speed_acked_since_status_ = false;
            link_open_ = true;
            last_receive_ = Clock::now();
            last_send_ = last_receive_;
            may_be_armed_ = false;  // a new session starts with every output off (4.1)
            supervising_ = false;
        });
        link_->open([this](std::span<const std::uint8_t> bytes) { on_bytes(bytes); },
                    [this](const std::string& reason) { on_link_error(reason); },
                    options_.connect_timeout);
        // A lone delimiter first: it ends any partial frame the pen still holds from an earlier
        // host, so our Hello is not lost with it (protocol.md 2.5).
        run_on_io([this] {
            static constexpr std::uint8_t kDelimiter[1] = {0x00};
            if (link_open_) link_->send(kDelimiter);
        });
        perform_handshake(deadline);
    } catch (const Error& error) {
        run_on_io([this] {
            if (link_open_) shut_link();
            fail_all_pending(ErrorCode::ConnectionLost, "the connection attempt failed");
        });
        set_state(handshake_done_ ? ConnectionState::Lost : ConnectionState::Closed, error.what());
        throw;
    }
    std::string reason;
    std::uint32_t boot_id = 0;
    run_on_io([this, &boot_id] { boot_id = boot_id_; });
    if (last_boot_id_ && *last_boot_id_ != boot_id) {
        reason =
            "the pen restarted since the last session: its set points may have been reset, and "
            "needle, RF and LED are off";
    } else if (last_boot_id_) {
        reason = "a new session: needle, RF and LED are off until started again";
    }
    last_boot_id_ = boot_id;
    set_state(ConnectionState::Connected, reason);
    {
        // A new session starts with streaming off: ask for the rate afresh.
        std::lock_guard lock(subscribers_mutex_);
        requested_rate_hz_ = 0;
    }
    update_status_rate();
    const auto limit = depth_limit_um_.load();
    if (limit < static_cast<std::int32_t>(capabilities_.depth_max_mm * 1000.0 + 0.5)) {
        // The session limit lives in the session: a new one (reconnect) needs it again.
        request(protocol::SetDepthLimit{static_cast<std::uint16_t>(limit)}, [](const Result& r) {
            if (!r.ok()) log(LogLevel::Error, "could not restore the depth limit: " + r.message);
        });
    }
    if (const auto warning = timing().warning; !warning.empty())
        log(LogLevel::Warning, link_->description() + ": " + warning);
    run_on_io([this] { start_supervision(); });
    log(LogLevel::Info, "connected to " + device_info_.model + " " + device_info_.serial_number +
                            " via " + link_->description());
}

void Session::perform_handshake(Clock::time_point deadline) {
    protocol::Hello hello_request;
    // A fresh challenge for this session (section 16.3); all zero would mean "no auth".
    do {
        protocol::crypto::random_bytes(hello_request.host_nonce);
    } while (protocol::all_zero(hello_request.host_nonce));
    const auto hello = request_sync_reply(hello_request, deadline);
    const auto* reply = std::get_if<protocol::HelloReply>(&hello);
    if (!reply || reply->version != protocol::kProtocolVersion) {
        throw RejectedError(
            ErrorCode::Protocol,
            "pen at " + url_ + " answered Hello with an unsupported protocol version");
    }
    authenticate(hello_request, *reply, deadline);
    const auto info_message = request_sync_reply(protocol::GetInfo{}, deadline);
    const auto* info = std::get_if<protocol::Info>(&info_message);
    if (!info) throw RejectedError(ErrorCode::Protocol, "pen at " + url_ + " sent no device info");
    check_info(*info);
    auto identity = to_device_info(*info, reply->version);
    if (!handshake_done_) {
        device_info_ = std::move(identity);
        capabilities_ = to_capabilities(*info);
        depth_limit_um_ = static_cast<std::int32_t>(info->depth_max_um);
        handshake_done_ = true;
    } else if (identity.serial_number != device_info_.serial_number ||
               identity.model != device_info_.model) {
        // Info and capabilities are read without locks once connected, so they never change;
        // a different pen needs a new Pen.
        throw ConnectionError(ErrorCode::ConnectionFailed,
                              "a different pen answered at " + url_ + ": expected " +
                                  device_info_.model + " " + device_info_.serial_number +
                                  ", found " + identity.model + " " + identity.serial_number);
    }
    // Modules may have changed while the link was down: read them within connect_timeout.
    std::lock_guard refresh_lock(modules_refresh_mutex_);
    modules_.refresh(
        [this, deadline](const protocol::Message& request) {
            return request_sync_reply(request, deadline);
        },
        options_.module_paths);
    run_on_io([this] {
        if (const auto& writer = recording_link_->writer()) record_descriptors(*writer);
    });
}

std::vector<Module> Session::modules() {
    if (modules_.stale()) {
        std::lock_guard refresh_lock(modules_refresh_mutex_);
        if (modules_.stale()) {
            modules_.refresh(
                [this](const protocol::Message& request) { return request_reply(request); },
                options_.module_paths);
            run_on_io([this] {
                if (const auto& writer = recording_link_->writer()) record_descriptors(*writer);
            });
        }
    }
    return modules_.list();
}

Module Session::module(const std::string& selector) {
    modules();  // re-reads a stale list first
    return modules_.find(selector);
}

void Session::close() {
    {
        // After this, request() posts nothing more to the I/O thread (see below).
        std::lock_guard lock(post_mutex_);
        if (closed_.exchange(true)) return;
    }
    if (state_.load() == ConnectionState::Connected) {
        // End the session: needle, RF and LED off and no latched fault, rather than leaving the
        // pen to its watchdog. One resend at most, so closing a silent pen stays quick (its
        // watchdog turns everything off anyway).
        std::promise<void> ended;
        auto finished = ended.get_future();
        run_on_io([this, &ended] {
            // Nothing more goes out after EndSession (the pen would answer NoSession): what
            // still waits for the window fails now, as everything does on a closed pen.
            closing_ = true;
            fail_waiting(ErrorCode::NotConnected, "the pen at " + url_ + " was closed");
            send_request(
                protocol::EndSession{},
                [&ended](const Result&, const protocol::Message*) { ended.set_value(); }, 1);
        });
        finished.wait();
    }
    run_on_io([this] {
        if (link_open_) shut_link();
        fail_all_pending(ErrorCode::NotConnected, "the pen at " + url_ + " was closed");
        heartbeat_timer_.cancel();
        link_timer_.cancel();
        if (const auto& writer = recording_link_->writer()) writer->flush();
    });
    // Handlers still queued run later, find the link shut and return; a request one of them
    // posts fails with NotConnected (start_request). The destructor drops what is left.
    set_state(ConnectionState::Closed, {});
    // From inside another pen's callback, not waiting for this pen's callbacks running on
    // another thread: that one may be closing the pen whose callback this thread runs. The
    // destructor still waits for them (the callbacks may use the session).
    dispatcher_.stop(/*wait_for_other_thread=*/false);
}

void Session::deliver(const ResultHandler& done, const Result& result) {
    if (!done) return;
    if (dispatcher_.post([done, result] { done(result); })) return;
    // The callback thread has stopped (the pen is closed): answer on this thread rather than
    // never.
    try {
        done(result);
    } catch (const std::exception& error) {
        report_callback_exception("completion", error.what());
    } catch (...) {
        report_callback_exception("completion", "unknown exception");
    }
}

// ---- requests ---------------------------------------------------------------------------

void Session::request(const protocol::Message& message, ResultHandler done, NackExplainer explain) {
    {
        std::lock_guard lock(post_mutex_);
        if (!closed_.load()) {
            auto start = [this, message, done = std::move(done),
                          explain = std::move(explain)]() mutable {
                start_request(message, [this, done = std::move(done), explain = std::move(explain)](
                                           const Result& result, const protocol::Message* reply) {
                    const auto* nack = reply ? std::get_if<protocol::Nack>(reply) : nullptr;
                    deliver(done, nack && explain ? explain(*nack) : result);
                });
            };
            // From a caller's thread the command goes out now, on this thread. From inside one
            // of the session's own handlers it waits until that handler has returned, as the
            // handler may be walking the state that sending changes.
            if (guard_->held_here())
                boost::asio::post(ex_, std::move(start));
            else
                run_on_io(start);
            return;
        }
    }
    deliver(done, Result::failure(ErrorCode::NotConnected, "the pen at " + url_ + " is closed"));
}

void Session::request_failed(const Result& result, ResultHandler done) { deliver(done, result); }

protocol::Message Session::request_sync_reply(const protocol::Message& message,
                                              std::optional<Clock::time_point> deadline,
                                              NackExplainer explain) {
    struct Outcome {
        Result result;
        protocol::Message reply;
    };
    auto waiter = std::make_shared<ReplyWaiter<Outcome>>();
    {
        std::lock_guard lock(post_mutex_);
        if (closed_.load())
            throw ConnectionError(ErrorCode::NotConnected, "the pen at " + url_ + " is closed");
        // Sent on this thread, now: the only hand-off is the reply's, from the I/O thread.
        run_on_io([this, &message, &waiter, &explain] {
            start_request(message, [waiter, explain = std::move(explain)](
                                       const Result& result, const protocol::Message* reply) {
                const auto* nack = reply ? std::get_if<protocol::Nack>(reply) : nullptr;
                waiter->set(Outcome{nack && explain ? explain(*nack) : result,
                                    reply ? *reply : protocol::Message{}});
            });
        });
    }
    // While the caller watches for its outcome, it reads the link itself (when no handler of
    // the pen runs): a reply is handled the moment it arrives, on this thread. It takes the
    // guard only when bytes wait. Meanwhile the link does not wake the I/O thread
    // (mute_reader), which would find the reply gone; bytes it saw while the guard was busy
    // stay its to take (`seen`), as the I/O thread will not come for them until it unmutes,
    // before it sleeps or once it has its outcome.
    bool seen = false;
    const auto take_here = [this, &seen] {
        if (guard_->held_here() || (!seen && !link_->input_waiting())) return;
        seen = !receive_here();
    };
    MutedReader muted(*link_);
    const auto before_sleep = [&muted] { muted.end(); };
    const char* name = protocol::to_string(protocol::type_of(message));
    if (deadline) {
        if (!waiter->wait_until(*deadline, take_here, before_sleep)) {
            throw TimeoutError("connecting to the pen at " + url_ + " took longer than " +
                               std::to_string(count_ms(options_.connect_timeout)) +
                               " ms (connect_timeout; waiting for the answer to " + name + ")");
        }
    } else {
        // Retries bound the wait; the margin only guards against a stalled I/O thread. An
        // emergency stop is resent until answered or the link is lost, which link supervision
        // bounds.
        const bool urgent = std::holds_alternative<protocol::EmergencyStop>(message);
        auto bound = command_timeout_ * (options_.command_retries + 1) + milliseconds(2000);
        if (urgent) bound = std::max(bound, effective_link_timeout() * 2 + milliseconds(2000));
        if (!waiter->wait_until(std::chrono::steady_clock::now() + bound, take_here,
                                before_sleep)) {
            throw TimeoutError(std::string("no outcome for ") + name + " within " +
                               std::to_string(count_ms(bound)) + " ms");
        }
    }
    auto outcome = waiter->take();
    outcome.result.throw_if_error();
    return outcome.reply;
}

void Session::request_sync(const protocol::Message& message) { request_sync_reply(message); }

protocol::Settings Session::read_settings() {
    const auto reply = request_sync_reply(protocol::GetSettings{});
    const auto* settings = std::get_if<protocol::Settings>(&reply);
    if (!settings)
        throw RejectedError(ErrorCode::Protocol, "the pen answered GetSettings without settings");
    return *settings;
}

void Session::set_depth_limit(Depth limit) {
    check_depth_limit(limit, capabilities_);
    // The host checks against the new limit from now on; the pen enforces it too and moves a
    // deeper set point up to it. A SetDepth still in flight is older than this request, so the
    // pen refuses it as superseded rather than applying it after the limit.
    depth_limit_um_ = limit.in_um();
    request_sync(protocol::SetDepthLimit{static_cast<std::uint16_t>(limit.in_um())});
}

}  // namespace penlink::core
