package io.penlink;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Asynchronous commands: one {@link CompletableFuture} per command, completed by a director
 * that C++ owns while the command is in flight.
 *
 * <p>Why ownership moves to C++: after {@code swigReleaseOwnership()} the native side holds a
 * strong JNI reference to the bridge (and so to the future) until it has told the bridge the
 * outcome, exactly once, and then deletes it. No Java-side registry has to track what is in
 * flight, and closing the pen or losing the link still completes every future it accepted.
 */
final class Completions {
    private static final AtomicLong FAILURES = new AtomicLong();

    private Completions() {}

    /** Calls send with a fresh bridge (it must reach one native *_async method) and returns
     * the future that bridge completes. */
    static CompletableFuture<Void> submit(Consumer<NativeCompletionListener> send) {
        CompletableFuture<Void> future = new CompletableFuture<>();
        CompletionBridge bridge = new CompletionBridge(future);
        bridge.swigReleaseOwnership();
        send.accept(bridge);
        return future;
    }

    private static final class CompletionBridge extends NativeCompletionListener {
        private final CompletableFuture<Void> future;

        CompletionBridge(CompletableFuture<Void> future) {
            this.future = future;
        }

        @Override
        public void on_done(NativeCommandOutcome outcome) {
            // outcome points into C++ memory valid only during this call: copy it out here.
            try {
                if (outcome.ok()) {
                    future.complete(null);
                } else {
                    future.completeExceptionally(Errors.fromNative(outcome.getCode().swigValue(),
                            outcome.getMessage(), outcome.getValue(), outcome.getLimit(),
                            outcome.getUnit()));
                }
            } catch (Throwable error) {
                Bridges.report("completion", FAILURES, error);
            }
        }
    }
}
