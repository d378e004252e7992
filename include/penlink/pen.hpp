/// @file pen.hpp
/// @brief A connection to one microneedling pen.
///
/// Threads: every Pen has its own I/O thread (link, timers, heartbeat) and its own callback
/// thread. All callbacks of one pen (status, events, connection state, async completions) run
/// on that pen's callback thread, one at a time, in order. A callback may call any method of
/// the Pen, including blocking ones, but should return quickly: while it runs, status frames
/// queue (a bounded queue; frames that do not fit are counted in dropped_status_frames()).
/// Pen methods are thread-safe. Several Pens in one process are fully independent.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "penlink/errors.hpp"
#include "penlink/export.h"
#include "penlink/module.hpp"
#include "penlink/recorder.hpp"
#include "penlink/types.hpp"

namespace penlink {

class Pen;

/// Keeps a callback registered. Destroying it, or calling unsubscribe(), removes the callback;
/// after unsubscribe() returns the callback is not running and will not run again (unless
/// called from inside that callback, where it will not run again after it returns).
class PENLINK_EXPORT Subscription {
public:
    Subscription();
    ~Subscription();
    /// Takes over other's registration; other becomes inactive.
    Subscription(Subscription&& other) noexcept;
    /// Ends this registration, then takes over other's.
    Subscription& operator=(Subscription&& other) noexcept;
    Subscription(const Subscription&) = delete;
    Subscription& operator=(const Subscription&) = delete;

    /// Removes the callback (see the class comment); idempotent.
    void unsubscribe();
    /// True until unsubscribe(), destruction or the pen's close().
    bool active() const;
    /// For a status subscription: the rate it asked for, the rate it gets now and what limits
    /// it (the link; see StatusRate). All zero for other subscriptions and after unsubscribe().
    StatusRate status_rate() const;

    struct Impl;
    /// Used by Pen; not for applications.
    explicit Subscription(std::shared_ptr<Impl> impl);

private:
    std::shared_ptr<Impl> impl_;
};

/// The keys of pens by serial number, for authenticated sessions (docs/protocol.md section
/// 15). A key is 32 bytes. Keys never appear in a log, an error message or an exception, and
/// are wiped from memory when this object goes away.
class PENLINK_EXPORT PenKeys {
public:
    /// An empty set.
    PenKeys();
    /// A copy of other's keys.
    PenKeys(const PenKeys& other);
    /// Replaces these keys with a copy of other's (the old ones wiped).
    PenKeys& operator=(const PenKeys& other);
    /// Wipes the keys.
    ~PenKeys();

    /// Adds or replaces the key of the pen with this serial number. Throws
    /// InvalidArgumentError if the serial is empty or the key is not 32 bytes.
    void add(const std::string& serial, const std::vector<std::uint8_t>& key);
    /// The same from 64 hex digits.
    void add_hex(const std::string& serial, const std::string& hex);
    /// Adds every "SERIAL KEY" line of a key file (64 hex digits per key; '#' comments). Throws
    /// InvalidArgumentError naming the file and line if it cannot be read, if others may read
    /// or change it (chmod 600), or if a line is malformed.
    void load_file(const std::string& path);
    /// Forgets the key of this serial; false if there was none.
    bool remove(const std::string& serial);

    /// True if there is a key for serial.
    bool contains(const std::string& serial) const;
    /// True if there is no key at all.
    bool empty() const;
    /// The serial numbers that have a key.
    std::vector<std::string> serials() const;

