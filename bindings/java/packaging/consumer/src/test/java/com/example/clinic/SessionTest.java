package com.example.clinic;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.penlink.Capabilities;
import io.penlink.ConnectionException;
import io.penlink.ConnectionState;
import io.penlink.LedChannel;
import io.penlink.LedMode;
import io.penlink.OutOfRangeException;
import io.penlink.Pen;
import io.penlink.PenState;
import io.penlink.SafetyException;
import io.penlink.Status;
import io.penlink.Subscription;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The acceptance scenario, written as an app would, against the artifact Maven resolved. */
class SessionTest {
    @Test
    void treatmentSession() throws Exception {
        try (Pen pen = Pen.connect("sim://?rf=1&led=1")) {
            Capabilities caps = pen.capabilities();
            pen.setDepthMm(1.0);
            pen.setSpeedHz(100);
            LedChannel channel = caps.led().channels().get(0);
            pen.setLedMode(LedMode.continuous(channel.wavelengthNm(), 10.0));

            CountDownLatch frames = new CountDownLatch(100);
            AtomicReference<Status> last = new AtomicReference<>();
            try (Subscription status = pen.onStatus(s -> {
                last.set(s);
                frames.countDown();
            }, 200)) {
                pen.start();
                assertTrue(frames.await(20, TimeUnit.SECONDS), "100 status frames arrived");
                pen.stop();
            }
            assertEquals(1.0, last.get().depthSetMm(), 1e-9);
            assertEquals(100.0, last.get().speedSetHz(), 1e-9);

            OutOfRangeException refused = assertThrows(OutOfRangeException.class,
                    () -> pen.setDepthMm(caps.depthMaxMm() + 0.5));
            assertEquals("mm", refused.unit());

            pen.emergencyStop();
            assertThrows(SafetyException.class, pen::start);
            pen.clearEmergencyStop();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (pen.latestStatus().map(Status::state).orElse(null) != PenState.IDLE) {
                assertTrue(System.nanoTime() < deadline, "idle again after clearing the e-stop");
                Thread.sleep(10);
            }
            pen.start();
            pen.stop();

            pen.close();
            assertEquals(ConnectionState.CLOSED, pen.connectionState());
            assertThrows(ConnectionException.class, () -> pen.setDepthMm(1.0));
        }
    }
}
