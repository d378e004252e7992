// A penlink-sim process serving one simulated pen on a free TCP port of 127.0.0.1. The
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
        public static SimProcess Start(string extraArguments = "")
        {
            string executable = Environment.GetEnvironmentVariable("PENLINK_SIM") ?? "";
            Assert.IsTrue(File.Exists(executable), "PENLINK_SIM must name penlink-sim, got '" + executable + "'");
            var info = new ProcessStartInfo(executable, ("--tcp 0 " + extraArguments).Trim())
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
            };
            Process process = Process.Start(info);
            // Bounded wait for "TCP 127.0.0.1:PORT": a silent sim must not hang the suite.
            Task<string> first = process.StandardOutput.ReadLineAsync();
            if (!first.Wait(TimeSpan.FromSeconds(10)) || first.Result == null || !first.Result.StartsWith("TCP "))
            {
                process.Kill();
                throw new InvalidOperationException("penlink-sim did not print TCP host:port");
            }
            return new SimProcess(process, "tcp://" + first.Result.Substring(4).Trim());
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
