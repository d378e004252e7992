// Library-wide settings and functions: connection options, version, serial ports, the SDK log.
using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;

// The tests drive internal hooks (e.g. the native log) directly.
[assembly: InternalsVisibleTo("PenlinkTests")]

namespace Penlink
{
    /// <summary>Which threads carry a pen's traffic and run its callbacks
    /// (ConnectOptions.Threading; docs/architecture.md, Threads). The numbers are the C++
    /// ones.</summary>
    public enum Threading
    {
        /// <summary>Every pen shares penlink's I/O thread and two callback threads (the
        /// default): a process with hundreds of pens runs three penlink threads. One pen's
        /// handlers still never run two at a time.</summary>
        Shared = 0,
        /// <summary>The pen has an I/O thread and a callback thread of its own, so no other
        /// pen's traffic or slow handler can delay it (two threads more per pen).</summary>
        Dedicated = 1,
    }

    /// <summary>How Pen.Connect talks to the pen. Times in milliseconds; 0 for the command
    /// timeout suits it to the link (300 ms, longer on a slow Bluetooth LE link), 0 for
    /// heartbeat and link timeout derives them from the pen's watchdog period and the link
    /// (docs/protocol.md 11.1).</summary>
    public sealed class ConnectOptions
    {
        public int ConnectTimeoutMs { get; set; } = 3000;
        /// <summary>How long to wait for an acknowledgement before resending; 0 = suited to
        /// the link.</summary>
        public int CommandTimeoutMs { get; set; }
        /// <summary>Resends (the pen applies a command once) before a TimeoutException.</summary>
        public int CommandRetries { get; set; } = 2;
        public int HeartbeatIntervalMs { get; set; }
        public int LinkTimeoutMs { get; set; }
        /// <summary>Status rate kept while nobody subscribed (keeps LatestStatus fresh).</summary>
        public int IdleStatusRateHz { get; set; } = 10;
        /// <summary>Frames beyond this many queued for handlers are dropped and counted.</summary>
        public int CallbackQueueCapacity { get; set; } = 4096;
        /// <summary>Directories of partner module descriptors (*.json) for pens that cannot
        /// store theirs, searched before the PENLINK_MODULE_PATH environment variable.</summary>
        public IList<string> ModulePaths { get; set; } = new List<string>();
        /// <summary>The 32-byte keys of the pens this program may drive, by serial number: with
        /// the pen's key the session is authenticated (docs/protocol.md section 16).</summary>
        public IDictionary<string, byte[]> Keys { get; set; } = new Dictionary<string, byte[]>();
        /// <summary>Files of "SERIAL HEX" key lines (mode 600), read when connecting.</summary>
        public IList<string> KeyFiles { get; set; } = new List<string>();
        /// <summary>Refuse every pen no key is given for, even one that would run
        /// unauthenticated.</summary>
        public bool RequireAuthentication { get; set; }
        /// <summary>Shared (the default): the pen shares penlink's threads with every other
        /// pen. Dedicated: it gets an I/O thread and a callback thread of its own.</summary>
        public Threading Threading { get; set; } = Threading.Shared;
        /// <summary>Non-empty: the whole session, from the handshake on, is recorded into
        /// this file (docs/records.md); Recording.Read reads it back, replay:// plays
        /// it.</summary>
        public string RecordPath { get; set; }

        public override string ToString() =>
            $"ConnectOptions(connect {ConnectTimeoutMs} ms, command {CommandTimeoutMs} ms x{CommandRetries + 1}, heartbeat {HeartbeatIntervalMs} ms, link {LinkTimeoutMs} ms, idle status {IdleStatusRateHz} Hz, queue {CallbackQueueCapacity}, module paths [{string.Join(", ", ModulePaths)}], {Keys.Count} keys, {KeyFiles.Count} key files{(RequireAuthentication ? ", authentication required" : "")}, {Threading} threading)";
    }

    /// <summary>A serial port on this machine; UsbVid and UsbPid are 0 if it is not USB.</summary>
    public sealed class SerialPortInfo
    {
        internal SerialPortInfo(string path, string description, bool isUsb, int usbVid, int usbPid,
                                string manufacturer, string product, string serialNumber)
        {
            Path = path;
            Description = description;
            IsUsb = isUsb;
            UsbVid = usbVid;
            UsbPid = usbPid;
            Manufacturer = manufacturer;
            Product = product;
            SerialNumber = serialNumber;
        }

        public string Path { get; }
        public string Description { get; }
        public bool IsUsb { get; }
        public int UsbVid { get; }
        public int UsbPid { get; }
        public string Manufacturer { get; }
        public string Product { get; }
        public string SerialNumber { get; }
        public override string ToString() => $"{Path} ({Description})";
    }

    /// <summary>A pen found by Sdk.Discover: Url is ready for Pen.Connect. BLE pens carry
    /// Address, Adapter and (when seen while scanning) RssiDbm; USB serial pens their VID, PID
    /// and serial number.</summary>
    public sealed class DiscoveredPen
    {
        internal DiscoveredPen(string url, string name, TransportKind transport, string address,
                               string adapter, int? rssiDbm, int usbVid, int usbPid,
                               string serialNumber)
        {
            Url = url;
            Name = name;
            Transport = transport;
            Address = address;
            Adapter = adapter;
            RssiDbm = rssiDbm;
            UsbVid = usbVid;
            UsbPid = usbPid;
            SerialNumber = serialNumber;
        }

