package io.penlink;

/**
 * What holds a status subscription below the rate it asked for ({@link StatusRate#limitedBy()}).
 * The order matches the C++ enum values.
 */
public enum StatusRateLimit {
    /** It gets what it asked for. */
    NONE,
    /** The link carries no more status (docs/protocol.md sections 11 and 15.3). */
    LINK
}