    /// The key of serial (32 bytes) or nullptr. For penlink's own use; do not log it.
    const std::uint8_t* find(const std::string& serial) const;

private:
    struct Impl;
    Impl* impl_;
};

/// Which threads carry a pen's traffic and run its callbacks (docs/architecture.md, Threads).
enum class Threading {
    /// Every pen shares penlink's I/O thread and two callback threads: a process with hundreds
    /// of pens runs three penlink threads. One pen's callbacks still never run two at a time.
    Shared = 0,
    /// The pen has an I/O thread and a callback thread of its own, so no other pen's traffic or
    /// slow callback can delay it (two threads and three file descriptors more per pen).
    Dedicated = 1,
};

/// How Pen::connect talks to the pen: timeouts, retries, heartbeat, queues.
struct ConnectOptions {
    /// How long connect() may take, link opening and handshake included.
    std::chrono::milliseconds connect_timeout{3000};
    /// How long to wait for an acknowledgement before resending the same command; 0 = suited
    /// to the link: 300 ms, longer on a link that sends only every so often (BLE at a connection
    /// interval over 15 ms: 300 ms times interval / 15 ms; docs/protocol.md 11.1).
    std::chrono::milliseconds command_timeout{0};
    /// Resends (same sequence number: the pen applies it once) before a TimeoutError.
    int command_retries = 2;
    /// Heartbeat period; 0 = a quarter of the pen's watchdog period, at least 20 ms and one
    /// link interval, and early enough to reach the pen two link intervals before its watchdog,
    /// while the pen may be armed; while every output is known to be off, a third of the link
    /// timeout (docs/protocol.md 11.1). A heartbeat goes out only when nothing else did.
    std::chrono::milliseconds heartbeat_interval{0};
    /// Silence from the pen after which the connection counts as lost; 0 = twice the pen's
    /// watchdog period, at least 1000 ms, times interval / 15 ms on a BLE link slower than 15 ms.
    std::chrono::milliseconds link_timeout{0};
    /// Status rate requested while nobody subscribed (keeps latest_status() fresh), in Hz.
    std::int32_t idle_status_rate_hz = 10;
    /// Capacity of the callback queue; frames beyond it are dropped and counted. The queue
    /// grows to it only as a backlog of status frames needs it.
    std::int32_t callback_queue_capacity = 4096;
    /// Shared threads (the default) or the pen's own (docs/architecture.md, Threads).
    Threading threading = Threading::Shared;
    /// Non-empty: the pen's callbacks run as tasks handed to this function instead of on
    /// penlink's callback threads, e.g. to run them on the app's UI or event loop. It must run
    /// each task exactly once, later, on any thread; penlink never hands it a pen's next task
    /// before that pen's last one has returned, so one pen's callbacks still run one at a time.
    /// When Pen::close() returns, the pen's callbacks queued before have run: one running on
    /// the executor is waited for; those whose task has not started yet run on the closing
    /// thread instead (it may be the executor's own, e.g. a UI loop closing the pen), and their
    /// task later finds nothing to do.
    std::function<void(std::function<void()>)> callback_executor;
    /// Directories of partner module descriptors (*.json) for pens that do not store them;
    /// searched before those in the PENLINK_MODULE_PATH environment variable.
    std::vector<std::string> module_paths;
    /// Keys of the pens this host may drive. With the pen's key, penlink authenticates the
    /// session (mutual proof, every frame tagged; docs/protocol.md section 16) and refuses a pen
    /// that cannot prove itself; without it, a pen that requires authentication is refused with
    /// AuthenticationError (code AuthenticationRequired).
    PenKeys keys;
    /// true: refuse every pen penlink holds no key for, even one that would drive
    /// unauthenticated (production use). false: such a pen is driven unauthenticated.
    bool require_authentication = false;
    /// Non-empty: records every frame in and out of the session, from the first, into a new file
    /// at this path until the pen is closed (docs/records.md; replay:// plays it back). Connect
    /// throws InvalidArgumentError if the file cannot be created. Pen::start_recording records
    /// from any later moment instead.
    std::string record_path;
};

/// Called with each status frame, on the pen's callback thread.
using StatusHandler = std::function<void(const Status&)>;
/// Called with each event, on the pen's callback thread.
using EventHandler = std::function<void(const Event&)>;
/// state and a reason (e.g. "no answer for 500 ms"); reason is empty for ordinary changes.
using ConnectionStateHandler = std::function<void(ConnectionState, const std::string& reason)>;
/// Called once with a command's outcome (Result::ok() or the error).
using ResultHandler = std::function<void(const Result&)>;

/// A connection to one pen. Thread-safe; callbacks run on the pen's own callback thread,
/// one at a time and in order. Make one with Pen::connect().
class PENLINK_EXPORT Pen {
public:
    /// Connects and performs the handshake (version, device info). URLs:
    ///   serial:///dev/ttyUSB0?baud=115200   tcp://127.0.0.1:7878   sim://?rf=1&led=1
    ///   replay:///path/session.plrec?speed=4&match=lenient   (a recording played back as a
    ///   pen; match=strict, the default, wants every command as recorded; docs/records.md)
    /// Throws InvalidArgumentError (bad URL), ConnectionError (port missing or busy, refused),
    /// TimeoutError (no answer), or RejectedError (incompatible protocol version).
    static std::unique_ptr<Pen> connect(const std::string& url, const ConnectOptions& options = {});

    /// Ends the session (the pen turns needle, RF and LED off), closes the link and joins the
    /// pen's threads.
    ~Pen();
    Pen(const Pen&) = delete;
    Pen& operator=(const Pen&) = delete;

    /// Ends the session (needle, RF and LED off, no latched fault), stops streaming and closes
    /// the link. Idempotent. Later commands throw ConnectionError.
    void close();

    /// After the connection was lost: opens the link again and starts a new session (the pen
    /// starts it with needle, RF and LED off); callbacks stay registered, the status rate and the
    /// depth limit are requested again, and the Connected state change says whether the pen
    /// restarted meanwhile. Does nothing while connected. Throws like connect(), and
    /// ConnectionError if a different pen answers.
    void reconnect();

