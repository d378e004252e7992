package io.penlink;

/**
 * The status rate a subscription asked for and the rate it gets now ({@link
 * Subscription#statusRate()}). The granted rate follows the link, e.g. a Bluetooth LE link's MTU.
 *
 * @param requestedHz what {@link Pen#onStatus(StatusListener, int)} asked for, Hz
 * @param grantedHz what this subscriber receives at most, Hz
 * @param limitedBy why grantedHz is below requestedHz
 * @param reason in words, e.g. "ble ... carries about 16266 bytes/s; ..."; "" if not limited
 */
public record StatusRate(int requestedHz, int grantedHz, StatusRateLimit limitedBy,
        String reason) {}
