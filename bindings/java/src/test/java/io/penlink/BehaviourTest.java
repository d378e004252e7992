package io.penlink;

import java.lang.ref.WeakReference;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Errors, callbacks and lifetimes of the Java binding against the in-process simulator. */
class BehaviourTest {
    @Test
    void badUrlIsAnInvalidArgument() {
        InvalidArgumentException error =
                assertThrows(InvalidArgumentException.class, () -> Pen.connect("foo://x"));
        assertTrue(error.getMessage().contains("foo"), error.getMessage());
        assertTrue(error instanceof PenException);
    }

    @Test
    void reconnectIsANoOpWhileConnectedAndFailsOnceClosed() {
        Pen pen = Pen.connect("sim://");
        pen.reconnect();
        assertEquals(ConnectionState.CONNECTED, pen.connectionState());
        pen.setDepthMm(1.0);
        pen.close();
        assertThrows(ConnectionException.class, pen::reconnect);
    }

    @Test
    void refusedTcpConnectionIsAConnectionError() {
        // Port 1 on loopback: nothing listens there, so the connect is refused at once.
        ConnectionException error = assertThrows(ConnectionException.class,
                () -> Pen.connect("tcp://127.0.0.1:1",
                        ConnectOptions.defaults().withConnectTimeoutMs(2000)));
        assertEquals(ErrorCode.CONNECTION_FAILED, error.code());
    }

    @Test
    void addOnsThatAreNotFittedAreNotSupported() {
        try (Pen pen = Pen.connect("sim://?rf=0&led=0")) {
            assertFalse(pen.capabilities().rf().fitted());
            assertThrows(NotSupportedException.class,
                    () -> pen.setRfMode(RfMode.on(RfPolarity.BIPOLAR, 1000, 1.0, 100)));
            assertThrows(NotSupportedException.class,
                    () -> pen.setLedMode(LedMode.continuous(633, 10)));
        }
    }

    @Test
    void hostDepthLimitIsEnforced() {
        try (Pen pen = Pen.connect("sim://")) {
            pen.setDepthLimitMm(1.5);
            assertEquals(1.5, pen.depthLimitMm(), 1e-9);
            OutOfRangeException error =
                    assertThrows(OutOfRangeException.class, () -> pen.setDepthMm(2.0));
            assertEquals(2.0, error.value(), 1e-9);
            assertEquals(1.5, error.limit(), 1e-9);
            pen.setDepthMm(1.5);
        }
    }

    @Test
    void throwingListenerDoesNotStopTheSdk() throws Exception {
        CountDownLatch reported = new CountDownLatch(1);
        Penlink.setLogListener((level, message) -> {
            if (level == LogLevel.ERROR && message.contains("status listener threw")
                    && message.contains("listener bug")) {
                reported.countDown();
            }
        }, LogLevel.WARNING);
        try (Pen pen = Pen.connect("sim://")) {
            CountDownLatch healthy = new CountDownLatch(100);
            AtomicInteger thrown = new AtomicInteger();
            try (Subscription bad = pen.onStatus(s -> {
                thrown.incrementAndGet();
                throw new IllegalStateException("listener bug (expected by the test)");
            }, 500); Subscription good = pen.onStatus(s -> healthy.countDown(), 500)) {
                assertTrue(healthy.await(10, TimeUnit.SECONDS));
            }
            assertTrue(thrown.get() > 0);
            pen.setDepthMm(0.5);  // the pen still answers
            assertTrue(reported.await(5, TimeUnit.SECONDS), "the failure reached penlink's log");
        } finally {
            Penlink.setLogListener(null, LogLevel.WARNING);
        }
    }

    @Test
    void noCallbackAfterUnsubscribeReturns() throws Exception {
        try (Pen pen = Pen.connect("sim://")) {
            AtomicInteger calls = new AtomicInteger();
            CountDownLatch some = new CountDownLatch(20);
            Subscription sub = pen.onStatus(s -> {
                calls.incrementAndGet();
                some.countDown();
            }, 1000);
            assertTrue(some.await(10, TimeUnit.SECONDS));
            sub.close();
            assertFalse(sub.isActive());
            int after = calls.get();
            // Let more frames stream; the closed subscription must not see any of them.
            CountDownLatch more = new CountDownLatch(20);
            try (Subscription other = pen.onStatus(s -> more.countDown(), 1000)) {
                assertTrue(more.await(10, TimeUnit.SECONDS));
            }
            assertEquals(after, calls.get());
            sub.close();  // idempotent
        }
    }

