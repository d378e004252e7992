// A penlink-sim process serving one simulated pen on a free TCP port of 127.0.0.1 or a pty. The
// executable comes from the PENLINK_SIM environment variable (set by ci.sh).
using System;
using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;
using NUnit.Framework;

namespace Penlink.Tests
{
    internal sealed class SimProcess : IDisposable
    {
        readonly Process process;

        SimProcess(Process process, string url)
        {
            this.process = process;
            Url = url;
        }

        public string Url { get; }

        /// <summary>extraArguments, e.g. "--silent-after-ms 1000", follow "--tcp 0".</summary>
        public static SimProcess Start(string extraArguments = "") => Launch("--tcp 0", extraArguments);

        /// <summary>The same on a pseudo-terminal (a USB CDC pen's serial link): Url is
        /// serial:///dev/pts/N.</summary>
        public static SimProcess StartPty(string extraArguments = "") => Launch("--pty", extraArguments);

        static SimProcess Launch(string link, string extraArguments)
        {
            string executable = Environment.GetEnvironmentVariable("PENLINK_SIM") ?? "";
            Assert.IsTrue(File.Exists(executable), "PENLINK_SIM must name penlink-sim, got '" + executable + "'");
            var info = new ProcessStartInfo(executable, (link + " " + extraArguments).Trim())
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
            };
            Process process = Process.Start(info);
            // Bounded wait for "TCP 127.0.0.1:PORT" or "PTY /dev/pts/N": a silent sim must not
            // hang the suite.
            Task<string> first = process.StandardOutput.ReadLineAsync();
            string line = first.Wait(TimeSpan.FromSeconds(10)) ? first.Result ?? "" : "";
            if (line.StartsWith("TCP ")) return new SimProcess(process, "tcp://" + line.Substring(4).Trim());
            if (line.StartsWith("PTY ")) return new SimProcess(process, "serial://" + line.Substring(4).Trim());
            process.Kill();
            throw new InvalidOperationException("penlink-sim did not print TCP host:port or PTY path");
        }

        public void Dispose()
        {
            if (!process.HasExited)
            {
                process.Kill();
                process.WaitForExit(5000);
            }
            process.Dispose();
        }
    }
}
