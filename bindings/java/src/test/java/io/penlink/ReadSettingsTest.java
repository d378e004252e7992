package io.penlink;

import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Pen.readSettings(): the pen's set points read back, in-process (sim://) and over TCP to
 * penlink-sim. readsBackWhatWasSet needs a pen that answers protocol v2 GetSettings.
 */
class ReadSettingsTest {
    private static SimProcess sim;

    @BeforeAll
    static void startSim() throws Exception {
        sim = SimProcess.start();
    }

    @AfterAll
    static void stopSim() throws Exception {
        if (sim != null) {
            sim.close();
        }
    }

    static Stream<String> urls() {
        return Stream.of("sim://?rf=1&led=1", sim.url());
    }

    @ParameterizedTest
    @MethodSource("urls")
    void readsBackWhatWasSet(String url) {
        try (Pen pen = Pen.connect(url)) {
            PenSettings fresh = pen.readSettings();
            assertFalse(fresh.running());
            assertFalse(fresh.rf().enabled());
            assertFalse(fresh.led().enabled());
            assertEquals(pen.depthLimitMm(), fresh.depthLimitMm(), 1e-9);

            RfMode rf = RfMode.on(RfPolarity.BIPOLAR, 1500, 5.0, 100);
            LedMode led = LedMode.pulsed(633, 40.0, 10.0, 50.0);
            pen.setDepthMm(1.0);
            pen.setSpeedHz(100);
            pen.setRfMode(rf);
            pen.setLedMode(led);
            pen.start();

            PenSettings settings = pen.readSettings();
            assertEquals(1.0, settings.depthSetMm());
            assertEquals(100.0, settings.speedSetHz());
            assertTrue(settings.running());
            assertEquals(rf, settings.rf(), "RfMode as sent");
            assertEquals(led, settings.led(), "LedMode as sent");
            assertNotEquals(PenState.FAULT, settings.state());
            assertNotEquals(PenState.EMERGENCY_STOPPED, settings.state());
            assertTrue(settings.statusRateHz() > 0);
            assertEquals(0L, settings.faultBits());
            assertFalse(settings.hasFault(Fault.WATCHDOG));

            pen.stop();
            PenSettings stopped = pen.readSettings();
            assertFalse(stopped.running());
            assertEquals(1.0, stopped.depthSetMm());
            assertEquals(100.0, stopped.speedSetHz());

            pen.setDepthLimitMm(1.5);
            assertEquals(1.5, pen.readSettings().depthLimitMm());

            // What an app does after an unknown outcome: send a read-back mode as it is.
            pen.setRfMode(stopped.rf());
            pen.setLedMode(stopped.led());
        }
    }

    @Test
    void closedPenThrows() {
        Pen pen = Pen.connect("sim://");
        pen.close();
        assertThrows(ConnectionException.class, pen::readSettings);
    }

    @Test
    void copiesEveryFieldFromTheNativeValue() {
        // No pen needed: a native PenSettings as the SWIG layer returns it, every field set
        // away from its default.
        NativeRfMode rf = new NativeRfMode();
        rf.setEnabled(true);
        rf.setPolarity(NativeRfPolarity.swigToEnum(RfPolarity.MONOPOLAR.ordinal()));
        rf.setFrequency_khz(1800);
        rf.setPower_w(7.5);
        rf.setPulse_ms(250);
        NativeLedMode led = new NativeLedMode();
        led.setEnabled(true);
        led.setWavelength_nm(830);
        led.setIrradiance_mw_cm2(90.0);
        led.setPulsed(true);
        led.setPulse_rate_hz(25.0);
        led.setDuty_percent(30.0);
        NativePenSettings n = new NativePenSettings();
        n.setState(NativePenState.swigToEnum(PenState.RUNNING.ordinal()));
        n.setDepth_set_mm(1.25);
        n.setDepth_limit_mm(2.5);
        n.setSpeed_set_hz(120.0);
        n.setRunning(true);
        n.setRf(rf);
        n.setLed(led);
        n.setStatus_rate_hz(40);
        n.setFault_bits(Fault.OVER_TEMPERATURE.bit());

        assertEquals(new PenSettings(PenState.RUNNING, 1.25, 2.5, 120.0, true,
                        new RfMode(true, RfPolarity.MONOPOLAR, 1800, 7.5, 250),
                        new LedMode(true, 830, 90.0, true, 25.0, 30.0), 40,
                        Fault.OVER_TEMPERATURE.bit()),
                Convert.penSettings(n));
    }

    @Test
    void isAnImmutableValue() {
        PenSettings a = new PenSettings(PenState.IDLE, 0.5, 3.0, 80.0, false, RfMode.off(),
                LedMode.off(), 10, Fault.WATCHDOG.bit());
        PenSettings b = new PenSettings(PenState.IDLE, 0.5, 3.0, 80.0, false, RfMode.off(),
                LedMode.off(), 10, Fault.WATCHDOG.bit());
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertTrue(a.hasFault(Fault.WATCHDOG));
        assertTrue(a.toString().startsWith("PenSettings["));
    }
}
