package io.penlink;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad arguments are refused with penlink's own exceptions naming the value: NaN and infinity
 * with InvalidArgumentException, numbers beyond what the SDK holds with OutOfRangeException,
 * null with InvalidArgumentException; never a NullPointerException, never sent to the pen.
 */
class BadInputTest {
    private static final double[] NON_FINITE = {
        Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};

    private static String shown(double value) {
        return Double.isNaN(value) ? "nan" : value > 0 ? "inf" : "-inf";
    }

    private static void refused(String what, Class<? extends PenException> type, String text,
            Executable call) {
        PenException error = assertThrows(type, call, what);
        assertTrue(error.getMessage().contains(text), what + ": " + error.getMessage());
    }

    /** An _async call refuses through its future, never by throwing. */
    private static void refusedAsync(String what, String text,
            Supplier<CompletableFuture<Void>> call) throws Exception {
        CompletableFuture<Void> future = call.get();
        ExecutionException failed =
                assertThrows(ExecutionException.class, () -> future.get(5, TimeUnit.SECONDS), what);
        assertInstanceOf(InvalidArgumentException.class, failed.getCause(), what);
        assertTrue(failed.getCause().getMessage().contains(text),
                what + ": " + failed.getCause().getMessage());
    }

    @Test
    void nonFiniteValuesAreInvalidArgumentsNamingTheValue() throws Exception {
        try (Pen pen = Pen.connect("sim://?rf=1&led=1")) {
            for (double v : NON_FINITE) {
                String s = shown(v);
                refused("depth " + s, InvalidArgumentException.class,
                        "depth " + s + " mm is not a finite number", () -> pen.setDepthMm(v));
                refused("depth limit " + s, InvalidArgumentException.class, "depth " + s + " mm",
                        () -> pen.setDepthLimitMm(v));
                refused("speed " + s, InvalidArgumentException.class,
                        "speed " + s + " Hz is not a finite number", () -> pen.setSpeedHz(v));
                refused("RF power " + s, InvalidArgumentException.class, "RF power " + s + " W",
                        () -> pen.setRfMode(RfMode.on(RfPolarity.BIPOLAR, 1500, v, 100)));
                refused("LED irradiance " + s, InvalidArgumentException.class,
                        "LED irradiance at 633 nm " + s + " mW/cm2",
                        () -> pen.setLedMode(LedMode.continuous(633, v)));
                refused("LED pulse rate " + s, InvalidArgumentException.class,
                        "LED pulse rate " + s + " Hz",
                        () -> pen.setLedMode(LedMode.pulsed(633, 40, v, 50)));
                refused("LED duty " + s, InvalidArgumentException.class,
                        "LED duty cycle " + s + " %",
                        () -> pen.setLedMode(LedMode.pulsed(633, 40, 10, v)));
                refusedAsync("async depth " + s, "depth " + s + " mm",
                        () -> pen.setDepthMmAsync(v));
                refusedAsync("async speed " + s, "speed " + s + " Hz",
                        () -> pen.setSpeedHzAsync(v));
                refusedAsync("async RF power " + s, "RF power " + s + " W",
                        () -> pen.setRfModeAsync(RfMode.on(RfPolarity.BIPOLAR, 1500, v, 100)));
                refusedAsync("async LED " + s, "LED irradiance at 633 nm " + s,
                        () -> pen.setLedModeAsync(LedMode.continuous(633, v)));
            }
            // Nothing reached the pen: RF and LED are still off.
            pen.latestStatus().ifPresent(status -> {
                assertTrue(!status.rfEnabled() && !status.ledEnabled(), status.toString());
            });
        }
    }

    @Test
    void valuesBeyondWhatTheSdkHoldsAreOutOfRange() {
        try (Pen pen = Pen.connect("sim://")) {
            OutOfRangeException error =
                    assertThrows(OutOfRangeException.class, () -> pen.setDepthMm(1e308));
            assertEquals("mm", error.unit());
            assertEquals(2147483.647, error.limit(), 1e-6);
            assertThrows(OutOfRangeException.class, () -> pen.setSpeedHz(-1e300));
            assertThrows(OutOfRangeException.class, () -> Penlink.describeFaults(-1));
            assertThrows(OutOfRangeException.class, () -> Penlink.describeFaults(1L << 32));
        }
    }

    @Test
    void nullArgumentsAreInvalidArguments() {
        refused("url", InvalidArgumentException.class, "url", () -> Pen.connect(null));
        refused("options", InvalidArgumentException.class, "options",
                () -> Pen.connect("sim://", null));
        refused("negative timeout", InvalidArgumentException.class, "-5 ms",
                () -> Pen.connect("sim://", ConnectOptions.defaults().withCommandTimeoutMs(-5)));
        refused("log level", InvalidArgumentException.class, "level",
                () -> Penlink.setLogListener(null, null));
        try (Pen pen = Pen.connect("sim://?rf=1&led=1")) {
            refused("RF mode", InvalidArgumentException.class, "RF mode",
                    () -> pen.setRfMode(null));
            refused("LED mode", InvalidArgumentException.class, "LED mode",
                    () -> pen.setLedMode(null));
            refused("RF polarity", InvalidArgumentException.class, "RF polarity",
                    () -> pen.setRfMode(new RfMode(true, null, 1500, 5, 100)));
            CompletableFuture<Void> future = pen.setRfModeAsync(null);
            ExecutionException failed = assertThrows(ExecutionException.class,
                    () -> future.get(5, TimeUnit.SECONDS));
            assertInstanceOf(InvalidArgumentException.class, failed.getCause());
        }
    }
}
