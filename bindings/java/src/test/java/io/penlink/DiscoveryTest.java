package io.penlink;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Discovery answers at once for serial only and refuses bad input. The BLE cases need the fake
 * BlueZ around the suite (CTest runs it under tests/ble/with_fake_bluez.sh, which sets
 * PENLINK_FAKE_BLE_URL) and are skipped, saying so, without it.
 */
class DiscoveryTest {
    private static String fakeBlePen() {
        String url = System.getenv("PENLINK_FAKE_BLE_URL");
        Assumptions.assumeTrue(url != null,
                "no fake BlueZ: run the suite under tests/ble/with_fake_bluez.sh");
        return url;
    }

    private static List<String> urls(List<DiscoveredPen> pens) {
        List<String> urls = new ArrayList<>();
        for (DiscoveredPen pen : pens) {
            urls.add(pen.url());
        }
        return urls;
    }

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
        assertThrows(InvalidArgumentException.class,
                () -> Penlink.discover(-1, pen -> {}));
    }

    @Test
    void progressHandsOverEachBlePenAsItIsFound() {
        String url = fakeBlePen();
        List<DiscoveredPen> seen = new ArrayList<>();
        Thread caller = Thread.currentThread();
        List<DiscoveredPen> pens = Penlink.discover(800, false, true, "", "", pen -> {
            assertTrue(Thread.currentThread() == caller, "onFound runs on the calling thread");
            seen.add(pen);
        });
        assertEquals(List.of(url), urls(seen));
        assertEquals(urls(pens), urls(seen));
        assertEquals(TransportKind.BLE, seen.get(0).transport());
        assertEquals("penlink-sim", seen.get(0).name());
    }

    @Test
    void whatProgressThrowsComesOutOfDiscover() {
        fakeBlePen();
        IllegalStateException thrown = assertThrows(IllegalStateException.class,
                () -> Penlink.discover(800, false, true, "", "", pen -> {
                    throw new IllegalStateException("seen enough");
                }));
        assertEquals("seen enough", thrown.getMessage());
    }

    @Test
    void statusRateSaysWhatTheBleLinkGrants() {
        String url = fakeBlePen();
        try (Pen pen = Pen.connect(url, ConnectOptions.defaults().withConnectTimeoutMs(10000));
                Subscription status = pen.onStatus(frame -> {}, 1000)) {
            StatusRate rate = status.statusRate();
            assertEquals(1000, rate.requestedHz());
            assertEquals(223, rate.grantedHz());  // 244 * 1000 / 15 bytes/s x 92% / 67 bytes
            assertEquals(StatusRateLimit.LINK, rate.limitedBy());
            assertTrue(rate.reason().contains("92%"), rate.reason());
        }
    }

    @Test
    void statusRateOfAnUnlimitedLinkIsWhatWasAsked() {
        try (Pen pen = Pen.connect("sim://");
                Subscription status = pen.onStatus(frame -> {}, 200);
                Subscription events = pen.onEvent(event -> {})) {
            assertEquals(new StatusRate(200, 200, StatusRateLimit.NONE, ""), status.statusRate());
            assertEquals(new StatusRate(0, 0, StatusRateLimit.NONE, ""), events.statusRate());
        }
    }
}
