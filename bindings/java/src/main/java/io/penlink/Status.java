package io.penlink;

import java.util.List;

/**
 * One status frame from the pen, as an immutable value (safe to keep after the callback
 * returns). Units are in the names.
 *
 * @param sequence pen's status counter; gaps are dropped frames
 * @param deviceTimeMs pen uptime
 * @param cartridgeId 0 = no cartridge
 * @param faultBits see {@link Fault}
 * @param telemetryCount how many module telemetry readings the frame carries
 * @param telemetry module telemetry readings; {@link PenModule#telemetry(Status, String)} reads
 *     one in its unit
 */
public record Status(
        long sequence,
        long deviceTimeMs,
        PenState state,
        double depthSetMm,
        double depthActualMm,
        double speedSetHz,
        double speedActualHz,
        int batteryPercent,
        double temperatureC,
        long cartridgeId,
        long cartridgeStrokes,
        long cartridgeStrokeLimit,
        boolean rfEnabled,
        boolean rfDelivering,
        int rfImpedanceOhm,
        double rfEnergyJ,
        boolean ledEnabled,
        boolean ledEmitting,
        int ledWavelengthNm,
        double ledDoseJCm2,
        long faultBits,
        int telemetryCount,
        List<TelemetryReading> telemetry) {

    /** True if the given {@link Fault} bit is set. */
    public boolean hasFault(Fault fault) {
        return (faultBits & fault.bit()) != 0;
    }
}
