package io.penlink;

/**
 * One telemetry channel a module reports in every {@link Status}.
 *
 * @param key stable name, e.g. "plate_c"
 * @param id the {@link TelemetryReading#channel()} of its readings
 * @param scale value = raw * scale
 * @param min lowest value the channel measures, in unit
 * @param alarmLow below this a reading is an alarm (if hasAlarmLow)
 * @param alarmHigh above this a reading is an alarm (if hasAlarmHigh)
 */
public record TelemetrySpec(
        String key,
        int id,
        String unit,
        double scale,
        double min,
        double max,
        boolean hasAlarmLow,
        double alarmLow,
        boolean hasAlarmHigh,
        double alarmHigh,
        String description) {}
