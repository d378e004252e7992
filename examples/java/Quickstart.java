// penlink quickstart for Java: connect, read what the pen can do, set a treatment, stream
// status while the needle runs, handle a refused value, and stop.
//
//   java -cp penlink-1.0.0.jar Quickstart.java [url]      (default url: sim://, a simulated pen)

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.penlink.Capabilities;
import io.penlink.LedMode;
import io.penlink.OutOfRangeException;
import io.penlink.Pen;
import io.penlink.Subscription;

public class Quickstart {
    public static void main(String[] args) throws Exception {
        String url = args.length > 0 ? args[0] : "sim://";
        try (Pen pen = Pen.connect(url)) {
            Capabilities caps = pen.capabilities();
            System.out.printf("connected to %s %s: depth %.2f-%.2f mm, speed %.0f-%.0f Hz%n",
                    pen.info().model(), pen.info().serialNumber(), caps.depthMinMm(),
                    caps.depthMaxMm(), caps.speedMinHz(), caps.speedMaxHz());

            pen.setDepthMm(0.5);
            pen.setSpeedHz(100);
            if (caps.led().fitted()) {
                int wavelength = caps.led().channels().get(0).wavelengthNm();
                pen.setLedMode(LedMode.continuous(wavelength, 10.0));
            }

            // Listeners run on the pen's callback thread; hand results back with a latch.
            CountDownLatch frames = new CountDownLatch(50);
            try (Subscription status = pen.onStatus(s -> frames.countDown(), 100)) {
                pen.start();
                if (!frames.await(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("no status from the pen");
                }
                pen.latestStatus().ifPresent(s -> System.out.printf(
                        "running: depth %.2f mm, speed %.1f Hz, battery %d %%%n",
                        s.depthActualMm(), s.speedActualHz(), s.batteryPercent()));
                pen.stop();
            }

            try {
                pen.setDepthMm(caps.depthMaxMm() + 0.5);
            } catch (OutOfRangeException e) {
                System.out.printf("refused as expected: %s (limit %.2f %s)%n", e.getMessage(),
                        e.limit(), e.unit());
            }
        }
        System.out.println("quickstart done");
    }
}
