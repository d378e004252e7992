// Status callbacks per second delivered into C# from sim://, streaming at the simulator's
// highest status rate. Prints the figure; the target is >= 20,000 callbacks/s with no frames
// dropped by the binding. Run with bench/csharp_callbacks.sh <build-dir> [seconds].
using System;
using System.Diagnostics;
using System.Threading;
using Penlink;

public static class CSharpCallbacksBench
{
    public static int Main(string[] args)
    {
        double seconds = args.Length > 0 ? double.Parse(args[0]) : 3.0;
        string url = args.Length > 1 ? args[1] : "sim://";  // e.g. sim://?max_status_hz=65535
        using (Pen pen = Pen.Connect(url, new ConnectOptions { CallbackQueueCapacity = 65536 }))
        {
            int rate = pen.Capabilities.MaxStatusRateHz;
            long calls = 0;
            long sequenceSum = 0;  // touch the frame so nothing is elided
            using (pen.OnStatus(s =>
            {
                Interlocked.Increment(ref calls);
                Interlocked.Add(ref sequenceSum, s.Sequence);
            }, rate))
            {
                Thread.Sleep(500);  // warm-up: JIT and the stream reaching full rate
                long startCalls = Interlocked.Read(ref calls);
                ulong startDropped = pen.DroppedStatusFrames;
                var clock = Stopwatch.StartNew();
                Thread.Sleep(TimeSpan.FromSeconds(seconds));
                double elapsed = clock.Elapsed.TotalSeconds;
                long delivered = Interlocked.Read(ref calls) - startCalls;
                ulong dropped = pen.DroppedStatusFrames - startDropped;
                double perSecond = delivered / elapsed;
                Console.WriteLine($"csharp callbacks: {perSecond:F0} /s (stream asked at {rate} Hz, " +
                                  $"{delivered} delivered in {elapsed:F2} s, {dropped} dropped)");
                Console.WriteLine(perSecond >= 20000 ? "target met (>= 20000/s)" : "BELOW target of 20000/s");
            }
        }
        return 0;
    }
}
