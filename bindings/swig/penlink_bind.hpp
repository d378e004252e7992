/// @file penlink_bind.hpp
/// @brief What the SWIG bindings wrap instead of the parts of the C++ API that do not cross a
/// language boundary (std::function, std::optional, std::chrono, std::unique_ptr).
///
/// - Callbacks are small listener classes with virtual methods (SWIG directors), adapted here
///   to the std::function API. A listener that throws is caught and reported through the log,
///   so a host-language bug never ends a pen's callback thread.
/// - bind::Pen shares ownership of the penlink::Pen; every bind::Subscription holds a share
///   too, so garbage-collected hosts may destroy pens and subscriptions in any order.
/// - The host language must keep each listener referenced for as long as its Subscription
///   lives (the C++ side only holds a plain pointer to it).
/// - Asynchronous commands are the exception: their CompletionListener is handed over to C++,
///   which deletes it once it has been told the outcome (penlink_completion.hpp).
///
/// This header holds bind::Pen and bind::Subscription; it includes the rest of the layer they
/// use: the listener classes (penlink_bind_listeners.hpp), ConnectOptions
/// (penlink_bind_connect_options.hpp) and the log (penlink_bind_log.hpp).
///
/// Threads: listeners run on the pen's callback thread (see penlink/pen.hpp). Header-only, so
/// each language module compiles its own copy and no extra library ships.
#pragma once

#include <cstdint>
#include <exception>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "penlink/penlink.hpp"
#include "penlink_bind_connect_options.hpp"
#include "penlink_bind_listeners.hpp"
#include "penlink_bind_log.hpp"
#include "penlink_bind_modules.hpp"
#include "penlink_completion.hpp"

namespace penlink::bind {

// --- errors ----------------------------------------------------------------------------------

/// Name of the host-language exception class for a penlink error (see the ErrorCode overload
/// in penlink_completion.hpp).
inline const char* error_class_name(const Error& error) noexcept {
    return error_class_name(error.code());
}

/// value, limit and unit of an OutOfRangeError; zeros and "" for other errors.
inline Result describe_error(const Error& error) { return Result::from(error); }

// --- pen and subscriptions -------------------------------------------------------------------

#ifndef SWIG
namespace detail {

/// The pen whose callback the current thread is running, if any.
inline const penlink::Pen*& callback_pen() {
    thread_local const penlink::Pen* pen = nullptr;
    return pen;
}

class CallbackScope {
public:
    explicit CallbackScope(const penlink::Pen* pen) : previous_(callback_pen()) {
        callback_pen() = pen;
    }
    ~CallbackScope() { callback_pen() = previous_; }
    CallbackScope(const CallbackScope&) = delete;
    CallbackScope& operator=(const CallbackScope&) = delete;

private:
    const penlink::Pen* previous_;
};

/// Runs a listener; anything it throws is reported, never propagated into the SDK thread.
template <class Call>
void guarded(const char* what, Call&& call) noexcept {
    try {
        call();
    } catch (const std::exception& error) {
        report_callback_error(std::string(what) + " listener threw: " + error.what());
    } catch (...) {
        report_callback_error(std::string(what) + " listener threw an unknown exception");
    }
}

/// Deletes a pen; when the last reference goes away inside one of that pen's own callbacks
/// (a GC run on the callback thread), ~Pen would join its own thread, so another thread
/// does it instead.
struct PenDeleter {
    void operator()(penlink::Pen* raw) const noexcept {
        std::unique_ptr<penlink::Pen> pen(raw);
        if (callback_pen() != raw) return;
        try {
            std::thread([owned = std::move(pen)]() mutable { owned.reset(); }).detach();
        } catch (const std::exception& error) {
            report_callback_error(std::string("cannot hand pen destruction to a thread: ") +
                                  error.what());
        }
    }
};

/// Owns one command's listener until it has been told the outcome, once, then deletes it.
/// The SDK answers every ResultHandler it accepts exactly once (on the callback thread, or on
/// the calling thread once the pen is closed), so no fallback is needed here.
class Completion {
public:
    explicit Completion(std::unique_ptr<CompletionListener> listener)
        : listener_(std::move(listener)) {}
    Completion(const Completion&) = delete;
    Completion& operator=(const Completion&) = delete;

    /// Tells the listener (the first call only), then deletes it.
    void finish(const Result& result) noexcept {
        std::unique_ptr<CompletionListener> listener;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            listener = std::move(listener_);
        }
        if (listener) guarded("completion", [&] { listener->on_done(to_outcome(result)); });
    }

private:
    std::mutex mutex_;
    std::unique_ptr<CompletionListener> listener_;  // null once told
};

}  // namespace detail
#endif

