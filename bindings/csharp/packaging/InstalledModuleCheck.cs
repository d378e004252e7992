// Compiled against the installed Penlink.dll by installed_assembly_test.cmake and run there: a
// partner module written here at run time (nothing in penlink knows it), hosted by a
// penlink-sim process ($PENLINK_SIM), driven through the installed assembly alone: discovery,
// set, out-of-range refusal, atomic multi-set, telemetry and detach. Exit 0: all held.
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using Penlink;

static class InstalledModuleCheck
{
    const string Chiller = @"{""schema"": ""penlink.module/1"", ""key"": ""chiller"", ""name"": ""FrostPad 3"",
 ""vendor"": {""id"": 9001, ""name"": ""Clinic Partner""}, ""model"": {""id"": 3},
 ""parameters"": [
   {""key"": ""enabled"", ""id"": 32769, ""type"": ""bool"", ""default"": false},
   {""key"": ""plate_c"", ""id"": 32770, ""type"": ""fixed"", ""unit"": ""degC"", ""scale"": 0.1,
    ""min"": 4.0, ""max"": 20.0, ""step"": 0.5, ""default"": 15.0},
   {""key"": ""fan"", ""id"": 32771, ""type"": ""enum"", ""labels"": [""low"", ""high""], ""default"": ""low""}],
 ""telemetry"": [
   {""key"": ""plate_c"", ""id"": 128, ""unit"": ""degC"", ""scale"": 0.01, ""min"": -10.0, ""max"": 60.0}],
 ""simulation"": {""telemetry"": {""plate_c"": {""model"": ""first_order"", ""source"": ""plate_c"",
   ""when"": ""enabled"", ""idle"": 30.0, ""tau_s"": 0.1}}}}";

    static void Check(bool condition, string what)
    {
        if (!condition) throw new Exception("failed: " + what);
    }

    static int Main()
    {
        string sim = Environment.GetEnvironmentVariable("PENLINK_SIM") ?? "";
        Check(File.Exists(sim), "PENLINK_SIM names penlink-sim, got '" + sim + "'");
        string descriptor = Path.Combine(Path.GetTempPath(), "frostpad_" + Process.GetCurrentProcess().Id + ".json");
        File.WriteAllText(descriptor, Chiller);
        var info = new ProcessStartInfo(sim, "--tcp 0 --control-port 0 --quiet --module " + descriptor)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
        };
        using (Process process = Process.Start(info))
        {
            try
            {
                // penlink-sim prints "TCP host:port", then "CONTROL host:port".
                string first = process.StandardOutput.ReadLine() ?? "";
                string control = process.StandardOutput.ReadLine() ?? "";
                Check(first.StartsWith("TCP ") && control.StartsWith("CONTROL "), "penlink-sim printed " + first + " / " + control);
                Drive("tcp://" + first.Substring(4).Trim(), control.Substring(8).Trim());
            }
            finally
            {
                process.Kill();
                process.WaitForExit(5000);
                File.Delete(descriptor);
            }
        }
        Console.WriteLine("installed assembly drove a partner module written at run time");
        return 0;
    }

    static void Drive(string url, string control)
    {
        var detached = new ManualResetEventSlim(false);
        using (Pen pen = Pen.Connect(url))
        using (pen.OnEvent(e => { if (e.Kind == EventKind.ModuleDetached) detached.Set(); }))
        {
            Check(pen.Modules.Count == 1, "one module fitted");
            Module chiller = pen.Module("chiller");
            Check(chiller.Name == "FrostPad 3" && chiller.VendorId == 9001, "discovered " + chiller);
            Check(chiller.Descriptor.Parameter("plate_c").Unit == "degC", "plate_c in degC");

            chiller.Set("plate_c", 8.5);
            Check((double)chiller.Get("plate_c") == 8.5, "plate_c set to 8.5");
            try
            {
                chiller.Set("plate_c", 25.0);
                Check(false, "25 degC refused");
            }
            catch (OutOfRangeException e)
            {
                Check(e.Message.Contains("chiller.plate_c") && e.Unit == "degC" && e.Limit == 20.0,
                      "the refusal names the key, limit and unit: " + e.Message);
            }
            try
            {
                chiller.Set(new Dictionary<string, object> { { "fan", "high" }, { "plate_c", 2.0 } });
                Check(false, "2 degC refused");
            }
            catch (OutOfRangeException)
            {
            }
            Check((string)chiller.Get("fan") == "low", "nothing of a refused multi-set applied");
            chiller.Set(new Dictionary<string, object> { { "fan", "high" }, { "enabled", true } });
            Check((string)chiller.Get("fan") == "high", "multi-set applied");

            double plate = 30.0;
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < TimeSpan.FromSeconds(2) && plate > 9.0)
            {
                Thread.Sleep(20);
                Status? status = pen.LatestStatus;
                if (status.HasValue) plate = chiller.Telemetry(status.Value, "plate_c") ?? 30.0;
            }
            // The wait ends at 9.0 or below: within 0.5 inclusive, as the Java consumer checks.
            Check(Math.Abs(plate - 8.5) <= 0.5, "telemetry approached the set point: " + plate);

            string[] hostPort = control.Split(':');
            using (var socket = new TcpClient(hostPort[0], int.Parse(hostPort[1])))
            {
                byte[] command = Encoding.UTF8.GetBytes("module detach 1\n");
                socket.GetStream().Write(command, 0, command.Length);
                Check(detached.Wait(TimeSpan.FromSeconds(10)), "the detach event arrived");
            }
            foreach (Module module in pen.Modules) Check(module.Key != "chiller", "chiller detached");
        }
    }
}
