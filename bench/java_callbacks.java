// Status callbacks per second delivered into Java from sim://, streaming at the simulator's
// highest status rate. Prints the figure; the target is >= 20,000 callbacks/s with no frames
// dropped by the binding. Run with bench/java_callbacks.sh <build-dir> (single-file source
// launch: java -cp <penlink jar> bench/java_callbacks.java [seconds]).

import java.util.concurrent.atomic.AtomicLong;

import penlink.ConnectOptions;
import penlink.Pen;
import penlink.Subscription;

public class JavaCallbacksBench {
    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3.0;
        String url = args.length > 1 ? args[1] : "sim://";  // e.g. sim://?max_status_hz=65535
        try (Pen pen = Pen.connect(url,
                ConnectOptions.defaults().withCallbackQueueCapacity(65536))) {
            int rate = pen.capabilities().maxStatusRateHz();
            AtomicLong calls = new AtomicLong();
            AtomicLong depthSum = new AtomicLong();  // touch the frame so nothing is elided
            try (Subscription sub = pen.onStatus(s -> {
                calls.incrementAndGet();
                depthSum.addAndGet((long) s.sequence());
            }, rate)) {
                Thread.sleep(500);  // warm-up: JIT and the stream reaching full rate
                long startCalls = calls.get();
                long startDropped = pen.droppedStatusFrames();
                long start = System.nanoTime();
                Thread.sleep((long) (seconds * 1000));
                long elapsed = System.nanoTime() - start;
                long delivered = calls.get() - startCalls;
                long dropped = pen.droppedStatusFrames() - startDropped;
                double perSecond = delivered / (elapsed / 1e9);
                System.out.printf("java callbacks: %.0f /s (stream asked at %d Hz, %d delivered "
                        + "in %.2f s, %d dropped)%n", perSecond, rate, delivered, elapsed / 1e9,
                        dropped);
                System.out.println(perSecond >= 20000 ? "target met (>= 20000/s)"
                                                      : "BELOW target of 20000/s");
            }
        }
    }
}
