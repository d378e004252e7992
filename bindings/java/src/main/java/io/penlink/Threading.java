package io.penlink;

/**
 * Which threads carry a pen's traffic and run its callbacks
 * ({@link ConnectOptions#withThreading(Threading)}; docs/architecture.md, Threads). The order
 * matches the C++ values.
 */
public enum Threading {
    /**
     * Every pen shares penlink's I/O thread and two callback threads (the default): a process
     * with hundreds of pens runs three penlink threads. One pen's callbacks still never run two
     * at a time.
     */
    SHARED,
    /**
     * The pen has an I/O thread and a callback thread of its own, so no other pen's traffic or
     * slow callback can delay it (two threads more per pen).
     */
    DEDICATED
}
