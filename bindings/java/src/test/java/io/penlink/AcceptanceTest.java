package io.penlink;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The acceptance scenario, once in-process (sim://) and once over TCP to penlink-sim. */
class AcceptanceTest {
    private static SimProcess sim;

    @BeforeAll
    static void startSim() throws Exception {
        sim = SimProcess.start();
    }

    @AfterAll
    static void stopSim() throws Exception {
        if (sim != null) {
            sim.close();
        }
    }

    static Stream<String> urls() {
        return Stream.of("sim://?rf=1&led=1", sim.url());
    }

    @ParameterizedTest
    @MethodSource("urls")
    void fullSession(String url) throws Exception {
        try (Pen pen = Pen.connect(url)) {
            assertEquals(ConnectionState.CONNECTED, pen.connectionState());
            assertFalse(pen.info().model().isEmpty());
            Capabilities caps = pen.capabilities();
            assertTrue(caps.depthMaxMm() > caps.depthMinMm());
            assertTrue(caps.speedMaxHz() > caps.speedMinHz());
            assertTrue(caps.rf().fitted(), "the default sim has RF");
            assertTrue(caps.led().fitted(), "the default sim has LED");
            List<LedChannel> channels = caps.led().channels();
            assertFalse(channels.isEmpty());

            pen.setDepthMm(1.0);
            pen.setSpeedHz(100);
            LedChannel channel = channels.get(0);
            pen.setLedMode(LedMode.continuous(channel.wavelengthNm(),
                    channel.maxIrradianceMwCm2() / 2));
            RfCapabilities rf = caps.rf();
            pen.setRfMode(RfMode.on(rf.bipolar() ? RfPolarity.BIPOLAR : RfPolarity.MONOPOLAR,
                    rf.frequencyMinKhz(), rf.powerMaxW() / 2, rf.pulseMinMs()));

            // >= 200 frames through the callback, bounded wait.
            CountDownLatch frames = new CountDownLatch(200);
            AtomicReference<Status> last = new AtomicReference<>();
            int rate = Math.min(1000, caps.maxStatusRateHz());
            try (Subscription sub = pen.onStatus(status -> {
                last.set(status);
                frames.countDown();
            }, rate)) {
                pen.start();
                assertTrue(frames.await(20, TimeUnit.SECONDS), "200 status frames arrived");
                assertTrue(sub.isActive());
                waitForStatus(pen, s -> s.state() == PenState.RUNNING, "running");
                pen.stop();
            }
            Status status = last.get();
            assertEquals(1.0, status.depthSetMm(), 1e-9);
            assertEquals(100.0, status.speedSetHz(), 1e-9);

            // Out of range: typed, with value, limit and unit, and a message that names them.
            double tooDeep = caps.depthMaxMm() + 0.2;
            OutOfRangeException range =
                    assertThrows(OutOfRangeException.class, () -> pen.setDepthMm(tooDeep));
            assertEquals(ErrorCode.OUT_OF_RANGE, range.code());
            assertEquals(tooDeep, range.value(), 1e-6);
            assertEquals(caps.depthMaxMm(), range.limit(), 1e-6);
            assertEquals("mm", range.unit());
            assertTrue(range.getMessage().contains(String.format("%.2f", tooDeep)),
                    range.getMessage());
            assertTrue(range.getMessage().contains("mm"), range.getMessage());
            assertThrows(OutOfRangeException.class, () -> pen.setSpeedHz(caps.speedMaxHz() + 10));

            // Emergency stop latches: start is refused for safety until cleared.
            pen.emergencyStop();
            waitForStatus(pen, s -> s.state() == PenState.EMERGENCY_STOPPED, "e-stopped");
            SafetyException refused = assertThrows(SafetyException.class, pen::start);
            assertEquals(ErrorCode.EMERGENCY_STOPPED, refused.code());
            assertTrue(pen.latestStatus().orElseThrow().hasFault(Fault.EMERGENCY_STOP));
            pen.clearEmergencyStop();
            waitForStatus(pen, s -> s.state() == PenState.IDLE, "idle after clear");
            pen.start();
            pen.stop();

            pen.close();
            assertEquals(ConnectionState.CLOSED, pen.connectionState());
            assertThrows(ConnectionException.class, () -> pen.setDepthMm(1.0));
            pen.close();  // idempotent
        }
    }

    /** Waits (bounded) until a status frame satisfies want. */
    static Status waitForStatus(Pen pen, Predicate<Status> want, String what) throws Exception {
        CountDownLatch seen = new CountDownLatch(1);
        AtomicReference<Status> match = new AtomicReference<>();
        try (Subscription sub = pen.onStatus(s -> {
            if (want.test(s) && match.compareAndSet(null, s)) {
                seen.countDown();
            }
        }, 200)) {
            assertTrue(seen.await(10, TimeUnit.SECONDS), "a status frame showing " + what);
        }
        return match.get();
    }
}
