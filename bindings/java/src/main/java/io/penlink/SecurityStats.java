package io.penlink;

/**
 * What the authenticated-session checks rejected in the current session ({@link
 * Pen#securityStats()}; the counts start again at a reconnect).
 *
 * @param authenticated the session is authenticated
 * @param forged frames whose tag did not verify
 * @param replayed frames whose counter was used before or is too old
 * @param unauthenticated unsealed frames in an authenticated session, or sealed ones outside
 * @param rejectedByPen what the pen last reported ({@link EventKind#SECURITY_REJECTED})
 */
public record SecurityStats(boolean authenticated, long forged, long replayed,
        long unauthenticated, long rejectedByPen) {}
