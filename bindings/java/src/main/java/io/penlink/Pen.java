package io.penlink;

import java.lang.ref.Cleaner;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A connection to one microneedling pen.
 *
 * <pre>{@code
 * try (Pen pen = Pen.connect("sim://?rf=1&led=1")) {
 *     pen.setDepthMm(1.0);
 *     pen.setSpeedHz(100);
 *     Subscription sub = pen.onStatus(s -> System.out.println(s.depthActualMm()), 100);
 *     pen.start();
 *     ...
 * }
 * }</pre>
 *
 * <p>Threads: methods are thread-safe. Listeners run on the pen's own callback thread, one at
 * a time and in order; they may call any method of the pen but should return quickly. Each
 * command returns once the pen acknowledged it, or throws a {@link PenException} subclass;
 * its {@code ...Async} twin returns a {@link CompletableFuture} instead.
 *
 * <p>Close the pen (try-with-resources) when done. A pen that becomes unreachable unclosed is
 * closed by a cleaner, with its subscriptions removed before anything native is freed.
 */
public final class Pen implements AutoCloseable {
    private static final Cleaner CLEANER = Cleaner.create();

    private final PenResources resources;
    private final Cleaner.Cleanable cleanable;
    private final DeviceInfo info;
    private final Capabilities capabilities;

    private Pen(NativePen pen) {
        this.resources = new PenResources(pen);
        this.cleanable = CLEANER.register(this, resources);
        this.info = Convert.deviceInfo(pen.info());
        this.capabilities = Convert.capabilities(pen.capabilities());
    }

    /**
     * Connects and performs the handshake. URLs: {@code serial:///dev/ttyUSB0?baud=115200},
     * {@code tcp://127.0.0.1:7878}, {@code sim://?rf=1&led=1}.
     *
     * @throws InvalidArgumentException bad URL
     * @throws ConnectionException port missing or busy, connection refused
     * @throws TimeoutException no answer
     * @throws RejectedException incompatible protocol version
     */
    public static Pen connect(String url) {
        return connect(url, ConnectOptions.defaults());
    }

    public static Pen connect(String url, ConnectOptions options) {
        Convert.require(url, "url");
        return new Pen(NativePen.connect(url, Convert.connectOptions(options)));
    }

    /**
     * Connects with the keys of the pens this program may drive: with the pen's key the session
     * is authenticated (docs/protocol.md section 16).
     *
     * @throws AuthenticationException no key for a pen that requires one (or keys require
     *     authentication), a key that is not the pen's, or a pen that cannot prove itself
     */
    public static Pen connect(String url, ConnectOptions options, PenKeys keys) {
        Convert.require(url, "url");
        Convert.require(keys, "keys");
        NativeConnectOptions native_ = Convert.connectOptions(options);
        keys.applyTo(native_);
        return new Pen(NativePen.connect(url, native_));
    }

    /** True while the session is authenticated. */
    public boolean authenticated() {
        return resources.pen.authenticated();
    }

    /** What the authenticated-session checks rejected in this session. */
    public SecurityStats securityStats() {
        NativeSecurityStats s = resources.pen.security_stats();
        return new SecurityStats(s.getAuthenticated(), s.getForged().longValue(),
                s.getReplayed().longValue(), s.getUnauthenticated().longValue(),
                s.getRejected_by_pen());
    }

    /**
     * Installs a new 32-byte key on the pen over the authenticated session (sent AES
     * key-wrapped); the pen and this Pen's {@link #reconnect()} use it from then on.
     *
     * @throws AuthenticationException the session is not authenticated
     */
    public void changeKey(byte[] newKey) {
        Convert.require(newKey, "newKey");
        if (newKey.length != 32) {
            throw new InvalidArgumentException("a new pen key must have 32 bytes; this one has "
                    + newKey.length);
        }
        resources.pen.change_key_hex(java.util.HexFormat.of().formatHex(newKey));
    }

    public String url() {
        return resources.pen.url();
    }

    public ConnectionState connectionState() {
        return Convert.connectionState(resources.pen.connection_state());
    }

    /** Identity from the handshake. */
    public DeviceInfo info() {
        return info;
    }

    /** Ranges and add-ons from the handshake. */
    public Capabilities capabilities() {
        return capabilities;
    }

    /** Host-side depth ceiling (e.g. 1.5 mm for a cheek protocol), at most the pen's maximum. */
    public void setDepthLimitMm(double millimetres) {
        resources.pen.set_depth_limit(NativeDepth.mm(millimetres));
    }

    public double depthLimitMm() {
        return resources.pen.depth_limit().in_mm();
    }

    /** @throws OutOfRangeException outside the pen's range, off its step grid, or past the limit */
    public void setDepthMm(double millimetres) {
        resources.pen.set_depth(NativeDepth.mm(millimetres));
    }

