package io.penlink;

/** A serial port found on this machine; usbVid and usbPid are 0 if it is not USB. */
public record SerialPortInfo(String path, String description, boolean isUsb, int usbVid,
        int usbPid, String manufacturer, String product, String serialNumber) {}
