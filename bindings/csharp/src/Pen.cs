// A connection to one microneedling pen.
//
//   using (var pen = Pen.Connect("sim://?rf=1&led=1"))
//   {
//       pen.SetDepthMm(1.0);
//       pen.SetSpeedHz(100);
//       using (pen.OnStatus(s => Console.WriteLine(s.DepthActualMm), rateHz: 100))
//       {
//           pen.Start();
//           ...
//       }
//   }
//
// Threads: methods are thread-safe. Handlers run on the pen's own callback thread, one at a
// time and in order; they may call any method of the pen but should return quickly. Each
// command returns once the pen acknowledged it, or throws a PenException subclass; its ...Async
// twin returns a Task instead.
using System;
using System.Collections.Generic;
using System.Threading.Tasks;

namespace Penlink
{
    public sealed class Pen : IDisposable
    {
        readonly Resources resources;

        Pen(NativePen native)
        {
            resources = new Resources(native);
            Info = Convert.ToDeviceInfo(native.info());
            Capabilities = Convert.ToCapabilities(native.capabilities());
        }

        // An undisposed pen that becomes unreachable is closed here, in order: its resources
        // are still rooted (see Resources), so no proxy or delegate has been finalized yet.
        ~Pen()
        {
            resources.Close();
        }

        /// <summary>Connects and performs the handshake. URLs: serial:///dev/ttyUSB0?baud=115200,
        /// tcp://127.0.0.1:7878, sim://?rf=1&amp;led=1. Throws InvalidArgumentException (bad URL),
        /// ConnectionException (port missing, refused), TimeoutException (no answer) or
        /// RejectedException (incompatible protocol).</summary>
        public static Pen Connect(string url, ConnectOptions options = null)
        {
            Convert.Require(url, "url");
            using (var nativeOptions = Convert.ToNative(options ?? new ConnectOptions()))
                return new Pen(NativePen.connect(url, nativeOptions));
        }

        public string Url => resources.Native.url();
        public ConnectionState ConnectionState => (ConnectionState)(int)resources.Native.connection_state();
        /// <summary>Identity from the handshake.</summary>
        public DeviceInfo Info { get; }
        /// <summary>Ranges and add-ons from the handshake.</summary>
        public Capabilities Capabilities { get; }

        /// <summary>Host-side depth ceiling (e.g. 1.5 mm for a cheek protocol), at most the
        /// pen's maximum.</summary>
        public double DepthLimitMm
        {
            get { using (var limit = resources.Native.depth_limit()) return limit.in_mm(); }
            set { using (var limit = NativeDepth.mm(value)) resources.Native.set_depth_limit(limit); }
        }

        /// <summary>Throws OutOfRangeException outside the pen's range, off its step grid or
        /// past DepthLimitMm.</summary>
        public void SetDepthMm(double millimetres)
        {
            using (var depth = NativeDepth.mm(millimetres)) resources.Native.set_depth(depth);
        }

        public void SetSpeedHz(double hertz)
        {
            using (var speed = NativeSpeed.hz(hertz)) resources.Native.set_speed(speed);
        }

        /// <summary>Throws SafetyException while an emergency stop or a fault is latched.</summary>
        public void Start() => resources.Native.start();
        public void Stop() => resources.Native.stop();

        /// <summary>Records every frame of this pen's link from now on into path
        /// (docs/records.md), which Recording.Read reads back; dispose the recorder to stop.
        /// Such a recording has no handshake, so replay:// cannot play it.
        /// InvalidArgumentException naming the file if it cannot be created, or naming the file
        /// being written if the pen is already recording.</summary>
        public Recorder StartRecording(string path)
        {
            Convert.Require(path, "the recording path");
            return new Recorder(this, path, NativeRecorder.start(resources.Native, path));
        }

        /// <summary>Throws NotSupportedException on a pen without the RF add-on.</summary>
        public void SetRfMode(RfMode mode)
        {
            using (var native = Convert.ToNative(mode)) resources.Native.set_rf_mode(native);
        }

        /// <summary>Throws NotSupportedException without the LED add-on or that wavelength.</summary>
        public void SetLedMode(LedMode mode)
        {
            using (var native = Convert.ToNative(mode)) resources.Native.set_led_mode(native);
        }

        /// <summary>Stops needle, RF and LED at once; latches until ClearEmergencyStop.</summary>
        public void EmergencyStop() => resources.Native.emergency_stop();
        public void ClearEmergencyStop() => resources.Native.clear_emergency_stop();
        /// <summary>Clears latched faults whose cause has gone.</summary>
        public void ClearFaults() => resources.Native.clear_faults();