    /** @throws OutOfRangeException outside the pen's speed range */
    public void setSpeedHz(double hertz) {
        resources.pen.set_speed(NativeSpeed.hz(hertz));
    }

    /** @throws SafetyException emergency stop or a fault is latched */
    public void start() {
        resources.pen.start();
    }

    public void stop() {
        resources.pen.stop();
    }

    /** @throws NotSupportedException the pen has no RF add-on */
    public void setRfMode(RfMode mode) {
        resources.pen.set_rf_mode(Convert.rfMode(mode));
    }

    /** @throws NotSupportedException no LED add-on, or no channel at that wavelength */
    public void setLedMode(LedMode mode) {
        resources.pen.set_led_mode(Convert.ledMode(mode));
    }

    /** Stops needle, RF and LED at once and latches until {@link #clearEmergencyStop()}. */
    public void emergencyStop() {
        resources.pen.emergency_stop();
    }

    public void clearEmergencyStop() {
        resources.pen.clear_emergency_stop();
    }

    /** Clears latched faults whose cause has gone. */
    public void clearFaults() {
        resources.pen.clear_faults();
    }

    /**
     * Records every frame of this pen's link from now on into a file (docs/records.md) that
     * {@link Recording#read(Path)} reads back; close the recorder to stop. Such a recording has
     * no handshake, so replay:// cannot play it. {@link InvalidArgumentException} naming the
     * file if it cannot be created, or naming the file being written if the pen is already
     * recording.
     *
     * @param path the recording file (created or replaced)
     * @return the recording in progress
     */
    public Recorder startRecording(Path path) {
        Convert.require(path, "the recording path");
        return new Recorder(this, path, NativeRecorder.start(resources.pen, path.toString()));
    }

    /**
     * Asks the pen for its current set points (depth, depth limit, speed, running, RF, LED,
     * status rate, faults). After a command threw {@link TimeoutException} or
     * {@link ConnectionException} its outcome is unknown (it was applied at most once, never
     * after a newer command of its kind): this says what holds, also after
     * {@link #reconnect()}. Blocks until the pen answers; throws like a command.
     */
    public PenSettings readSettings() {
        return Convert.penSettings(resources.pen.read_settings());
    }

    // Asynchronous twins of the commands above. Each returns at once; the future completes
    // with null once the pen acknowledged, or exceptionally with the PenException subclass the
    // blocking call would throw (a refusal on the host, such as a value out of range, arrives
    // the same way, never as a throw). Futures complete on the pen's callback thread, where
    // non-async dependent stages (thenRun, whenComplete) then run too: use the *Async stage
    // methods to move work elsewhere. Closing the pen or losing the link completes what is in
    // flight with a ConnectionException.

    public CompletableFuture<Void> setDepthMmAsync(double millimetres) {
        NativeDepth depth;
        try {
            depth = NativeDepth.mm(millimetres);
        } catch (PenException refused) {  // NaN, infinity: through the future, as promised
            return CompletableFuture.failedFuture(refused);
        }
        return Completions.submit(done -> resources.pen.set_depth_async(depth, done));
    }

    public CompletableFuture<Void> setSpeedHzAsync(double hertz) {
        NativeSpeed speed;
        try {
            speed = NativeSpeed.hz(hertz);
        } catch (PenException refused) {
            return CompletableFuture.failedFuture(refused);
        }
        return Completions.submit(done -> resources.pen.set_speed_async(speed, done));
    }

    public CompletableFuture<Void> startAsync() {
        return Completions.submit(resources.pen::start_async);
    }

    public CompletableFuture<Void> stopAsync() {
        return Completions.submit(resources.pen::stop_async);
    }

    public CompletableFuture<Void> setRfModeAsync(RfMode mode) {
        NativeRfMode nativeMode;
        try {
            nativeMode = Convert.rfMode(mode);
        } catch (PenException refused) {
            return CompletableFuture.failedFuture(refused);
        }
        return Completions.submit(done -> resources.pen.set_rf_mode_async(nativeMode, done));
    }

    public CompletableFuture<Void> setLedModeAsync(LedMode mode) {
        NativeLedMode nativeMode;
        try {
            nativeMode = Convert.ledMode(mode);
        } catch (PenException refused) {
            return CompletableFuture.failedFuture(refused);
        }
        return Completions.submit(done -> resources.pen.set_led_mode_async(nativeMode, done));
    }

    public CompletableFuture<Void> emergencyStopAsync() {
        return Completions.submit(resources.pen::emergency_stop_async);
    }

    public CompletableFuture<Void> clearEmergencyStopAsync() {
        return Completions.submit(resources.pen::clear_emergency_stop_async);
    }

    // Add-on modules (see PenModule). A module is named by its descriptor's key ("cooling"), or
    // "key@slot" when two of a kind are fitted. Values are Boolean, Number or String (an enum's
    // label), checked against the descriptor before anything is sent; errors name
    // "module.key", the value, the limit and the unit.

