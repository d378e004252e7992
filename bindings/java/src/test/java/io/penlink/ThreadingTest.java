package io.penlink;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ConnectOptions.withThreading: pens on penlink's shared threads or on threads of their own.
 * (Which native thread ran a callback is checked from Python and C: SWIG attaches a native
 * thread to the JVM per call, so Java sees a new Thread object each time.)
 */
class ThreadingTest {
    /** A command and status callbacks work with each threading, in process and over TCP. */
    @ParameterizedTest
    @EnumSource(Threading.class)
    void aCommandAndStatusCallbacksWork(Threading threading) throws Exception {
        try (SimProcess sim = SimProcess.start()) {
            for (String url : new String[] {"sim://", sim.url()}) {
                try (Pen pen = Pen.connect(url,
                        ConnectOptions.defaults().withThreading(threading))) {
                    CountDownLatch frames = new CountDownLatch(5);
                    Set<Thread> threads = ConcurrentHashMap.newKeySet();
                    try (Subscription sub = pen.onStatus(s -> {
                        threads.add(Thread.currentThread());
                        frames.countDown();
                    }, 100)) {
                        pen.setDepthMm(1.25);
                        assertTrue(frames.await(5, TimeUnit.SECONDS), url);
                    }
                    assertEquals(1.25, pen.latestStatus().orElseThrow().depthSetMm(), 1e-9);
                    assertFalse(threads.contains(Thread.currentThread()));
                }
            }
        }
    }

    @Test
    void theDefaultIsSharedAndNullIsRefused() {
        assertEquals(Threading.SHARED, ConnectOptions.defaults().threading());
        assertEquals(Threading.DEDICATED,
                ConnectOptions.defaults().withThreading(Threading.DEDICATED)
                        .withConnectTimeoutMs(2000).threading());
        InvalidArgumentException error = assertThrows(InvalidArgumentException.class,
                () -> ConnectOptions.defaults().withThreading(null));
        assertTrue(error.getMessage().contains("threading"), error.getMessage());
    }
}