/// Keeps a listener registered. Copies share one registration; it ends on unsubscribe() or
/// when the last copy is destroyed. Holds its pen alive.
class Subscription {
public:
    Subscription() = default;

    /// Idempotent. After it returns the listener is not running and will not run again
    /// (unless called from inside that listener: then not after it returns).
    void unsubscribe() {
        if (state_) state_->subscription.unsubscribe();
    }
    bool active() const { return state_ && state_->subscription.active(); }
    /// A status subscription's asked and granted rate (see penlink::Subscription::status_rate).
    StatusRate status_rate() const {
        return state_ ? state_->subscription.status_rate() : StatusRate{};
    }

    /// Internal: used by Pen.
    Subscription(std::shared_ptr<penlink::Pen> pen, penlink::Subscription subscription)
        : state_(std::make_shared<State>(std::move(pen), std::move(subscription))) {}

private:
    struct State {
        State(std::shared_ptr<penlink::Pen> owner, penlink::Subscription registration)
            : pen(std::move(owner)), subscription(std::move(registration)) {}
        // Declared first, destroyed last: unsubscribe before the pen may go away.
        std::shared_ptr<penlink::Pen> pen;
        penlink::Subscription subscription;
    };
    std::shared_ptr<State> state_;
};

/// A connection to one pen (see penlink::Pen). Copies share the connection; it closes on
/// close() or when the last copy and the last Subscription are gone.
class Pen {
public:
    /// Connects and performs the handshake; see penlink::Pen::connect for URLs and errors.
    static Pen connect(const std::string& url, const ConnectOptions& options = ConnectOptions()) {
        std::unique_ptr<penlink::Pen> pen = penlink::Pen::connect(url, detail::to_native(options));
        return Pen(std::shared_ptr<penlink::Pen>(pen.release(), detail::PenDeleter()));
    }

    void close() { pen_->close(); }
    void reconnect() { pen_->reconnect(); }
    std::string url() const { return pen_->url(); }
    ConnectionState connection_state() const { return pen_->connection_state(); }
    DeviceInfo info() const { return pen_->info(); }
    Capabilities capabilities() const { return pen_->capabilities(); }

    void set_depth_limit(Depth limit) { pen_->set_depth_limit(limit); }
    Depth depth_limit() const { return pen_->depth_limit(); }
    void set_depth(Depth depth) { pen_->set_depth(depth); }
    void set_speed(Speed speed) { pen_->set_speed(speed); }
    void start() { pen_->start(); }
    void stop() { pen_->stop(); }
    void set_rf_mode(const RfMode& mode) { pen_->set_rf_mode(mode); }
    void set_led_mode(const LedMode& mode) { pen_->set_led_mode(mode); }
    void emergency_stop() { pen_->emergency_stop(); }
    void clear_emergency_stop() { pen_->clear_emergency_stop(); }
    void clear_faults() { pen_->clear_faults(); }
    /// Asks the pen for its current set points; see penlink::Pen::read_settings.
    PenSettings read_settings() { return pen_->read_settings(); }
    /// Authenticated sessions (see penlink::Pen::authenticated and security_stats).
    bool authenticated() const { return pen_->authenticated(); }
    SecurityStats security_stats() const { return pen_->security_stats(); }
    /// Installs a new key, given as 64 hex digits (each language converts its bytes).
    void change_key_hex(const std::string& hex) {
        const std::string serial = pen_->info().serial_number;
        penlink::PenKeys parsed;
        parsed.add_hex(serial.empty() ? "-" : serial, hex);
        const std::uint8_t* key = parsed.find(serial.empty() ? "-" : serial);
        std::vector<std::uint8_t> bytes(key, key + 32);
        pen_->change_key(bytes);
        std::fill(bytes.begin(), bytes.end(), std::uint8_t{0});
    }

    // Asynchronous twins: they return at once and tell done the outcome exactly once, on the
    // callback thread; a refusal on the host (out of range) arrives there too, never as a
    // throw. done is taken over (see penlink_completion.hpp) and deleted after it ran.
    void set_depth_async(Depth depth, CompletionListener* done) {
        pen_->set_depth_async(depth, completion(done));
    }
    void set_speed_async(Speed speed, CompletionListener* done) {
        pen_->set_speed_async(speed, completion(done));
    }
    void start_async(CompletionListener* done) { pen_->start_async(completion(done)); }
    void stop_async(CompletionListener* done) { pen_->stop_async(completion(done)); }
    void set_rf_mode_async(const RfMode& mode, CompletionListener* done) {
        pen_->set_rf_mode_async(mode, completion(done));
    }
    void set_led_mode_async(const LedMode& mode, CompletionListener* done) {
        pen_->set_led_mode_async(mode, completion(done));
    }
    void emergency_stop_async(CompletionListener* done) {
        pen_->emergency_stop_async(completion(done));
    }
    void clear_emergency_stop_async(CompletionListener* done) {
        pen_->clear_emergency_stop_async(completion(done));
    }