        /// <summary>
        /// Asks the pen for its current set points (depth, depth limit, speed, running, RF, LED,
        /// status rate, faults). After a command threw TimeoutException or ConnectionException
        /// its outcome is unknown (it was applied at most once, never after a newer command of
        /// its kind): this says what holds, also after Reconnect. Blocks until the pen answers;
        /// throws like a command.
        /// </summary>
        public PenSettings ReadSettings() => Convert.ToPenSettings(resources.Native.read_settings());

        /// <summary>True while the session is authenticated (ConnectOptions.Keys).</summary>
        public bool Authenticated => resources.Native.authenticated();

        /// <summary>What the authenticated-session checks rejected in this session.</summary>
        public SecurityStats SecurityStats()
        {
            using (var s = resources.Native.security_stats())
                return new SecurityStats(s.authenticated, s.forged, s.replayed, s.unauthenticated,
                                         s.rejected_by_pen);
        }

        /// <summary>Installs a new 32-byte key on the pen over the authenticated session (sent AES
        /// key-wrapped); the pen and Reconnect() use it from then on. Throws
        /// AuthenticationException if the session is not authenticated.</summary>
        public void ChangeKey(byte[] newKey) =>
            resources.Native.change_key_hex(Convert.KeyHex(newKey, "the new key"));

        // Asynchronous twins of the commands above. Each returns at once; the task completes
        // once the pen acknowledged, or faults with the PenException subclass the blocking call
        // would throw (a refusal on the host, such as a value out of range, arrives the same
        // way, never as a throw). Continuations never run on the pen's callback thread.
        // Closing the pen or losing the link faults what is in flight with ConnectionException.

        public Task SetDepthMmAsync(double millimetres)
        {
            return Refusing(() =>
            {
                using (var depth = NativeDepth.mm(millimetres))
                    return CompletionBridge.Submit(done => resources.Native.set_depth_async(depth, done));
            });
        }

        public Task SetSpeedHzAsync(double hertz)
        {
            return Refusing(() =>
            {
                using (var speed = NativeSpeed.hz(hertz))
                    return CompletionBridge.Submit(done => resources.Native.set_speed_async(speed, done));
            });
        }

        public Task StartAsync() => CompletionBridge.Submit(resources.Native.start_async);
        public Task StopAsync() => CompletionBridge.Submit(resources.Native.stop_async);

        public Task SetRfModeAsync(RfMode mode)
        {
            return Refusing(() =>
            {
                using (var native = Convert.ToNative(mode))
                    return CompletionBridge.Submit(done => resources.Native.set_rf_mode_async(native, done));
            });
        }

        public Task SetLedModeAsync(LedMode mode)
        {
            return Refusing(() =>
            {
                using (var native = Convert.ToNative(mode))
                    return CompletionBridge.Submit(done => resources.Native.set_led_mode_async(native, done));
            });
        }

        // A bad argument (NaN, null) faults the task like any other host-side refusal, as the
        // async contract promises, instead of throwing from the call.
        static Task Refusing(Func<Task> submit)
        {
            try
            {
                return submit();
            }
            catch (PenException refused)
            {
                return Task.FromException(refused);
            }
        }

        public Task EmergencyStopAsync() => CompletionBridge.Submit(resources.Native.emergency_stop_async);
        public Task ClearEmergencyStopAsync() => CompletionBridge.Submit(resources.Native.clear_emergency_stop_async);

        // Add-on modules (see Module). A module is named by its descriptor's key ("cooling"), or
        // "key@slot" when two of a kind are fitted. Values are bool, a number or string (an
        // enum's label), checked against the descriptor before anything is sent; errors name
        // "module.key", the value, the limit and the unit.

        /// <summary>The modules fitted, as the pen reported them (read again by the SDK after a
        /// ModuleAttached or ModuleDetached event). Each keeps this pen reachable.</summary>
        public IReadOnlyList<Module> Modules
        {
            get
            {
                var modules = new List<Module>();
                using (var natives = resources.Native.modules())
                    foreach (NativeModuleInfo info in natives)
                        modules.Add(Convert.ToModule(this, info));
                return modules.AsReadOnly();
            }
        }

        /// <summary>The module named "key" or "key@slot"; throws NotSupportedException naming
        /// the fitted ones if none matches.</summary>
        public Module Module(string module)
        {
            Convert.Require(module, "module");
            using (var info = resources.Native.module(module)) return Convert.ToModule(this, info);
        }

        /// <summary>Sets every value at once: the pen applies all or none (a refusal names the
        /// first offending parameter).</summary>
        public void SetParams(string module, IDictionary<string, object> values)
        {
            Convert.Require(module, "module");
            SetParams(module, module, values);
        }