    /// The URL the pen was opened with.
    const std::string& url() const;
    /// Connected, Lost (until reconnect()) or Closed.
    ConnectionState connection_state() const;
    /// True while the session is authenticated (see ConnectOptions::keys).
    bool authenticated() const;
    /// What the authenticated-session checks rejected in this session.
    SecurityStats security_stats() const;
    /// Installs new_key (32 bytes) on the pen, over the authenticated session (it travels
    /// AES key-wrapped, never in clear). The pen uses it from its next session on; this Pen
    /// uses it for reconnect(). Throws AuthenticationError if the session is not authenticated,
    /// InvalidArgumentError if the key is not 32 bytes, and like any command.
    void change_key(const std::vector<std::uint8_t>& new_key);
    /// Model, serial number, firmware and protocol version, read at connect.
    const DeviceInfo& info() const;
    /// Ranges and add-ons the pen reported at connect.
    const Capabilities& capabilities() const;

    /// The session's depth ceiling, at most the pen's maximum (e.g. 1.5 mm for a cheek
    /// protocol). set_depth refuses anything deeper, and the pen enforces it too: if its depth
    /// set point is deeper, the pen moves it up to the limit before acknowledging. Kept across
    /// reconnect(). Defaults to the pen's maximum. Throws like any command.
    void set_depth_limit(Depth limit);
    /// The host-side depth ceiling (set_depth_limit); the pen's maximum by default.
    Depth depth_limit() const;

    // Each command returns once the pen acknowledged, or throws. The _async twin returns at
    // once and calls done exactly once with the same outcome: on the callback thread, or, if
    // the pen is already closed, on the calling thread before the call returns.
    /// Sets the needle depth; refused beyond capabilities() or depth_limit().
    void set_depth(Depth depth);
    /// set_depth without waiting: done(result) is called once with its outcome.
    void set_depth_async(Depth depth, ResultHandler done);
    /// Sets the needle speed; refused outside capabilities().
    void set_speed(Speed speed);
    /// set_speed without waiting. The _async twin: see set_depth_async.
    void set_speed_async(Speed speed, ResultHandler done);
    /// Starts the needle at the depth and speed set.
    void start();
    /// start without waiting. The _async twin: see set_depth_async.
    void start_async(ResultHandler done);
    /// Stops the needle; RF and LED keep their modes.
    void stop();
    /// stop without waiting. The _async twin: see set_depth_async.
    void stop_async(ResultHandler done);
    /// RF and LED are standard profiles (docs/modules.md, "Standard profiles"). If a fitted
    /// module declares the "rf" profile (whatever its key: the standard modules/rf.json or a
    /// vendor's), set_rf_mode is a facade: it becomes one atomic set_params on that module
    /// (the first such, by slot) with enabled, polarity (label), frequency (kHz), power (W) and
    /// pulse (ms), checked against the module's descriptor and refused in its terms
    /// ("rf.power 25 W exceeds the module's maximum of 20 W"). Likewise set_led_mode for "led":
    /// wavelength_nm picks the LED module whose wavelength parameter accepts it
    /// (NotSupportedError naming the fitted ones otherwise), and pulse_rate and duty are sent
    /// only when pulsed. Their readings are then in Status::telemetry (Module::telemetry), and
    /// their settings are read with get_params; capabilities().rf/led and read_settings().rf/led
    /// describe only a built-in add-on. If no such module is fitted, the pen's built-in RF or
    /// LED add-on is driven as before (SetRf/SetLed, checked against capabilities()).
    void set_rf_mode(const RfMode& mode);
    /// set_rf_mode without waiting. The _async twin: see set_depth_async.
    void set_rf_mode_async(const RfMode& mode, ResultHandler done);
    /// Sets the LED mode (see set_rf_mode for modules of the "led" profile).
    void set_led_mode(const LedMode& mode);
    /// set_led_mode without waiting. The _async twin: see set_depth_async.
    void set_led_mode_async(const LedMode& mode, ResultHandler done);
    /// Stops needle, RF and LED at once and latches until clear_emergency_stop(). Sent at the
    /// next frame boundary ahead of anything queued, and resent until the pen acknowledges or
    /// the link is declared lost.
    void emergency_stop();
    /// emergency_stop without waiting. The _async twin: see set_depth_async.
    void emergency_stop_async(ResultHandler done);
    /// Releases a latched emergency stop; outputs stay off until commanded again.
    void clear_emergency_stop();
    /// clear_emergency_stop without waiting. The _async twin: see set_depth_async.
    void clear_emergency_stop_async(ResultHandler done);
    /// Clears latched faults whose cause has gone.
    void clear_faults();

