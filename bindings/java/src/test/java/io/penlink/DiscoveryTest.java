package io.penlink;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Discovery answers at once for serial only and refuses bad input (BLE runs in tests/ble). */
class DiscoveryTest {
    @Test
    void serialOnlyAnswersAtOnce() {
        long start = System.nanoTime();
        List<DiscoveredPen> pens = Penlink.discover(2000, true, false, "", "");
        assertTrue(System.nanoTime() - start < 1_000_000_000L);
        for (DiscoveredPen pen : pens) {
            assertTrue(pen.transport() == TransportKind.SERIAL);
            assertTrue(pen.url().startsWith("serial://"));
        }
    }

    @Test
    void badInputIsRefused() {
        InvalidArgumentException negative =
                assertThrows(InvalidArgumentException.class, () -> Penlink.discover(-5));
        assertTrue(negative.getMessage().contains("-5 ms"), negative.getMessage());
        assertThrows(InvalidArgumentException.class,
                () -> Penlink.discover(0, false, true, "", "usb0"));
        assertThrows(InvalidArgumentException.class,
                () -> Penlink.discover(0, true, true, null, ""));
    }
}