        public Task SetParamsAsync(string module, IDictionary<string, object> values)
        {
            if (module == null) return Task.FromException(new InvalidArgumentException("module is null"));
            return SetParamsAsync(module, module, values);
        }

        /// <summary>Sets one parameter: SetParam("cooling", "setpoint_c", 12.5).</summary>
        public void SetParam(string module, string key, object value)
        {
            Convert.Require(module, "module");
            SetParam(module, module, key, value);
        }

        // selector names the module for the SDK ("cooling@2"), name for errors raised here
        // ("cooling.setpoint_c", as the SDK's own errors name it).

        internal void SetParams(string selector, string name, IDictionary<string, object> values)
        {
            using (var list = Convert.ToParamList(name, values)) resources.Native.set_params(selector, list);
        }

        internal Task SetParamsAsync(string selector, string name, IDictionary<string, object> values)
        {
            return Refusing(() =>
            {
                using (var list = Convert.ToParamList(name, values))
                    return CompletionBridge.Submit(done => resources.Native.set_params_async(selector, list, done));
            });
        }

        internal void SetParam(string selector, string name, string key, object value)
        {
            Convert.Require(key, "parameter key of " + name);
            using (var native = Convert.ToParamValue(name + "." + key, value))
                resources.Native.set_param(selector, key, native);
        }

        /// <summary>Reads one parameter's current value from the pen: a bool, double or string.</summary>
        public object GetParam(string module, string key)
        {
            Convert.Require(module, "module");
            Convert.Require(key, "parameter key of " + module);
            using (var native = resources.Native.get_param(module, key)) return Convert.FromParamValue(native);
        }

        /// <summary>Every parameter of the module, read from the pen, in descriptor order.</summary>
        public IReadOnlyDictionary<string, object> GetParams(string module)
        {
            Convert.Require(module, "module");
            using (var list = resources.Native.get_params(module)) return Convert.ToDictionary(list);
        }

        /// <summary>Calls handler for each status frame; asks the pen to stream at least
        /// rateHz. Frames coming faster than one every 2 ms arrive in runs at most once every
        /// 2 ms (each frame once, in order), so a frame may wait up to 2 ms. While they do,
        /// what else the pen sends (events, answers to asynchronous commands) may wait as
        /// long. Dispose the result to stop; the pen keeps undisposed subscriptions until it is
        /// closed.</summary>
        public Subscription OnStatus(Action<Status> handler, int rateHz = 50)
        {
            var bridge = new StatusBridge(Require(handler));
            return Register(resources.Native.subscribe_status(bridge, rateHz), bridge);
        }

        public Subscription OnEvent(Action<Event> handler)
        {
            var bridge = new EventBridge(Require(handler));
            return Register(resources.Native.subscribe_events(bridge), bridge);
        }

        /// <summary>reason says why, e.g. "no answer for 500 ms"; empty for ordinary changes.</summary>
        public Subscription OnConnectionState(Action<ConnectionState, string> handler)
        {
            var bridge = new ConnectionBridge(Require(handler));
            return Register(resources.Native.subscribe_connection_state(bridge), bridge);
        }

        /// <summary>The newest status frame received, or null if none yet.</summary>
        public Status? LatestStatus
        {
            get
            {
                NativePen native = resources.Native;
                if (!native.has_latest_status()) return null;
                using (var status = native.latest_status()) return Convert.ToStatus(status);
            }
        }

        /// <summary>Status frames the pen sent that never reached a handler.</summary>
        public ulong DroppedStatusFrames => resources.Native.dropped_status_frames();
        public ulong ReceivedStatusFrames => resources.Native.received_status_frames();

        /// <summary>After the connection was lost: opens the link again and redoes the
        /// handshake; handlers stay registered. Does nothing while connected; throws
        /// ConnectionException if a different pen answers.</summary>
        public void Reconnect() => resources.Native.reconnect();

        /// <summary>Removes every subscription, stops streaming and closes the link.
        /// Idempotent; later commands throw ConnectionException.</summary>
        public void Close()
        {
            resources.Close();
            GC.SuppressFinalize(this);
        }

        public void Dispose() => Close();

        internal Resources NativeResources => resources;

        Subscription Register(NativeSubscription subscription, object bridge)
        {
            var registration = new Registration(subscription, bridge);
            if (!resources.Add(registration))
            {
                registration.Unsubscribe();
                throw new ConnectionException(ErrorCode.NotConnected, "the pen is closed");
            }
            return new Subscription(this, registration);
        }

        static T Require<T>(T handler) where T : class
        {
            if (handler == null) throw new InvalidArgumentException("the handler is null");
            return handler;
        }
    }
}
