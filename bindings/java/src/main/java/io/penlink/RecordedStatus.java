package io.penlink;

/**
 * One Status frame of a session recording ({@link Recording#statuses()}).
 *
 * @param timeS when it came, s since the recording started
 * @param status the frame, decoded as a live status listener sees it
 * @param rfEnergyJ RF energy delivered since the recording started (built-in add-on and "rf"
 *     modules together), J
 * @param ledDoseJCm2 LED dose delivered since the recording started, J/cm2
 */
public record RecordedStatus(double timeS, Status status, double rfEnergyJ,
        double ledDoseJCm2) {}