    @Test
    void listenerMayCallThePen() throws Exception {
        try (Pen pen = Pen.connect("sim://")) {
            CountDownLatch done = new CountDownLatch(1);
            AtomicInteger failures = new AtomicInteger();
            try (Subscription sub = pen.onStatus(s -> {
                if (done.getCount() > 0) {
                    try {
                        pen.setDepthMm(0.25);  // a blocking command from the callback thread
                    } catch (PenException e) {
                        failures.incrementAndGet();
                    }
                    done.countDown();
                }
            }, 100)) {
                assertTrue(done.await(10, TimeUnit.SECONDS));
            }
            assertEquals(0, failures.get());
        }
    }

    @Test
    void eventsAndConnectionStateReachListeners() throws Exception {
        try (Pen pen = Pen.connect("sim://")) {
            CountDownLatch stopped = new CountDownLatch(1);
            CountDownLatch closed = new CountDownLatch(1);
            pen.onEvent(e -> {
                if (e.kind() == EventKind.EMERGENCY_STOPPED) {
                    stopped.countDown();
                }
            });
            pen.onConnectionState((state, reason) -> {
                if (state == ConnectionState.CLOSED) {
                    closed.countDown();
                }
            });
            pen.emergencyStop();
            assertTrue(stopped.await(10, TimeUnit.SECONDS), "EmergencyStopped event");
            pen.clearEmergencyStop();
            pen.close();
            // Closing may or may not report Closed to a listener it is removing; either way
            // close() must return and the pen must say so.
            assertEquals(ConnectionState.CLOSED, pen.connectionState());
        }
    }

    @Test
    void unclosedPensAndSubscriptionsAreCollectedSafely() throws Exception {
        WeakReference<Pen> weak = openAndForget();
        for (int i = 0; i < 50 && weak.get() != null; i++) {
            System.gc();
            Thread.sleep(20);
        }
        assertEquals(null, weak.get(), "an unreachable pen is collectable");
        System.runFinalization();
        // The SDK is still healthy: a new pen streams as usual.
        try (Pen pen = Pen.connect("sim://")) {
            CountDownLatch frames = new CountDownLatch(10);
            try (Subscription sub = pen.onStatus(s -> frames.countDown(), 500)) {
                assertTrue(frames.await(10, TimeUnit.SECONDS));
            }
        }
    }

    /** Opens a streaming pen with subscriptions and drops every reference without closing. */
    private static WeakReference<Pen> openAndForget() throws Exception {
        Pen pen = Pen.connect("sim://");
        CountDownLatch streaming = new CountDownLatch(5);
        pen.onStatus(s -> streaming.countDown(), 1000);
        pen.onEvent(e -> {});
        assertTrue(streaming.await(10, TimeUnit.SECONDS));
        return new WeakReference<>(pen);
    }

    @Test
    void closingThePenFirstLeavesSubscriptionsInert() {
        Pen pen = Pen.connect("sim://");
        Subscription sub = pen.onStatus(s -> {}, 100);
        pen.close();
        assertFalse(sub.isActive());
        sub.close();
        assertThrows(ConnectionException.class, () -> pen.onStatus(s -> {}));
    }

    @Test
    void versionAndFaultNames() {
        assertTrue(Penlink.version().matches("\\d+\\.\\d+\\.\\d+"), Penlink.version());
        assertTrue(Penlink.describeFaults(Fault.WATCHDOG.bit()).contains("watchdog"));
        assertEquals(java.util.Set.of(Fault.WATCHDOG, Fault.EMERGENCY_STOP),
                Fault.fromBits(Fault.WATCHDOG.bit() | Fault.EMERGENCY_STOP.bit()));
    }
}
