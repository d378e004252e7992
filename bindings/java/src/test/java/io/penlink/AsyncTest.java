package io.penlink;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ...Async commands: futures that complete once the pen answered, fail with the same
 * exception classes as the blocking calls, and never hang when the pen goes away. */
class AsyncTest {
    private static final long WAIT_S = 10;  // a bound, so a broken build fails instead of hanging

    private static <T extends Throwable> T failure(Class<T> type, CompletableFuture<Void> future) {
        ExecutionException error = assertThrows(ExecutionException.class,
                () -> future.get(WAIT_S, TimeUnit.SECONDS));
        return assertInstanceOf(type, error.getCause());
    }

    private static void await(CompletableFuture<Void> future) throws Exception {
        assertNull(future.get(WAIT_S, TimeUnit.SECONDS));
    }

    @Test
    void commandsCompleteOnceAcknowledged() throws Exception {
        try (Pen pen = Pen.connect("sim://")) {
            await(pen.setDepthMmAsync(1.0));
            await(pen.setSpeedHzAsync(120));
            await(pen.startAsync());
            await(pen.stopAsync());
            await(pen.emergencyStopAsync());
            await(pen.clearEmergencyStopAsync());
        }
    }

    @Test
    void outOfRangeArrivesThroughTheFutureWithValueLimitUnit() {
        try (Pen pen = Pen.connect("sim://")) {
            CompletableFuture<Void> future = pen.setDepthMmAsync(3.5);  // no throw here
            OutOfRangeException error = failure(OutOfRangeException.class, future);
            assertEquals(ErrorCode.OUT_OF_RANGE, error.code());
            assertEquals(3.5, error.value(), 1e-9);
            assertEquals(3.0, error.limit(), 1e-9);
            assertEquals("mm", error.unit());
            assertTrue(error.getMessage().contains("3.00"), error.getMessage());
            OutOfRangeException speed = failure(OutOfRangeException.class, pen.setSpeedHzAsync(200));
            assertEquals("Hz", speed.unit());
            assertEquals(150.0, speed.limit(), 1e-9);
        }
    }

    @Test
    void failuresKeepTheClassTheBlockingCallThrows() throws Exception {
        try (Pen pen = Pen.connect("sim://?rf=0&led=0")) {
            failure(NotSupportedException.class, pen.setRfModeAsync(RfMode.on(RfPolarity.BIPOLAR, 1000, 1.0, 100)));
            failure(NotSupportedException.class, pen.setLedModeAsync(LedMode.continuous(633, 10)));
            await(pen.emergencyStopAsync());
            SafetyException safety = failure(SafetyException.class, pen.startAsync());
            assertEquals(ErrorCode.EMERGENCY_STOPPED, safety.code());
            await(pen.clearEmergencyStopAsync());
            await(pen.startAsync());
            pen.stop();
        }
    }

    @Test
    void rfAndLedModes() throws Exception {
        try (Pen pen = Pen.connect("sim://?rf=1&led=1")) {
            int wavelength = pen.capabilities().led().channels().get(0).wavelengthNm();
            await(pen.setLedModeAsync(LedMode.continuous(wavelength, 10)));
            await(pen.setRfModeAsync(RfMode.on(RfPolarity.BIPOLAR, 1000, 1.0, 100)));
            await(pen.setLedModeAsync(LedMode.off()));
            await(pen.setRfModeAsync(RfMode.off()));
        }
    }

    @Test
    void manyConcurrentFuturesAllComplete() throws Exception {
        try (Pen pen = Pen.connect("sim://")) {
            List<CompletableFuture<Void>> futures = new ArrayList<>();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                final int offset = t;
                threads.add(new Thread(() -> {
                    for (int i = 0; i < 50; i++) {
                        CompletableFuture<Void> future = i % 10 == 9
                                ? pen.setDepthMmAsync(9.0)
                                : pen.setDepthMmAsync(0.1 * ((offset + i) % 30));
                        synchronized (futures) {
                            futures.add(future);
                        }
                    }
                }));
            }
            threads.forEach(Thread::start);
            for (Thread thread : threads) {
                thread.join(WAIT_S * 1000);
            }
            assertEquals(200, futures.size());
            CompletableFuture<Void> all = CompletableFuture.allOf(futures.toArray(new CompletableFuture[0]));
            assertThrows(ExecutionException.class, () -> all.get(WAIT_S, TimeUnit.SECONDS));
            int failed = 0;
            for (CompletableFuture<Void> future : futures) {
                assertTrue(future.isDone());
                if (future.isCompletedExceptionally()) {
                    failure(OutOfRangeException.class, future);
                    failed++;
                }
            }
            assertEquals(20, failed);
        }
    }

    @Test
    void dependentStagesRunOncePerFuture() throws Exception {
        try (Pen pen = Pen.connect("sim://")) {
            AtomicInteger calls = new AtomicInteger();
            CountDownLatch all = new CountDownLatch(20);
            for (int i = 0; i < 20; i++) {
                pen.setDepthMmAsync(0.1 * i).whenComplete((ignored, error) -> {
                    calls.incrementAndGet();
                    all.countDown();
                });
            }
            assertTrue(all.await(WAIT_S, TimeUnit.SECONDS));
            assertEquals(20, calls.get());
        }
    }

    @Test
    void closingMidBurstCompletesEveryFuture() throws Exception {
        try (SimProcess sim = SimProcess.start()) {
            Pen pen = Pen.connect(sim.url());
            List<CompletableFuture<Void>> futures = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                futures.add(pen.setDepthMmAsync(0.1 * (i % 30)));
            }
            pen.close();
            for (CompletableFuture<Void> future : futures) {
                try {
                    future.get(WAIT_S, TimeUnit.SECONDS);
                } catch (ExecutionException error) {
                    ConnectionException lost = assertInstanceOf(ConnectionException.class, error.getCause());
                    assertEquals(ErrorCode.NOT_CONNECTED, lost.code());
                }
            }
        }
    }

    @Test
    void lostLinkFailsWhatIsInFlight() throws Exception {
        try (SimProcess sim = SimProcess.start("--silent-after-ms", "1000");
             Pen pen = Pen.connect(sim.url(), ConnectOptions.defaults()
                     .withCommandTimeoutMs(30000).withLinkTimeoutMs(2000))) {
            Thread.sleep(1200);  // past the point where the sim stops answering
            List<CompletableFuture<Void>> inFlight = List.of(pen.startAsync(), pen.setSpeedHzAsync(100));
            for (CompletableFuture<Void> future : inFlight) {
                ConnectionException error = failure(ConnectionException.class, future);
                assertEquals(ErrorCode.CONNECTION_LOST, error.code());
            }
            assertEquals(ConnectionState.LOST, pen.connectionState());
        }
    }

    @Test
    void droppedLinkFailsCommands() throws Exception {
        try (SimProcess sim = SimProcess.start("--drop-link-after-ms", "500");
             Pen pen = Pen.connect(sim.url())) {
            CountDownLatch lost = new CountDownLatch(1);
            pen.onConnectionState((state, reason) -> {
                if (state == ConnectionState.LOST) {
                    lost.countDown();
                }
            });
            assertTrue(lost.await(WAIT_S, TimeUnit.SECONDS));
            failure(ConnectionException.class, pen.setDepthMmAsync(1.0));
        }
    }

    @Test
    void commandsOnAClosedPenFailThroughTheFuture() {
        Pen pen = Pen.connect("sim://");
        pen.close();
        CompletableFuture<Void> future = pen.startAsync();  // no throw here
        ConnectionException error = failure(ConnectionException.class, future);
        assertFalse(error.getMessage().isEmpty());
    }
}