    // Add-on modules (penlink::Pen, penlink/module.hpp): a module is named "key" or "key@slot";
    // errors name "module.key", the value, the limit and the unit.
    std::vector<ModuleInfo> modules() { return detail::to_infos(pen_->modules()); }
    ModuleInfo module(const std::string& module) { return detail::to_info(pen_->module(module)); }
    /// All applied or none.
    void set_params(const std::string& module, const ParamList& values) {
        pen_->set_params(module, values.settings());
    }
    void set_params_async(const std::string& module, const ParamList& values,
                          CompletionListener* done) {
        pen_->set_params_async(module, values.settings(), completion(done));
    }
    void set_param(const std::string& module, const std::string& key, const ParamValue& value) {
        pen_->set_param(module, key, value);
    }
    ParamValue get_param(const std::string& module, const std::string& key) {
        return pen_->get_param(module, key);
    }
    ParamList get_params(const std::string& module) { return ParamList(pen_->get_params(module)); }

    Subscription subscribe_status(StatusListener* listener, std::int32_t rate_hz = 50) {
        require(listener, "status");
        const penlink::Pen* raw = pen_.get();
        auto handler = [listener, raw](const Status& status) {
            detail::CallbackScope scope(raw);
            detail::guarded("status", [&] { listener->on_status(status); });
        };
        return Subscription(pen_, pen_->subscribe_status(handler, rate_hz));
    }

    Subscription subscribe_events(EventListener* listener) {
        require(listener, "event");
        const penlink::Pen* raw = pen_.get();
        return Subscription(pen_, pen_->subscribe_events([listener, raw](const Event& event) {
            detail::CallbackScope scope(raw);
            detail::guarded("event", [&] { listener->on_event(event); });
        }));
    }

    Subscription subscribe_connection_state(ConnectionListener* listener) {
        require(listener, "connection state");
        const penlink::Pen* raw = pen_.get();
        auto handler = [listener, raw](ConnectionState state, const std::string& reason) {
            detail::CallbackScope scope(raw);
            detail::guarded("connection state",
                            [&] { listener->on_connection_state(state, reason); });
        };
        return Subscription(pen_, pen_->subscribe_connection_state(handler));
    }

    /// Whether a status frame arrived yet; once true it stays true.
    bool has_latest_status() const { return pen_->latest_status().has_value(); }
    /// The newest status frame; throws RejectedError if none arrived yet.
    Status latest_status() const {
        std::optional<Status> status = pen_->latest_status();
        if (!status) throw RejectedError(ErrorCode::Rejected, "no status frame received yet");
        return *status;
    }
    std::uint64_t dropped_status_frames() const { return pen_->dropped_status_frames(); }
    std::uint64_t received_status_frames() const { return pen_->received_status_frames(); }

#ifndef SWIG
    /// The SDK pen, for the other parts of the binding layer (treatment runner).
    const std::shared_ptr<penlink::Pen>& native() const { return pen_; }
#endif

private:
    explicit Pen(std::shared_ptr<penlink::Pen> pen) : pen_(std::move(pen)) {}

    static void require(const void* listener, const char* what) {
        if (listener == nullptr)
            throw InvalidArgumentError(std::string("the ") + what + " listener is null");
    }

    ResultHandler completion(CompletionListener* done) const {
        require(done, "completion");
        auto owned =
            std::make_shared<detail::Completion>(std::unique_ptr<CompletionListener>(done));
        const penlink::Pen* raw = pen_.get();
        // Only a plain pointer to the pen: a pending command must not keep it open. Closing or
        // destroying the pen fails what is pending, which still reaches done.
        return [owned, raw](const Result& result) {
            detail::CallbackScope scope(raw);
            owned->finish(result);
        };
    }

    std::shared_ptr<penlink::Pen> pen_;
};

inline std::vector<SerialPortInfo> list_serial_ports() { return penlink::list_serial_ports(); }
inline std::string version() { return penlink::version(); }

}  // namespace penlink::bind
