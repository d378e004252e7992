package io.penlink;

import java.util.OptionalInt;

/**
 * A pen found by {@link Penlink#discover}: url is ready for {@link Pen#connect}. BLE pens carry
 * address, adapter and (when seen while scanning) RSSI; USB serial pens their VID, PID and
 * serial number.
 */
public record DiscoveredPen(String url, String name, TransportKind transport, String address,
        String adapter, OptionalInt rssiDbm, int usbVid, int usbPid, String serialNumber) {}