    /**
     * The modules fitted, as the pen reported them (read again by the SDK after a
     * MODULE_ATTACHED or MODULE_DETACHED event). Each keeps this pen reachable.
     */
    public List<PenModule> modules() {
        List<PenModule> modules = new ArrayList<>();
        for (NativeModuleInfo info : resources.pen.modules()) {
            modules.add(Convert.module(this, info));
        }
        return List.copyOf(modules);
    }

    /** @throws NotSupportedException no fitted module matches (the message names those fitted) */
    public PenModule module(String module) {
        Convert.require(module, "module");
        return Convert.module(this, resources.pen.module(module));
    }

    /**
     * Sets every value at once: the pen applies all or none (a refusal names the first
     * offending parameter). Values: Boolean, Number, or String for an enum's label.
     */
    public void setParams(String module, Map<String, ?> values) {
        Convert.require(module, "module");
        ModuleParams.setParams(resources.pen, module, module, values);
    }

    public CompletableFuture<Void> setParamsAsync(String module, Map<String, ?> values) {
        if (module == null) {
            return CompletableFuture.failedFuture(new InvalidArgumentException("module is null"));
        }
        return ModuleParams.setParamsAsync(resources.pen, module, module, values);
    }

    /** Sets one parameter: {@code setParam("cooling", "setpoint_c", 12.5)}. */
    public void setParam(String module, String key, Object value) {
        Convert.require(module, "module");
        ModuleParams.setParam(resources.pen, module, module, key, value);
    }

    /** Reads one parameter's current value from the pen: a Boolean, Double or String. */
    public Object getParam(String module, String key) {
        Convert.require(module, "module");
        Convert.require(key, "parameter key of " + module);
        return Convert.paramValue(resources.pen.get_param(module, key));
    }

    /** Every parameter of the module, read from the pen, in descriptor order (unmodifiable). */
    public Map<String, Object> getParams(String module) {
        Convert.require(module, "module");
        return Convert.paramMap(resources.pen.get_params(module));
    }

    /** Status frames at the pen's default subscription rate (50 Hz). */
    public Subscription onStatus(StatusListener listener) {
        return onStatus(listener, 50);
    }

    /**
     * Calls listener for each status frame; asks the pen to stream at least rateHz. Frames coming
     * faster than one every 2 ms arrive in runs at most once every 2 ms (each frame once, in
     * order), so a frame may wait up to 2 ms. While they do, what else the pen sends (events,
     * answers to asynchronous commands) may wait as long.
     */
    public Subscription onStatus(StatusListener listener, int rateHz) {
        Bridges.StatusBridge bridge = new Bridges.StatusBridge(requireListener(listener));
        return register(resources.pen.subscribe_status(bridge, rateHz), bridge);
    }

    public Subscription onEvent(EventListener listener) {
        Bridges.EventBridge bridge = new Bridges.EventBridge(requireListener(listener));
        return register(resources.pen.subscribe_events(bridge), bridge);
    }

    public Subscription onConnectionState(ConnectionListener listener) {
        Bridges.ConnectionBridge bridge = new Bridges.ConnectionBridge(requireListener(listener));
        return register(resources.pen.subscribe_connection_state(bridge), bridge);
    }

    /** The newest status frame received, if any. */
    public Optional<Status> latestStatus() {
        NativePen pen = resources.pen;
        return pen.has_latest_status() ? Optional.of(Convert.status(pen.latest_status()))
                                       : Optional.empty();
    }

    /** Status frames the pen sent that never reached a listener. */
    public long droppedStatusFrames() {
        return resources.pen.dropped_status_frames().longValue();
    }

    public long receivedStatusFrames() {
        return resources.pen.received_status_frames().longValue();
    }

    /** After the connection was lost: opens the link again and redoes the handshake; listeners
     * stay registered. Does nothing while connected; throws {@link ConnectionException} if a
     * different pen answers. */
    public void reconnect() {
        resources.pen.reconnect();
    }

    /** Removes every subscription, stops streaming and closes the link. Idempotent; later
     * commands throw {@link ConnectionException}. */
    @Override
    public void close() {
        cleanable.clean();
    }

    PenResources resources() {
        return resources;
    }

    private Subscription register(NativeSubscription subscription, Object director) {
        Subscription.Registration registration = new Subscription.Registration(subscription, director);
        if (!resources.add(registration)) {
            registration.unsubscribe();
            throw new ConnectionException(ErrorCode.NOT_CONNECTED, "the pen is closed");
        }
        return new Subscription(this, registration);
    }

    private static <T> T requireListener(T listener) {
        if (listener == null) {
            throw new InvalidArgumentException("the listener is null");
        }
        return listener;
    }
}
