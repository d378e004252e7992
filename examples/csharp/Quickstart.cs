// penlink quickstart for C#: connect, read what the pen can do, set a treatment, stream
// status while the needle runs, handle a refused value, and stop.
//
//   mcs -r:Penlink.dll Quickstart.cs && mono Quickstart.exe [url]   (default url: sim://)
using System;
using System.Threading;
using Penlink;

public static class Quickstart
{
    public static int Main(string[] args)
    {
        string url = args.Length > 0 ? args[0] : "sim://";
        using (Pen pen = Pen.Connect(url))
        {
            Capabilities caps = pen.Capabilities;
            Console.WriteLine($"connected to {pen.Info.Model} {pen.Info.SerialNumber}: depth " +
                              $"{caps.DepthMinMm:F2}-{caps.DepthMaxMm:F2} mm, speed {caps.SpeedMinHz:F0}-{caps.SpeedMaxHz:F0} Hz");

            pen.SetDepthMm(0.5);
            pen.SetSpeedHz(100);
            if (caps.Led.Fitted)
                pen.SetLedMode(LedMode.Continuous(caps.Led.Channels[0].WavelengthNm, 10.0));

            // Handlers run on the pen's callback thread; hand results back with an event.
            var frames = new CountdownEvent(50);
            using (pen.OnStatus(s => { if (!frames.IsSet) frames.Signal(); }, rateHz: 100))
            {
                pen.Start();
                if (!frames.Wait(TimeSpan.FromSeconds(10)))
                    throw new InvalidOperationException("no status from the pen");
                Status? status = pen.LatestStatus;
                if (status.HasValue)
                    Console.WriteLine($"running: depth {status.Value.DepthActualMm:F2} mm, " +
                                      $"speed {status.Value.SpeedActualHz:F1} Hz, battery {status.Value.BatteryPercent} %");
                pen.Stop();
            }

            try
            {
                pen.SetDepthMm(caps.DepthMaxMm + 0.5);
            }
            catch (OutOfRangeException e)
            {
                Console.WriteLine($"refused as expected: {e.Message} (limit {e.Limit:F2} {e.Unit})");
            }
        }
        Console.WriteLine("quickstart done");
        return 0;
    }
}
