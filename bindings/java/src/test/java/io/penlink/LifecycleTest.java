package io.penlink;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Closing from inside a listener, and the SDK log reaching a Java listener. */
class LifecycleTest {
    @Test
    void listenerMayCloseItsOwnPen() throws Exception {
        Pen pen = Pen.connect("sim://");
        CompletableFuture<Void> closed = new CompletableFuture<>();
        // Armed once onStatus has returned: a frame can reach the listener before that, and a
        // pen closed then makes onStatus itself throw (the subscription came too late).
        AtomicBoolean armed = new AtomicBoolean(false);
        pen.onStatus(s -> {
            if (armed.get() && !closed.isDone()) {
                try {
                    pen.close();
                    closed.complete(null);
                } catch (Throwable error) {
                    closed.completeExceptionally(error);
                }
            }
        }, 100);
        armed.set(true);
        closed.get(10, TimeUnit.SECONDS);
        assertEquals(ConnectionState.CLOSED, pen.connectionState());
    }

    @Test
    void sdkLogReachesTheJavaListener() throws Exception {
        CountDownLatch received = new CountDownLatch(1);
        AtomicReference<String> line = new AtomicReference<>();
        Penlink.setLogListener((level, message) -> {
            if (level == LogLevel.ERROR && message.contains("log test line")) {
                line.set(message);
                received.countDown();
            }
        }, LogLevel.WARNING);
        try {
            PenlinkNative.report_callback_error("log test line");
            assertTrue(received.await(5, TimeUnit.SECONDS));
            assertTrue(line.get().contains("log test line"));
        } finally {
            Penlink.setLogListener(null, LogLevel.WARNING);
        }
    }
}