        public string Url { get; }
        public string Name { get; }
        public TransportKind Transport { get; }
        public string Address { get; }
        public string Adapter { get; }
        public int? RssiDbm { get; }
        public int UsbVid { get; }
        public int UsbPid { get; }
        public string SerialNumber { get; }
        public override string ToString() => $"{Url} ({Name})";
    }

    public static class Sdk
    {
        static readonly object logLock = new object();
        // C++ holds only a plain pointer to the log director: keep it referenced here (written,
        // never read, which is the point).
#pragma warning disable 414
        static LogBridge logBridge;
#pragma warning restore 414

        /// <summary>Version of the native library, "major.minor.patch".</summary>
        public static string Version => penlink_csharp.version();

        public static IReadOnlyList<SerialPortInfo> ListSerialPorts()
        {
            var ports = new List<SerialPortInfo>();
            using (var native = penlink_csharp.list_serial_ports())
                foreach (NativeSerialPortInfo port in native) ports.Add(Convert.ToSerialPort(port));
            return ports.AsReadOnly();
        }

        /// <summary>Pens on every transport found within timeoutMs: USB serial ports with a known
        /// pen's VID/PID, and BLE devices advertising the penlink service (BLE scans that long).
        /// A transport that cannot be searched (no BlueZ, adapter off) is skipped with a log
        /// warning. Throws InvalidArgumentException for a negative timeout or a bad adapter.</summary>
        /// <remarks>progress, if given, is told of each pen as soon as it is found: Report runs
        /// on the calling thread before Discover returns (a System.Progress posts it on to the
        /// context it was made on), so a program can show pens during a long BLE scan. If Report
        /// throws, later pens are not reported and Discover rethrows that exception once the scan
        /// ends.</remarks>
        public static IReadOnlyList<DiscoveredPen> Discover(int timeoutMs, bool serial = true,
                                                            bool ble = true, string namePrefix = "",
                                                            string bleAdapter = "",
                                                            IProgress<DiscoveredPen> progress = null)
        {
            Convert.Require(namePrefix, "name prefix");
            Convert.Require(bleAdapter, "BLE adapter");
            var pens = new List<DiscoveredPen>();
            using (var bridge = progress == null ? null : new FoundBridge(progress))
            {
                using (var native = penlink_csharp.discover_pens(timeoutMs, serial, ble, namePrefix,
                                                                 bleAdapter, bridge))
                    foreach (NativeDiscoveredPen pen in native) pens.Add(Convert.ToDiscoveredPen(pen));
                bridge?.Error?.Throw();
            }
            return pens.AsReadOnly();
        }

        /// <summary>Hands found pens to the program's IProgress; keeps what it threw for
        /// Discover to rethrow.</summary>
        sealed class FoundBridge : NativeDiscoveryListener
        {
            readonly IProgress<DiscoveredPen> progress;
            internal ExceptionDispatchInfo Error { get; private set; }

            internal FoundBridge(IProgress<DiscoveredPen> progress) { this.progress = progress; }

            public override void on_found(NativeDiscoveredPen pen)
            {
                if (Error != null) return;
                try { progress.Report(Convert.ToDiscoveredPen(pen)); }
                catch (Exception error) { Error = ExceptionDispatchInfo.Capture(error); }
            }
        }

        /// <summary>Sends SDK log lines at minLevel and above to handler (null: back to stderr).
        /// The handler may be called from any SDK thread, never two calls at once.</summary>
        public static void SetLogHandler(Action<LogLevel, string> handler, LogLevel minLevel = LogLevel.Warning)
        {
            if (!Enum.IsDefined(typeof(LogLevel), minLevel))
                throw new InvalidArgumentException("log level " + (int)minLevel +
                                                   " is not one of trace (0) to off (5)");
            lock (logLock)
            {
                LogBridge bridge = handler == null ? null : new LogBridge(handler);
                penlink_csharp.set_log_listener(bridge, (NativeLogLevel)(int)minLevel);
                // Only now, with the new listener installed, may the old one be collected.
                logBridge = bridge;
            }
        }

        /// <summary>Parses and checks a module descriptor (JSON text, docs/modules.md), e.g. one a
        /// partner ships for a pen that cannot store it. Throws InvalidArgumentException naming
        /// the bad field, e.g. parameters[2] ("setpoint_c"): min 30 &gt; max 20.</summary>
        public static ModuleDescriptor ParseModuleDescriptor(string json)
        {
            Convert.Require(json, "module descriptor");
            using (var native = penlink_csharp.parse_module_descriptor(json))
                return Convert.ToModuleDescriptor(native);
        }

        /// <summary>Names of the faults set, e.g. "over-temperature, watchdog".</summary>
        public static string DescribeFaults(Fault faults) => penlink_csharp.describe_faults((uint)faults);
    }
}