    /// Asks the pen for its current set points (depth, limit, speed, RF, LED, status rate).
    /// After a TimeoutError or a ConnectionError (ConnectionLost) a command's outcome is unknown
    /// (it was applied at most once, never after a newer command of its kind): this says what
    /// holds.
    PenSettings read_settings();

    /// Calls handler with status frames at about rate_hz (1 Hz up): the pen streams at the
    /// highest rate any subscriber asked for, capped by what the link carries (about half of it,
    /// e.g. 85 Hz at 115200 baud, 50 Hz with 8 module telemetry values; no cap on TCP, in-process
    /// and pseudo-terminal links), and each subscriber gets frames at its own rate. Frames
    /// coming faster than one every 2 ms reach the callbacks in runs at most once every 2 ms
    /// (each frame once, in order), so a frame may wait up to 2 ms. While they do, what else
    /// the pen sends (events, answers to asynchronous commands) may wait as long.
    [[nodiscard]] Subscription subscribe_status(StatusHandler handler, std::int32_t rate_hz = 50);
    /// Calls handler with each event (fault raised, button pressed, ...).
    [[nodiscard]] Subscription subscribe_events(EventHandler handler);
    /// Calls handler(state, reason) when the link state changes; reason is ""
    /// for ordinary changes.
    [[nodiscard]] Subscription subscribe_connection_state(ConnectionStateHandler handler);

    // ---- add-on modules (penlink/module.hpp, docs/modules.md) ----
    // A module is named by its descriptor's key ("cooling"), or "key@slot" when two of a kind
    // are fitted. Values are checked against the descriptor before anything is sent; errors
    // name "module.key", the value, the limit and the unit.

    /// The modules fitted, as the pen reported them; read again after a ModuleAttached or
    /// ModuleDetached event. Throws like a command while re-reading.
    std::vector<Module> modules();
    /// Throws NotSupportedError naming the fitted modules if none matches.
    Module module(const std::string& module);
    /// Sets every value at once: the pen applies all or none (one Ack, or one Nack naming the
    /// first offending parameter). At most 16 values.
    void set_params(const std::string& module, const std::vector<ParamSetting>& values);
    /// set_params without waiting. The _async twin: see set_depth_async.
    void set_params_async(const std::string& module, const std::vector<ParamSetting>& values,
                          ResultHandler done);
    /// Sets one parameter of a module: set_param("cooling", "setpoint_c", 12.5).
    void set_param(const std::string& module, const std::string& key, const ParamValue& value);
    /// Reads one parameter's current value from the pen.
    ParamValue get_param(const std::string& module, const std::string& key);
    /// Reads every parameter of the module, in descriptor order.
    std::vector<ParamSetting> get_params(const std::string& module);

    /// Records every frame in and out from now on (with a monotonic timestamp) into a new file at
    /// path, until the Recorder is stopped or destroyed or the pen is closed (docs/records.md;
    /// replay:// plays a recording back). Cheap enough to leave on (bench/README.md). Throws
    /// InvalidArgumentError if the file cannot be created or a recording already runs on this
    /// pen, ConnectionError if the pen is closed.
    [[nodiscard]] Recorder start_recording(const std::string& path);
    /// The recording this pen is writing now (ConnectOptions::record_path or a Recorder not yet
    /// stopped), or nullopt. A treatment run records it with the run (treatment::RunRecord), so
    /// the run's raw session can be found again. Any thread.
    std::optional<RecordingFile> active_recording() const;

    /// The newest status frame received, if any.
    std::optional<Status> latest_status() const;
    /// Status frames the pen sent that never reached a callback (lost on the link, by sequence
    /// gaps, or dropped from a full callback queue).
    std::uint64_t dropped_status_frames() const;
    /// Status frames received since connect.
    std::uint64_t received_status_frames() const;

    struct Impl;

private:
    explicit Pen(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

/// Serial ports on this machine, with USB VID/PID, serial number and description where known.
/// Throws ConnectionError if the OS refuses to enumerate.
PENLINK_EXPORT std::vector<SerialPortInfo> list_serial_ports();

/// Where the SDK's log goes. The default writes warnings and errors to stderr. The sink may be
/// called from any SDK thread, but never concurrently. Pass an empty sink to silence the log.
using LogSink = std::function<void(LogLevel, const std::string& message)>;
/// Both throw InvalidArgumentError for a level outside Trace..Off.
PENLINK_EXPORT void set_log_sink(LogSink sink, LogLevel min_level = LogLevel::Warning);
/// Changes the level of the current log sink.
PENLINK_EXPORT void set_log_level(LogLevel min_level);

/// Runtime library version, "major.minor.patch".
PENLINK_EXPORT const char* version() noexcept;

}  // namespace penlink
