package io.penlink;

/** Who the pen is, as reported in the handshake. firmwareVersion is "major.minor.patch". */
public record DeviceInfo(String model, String serialNumber, String firmwareVersion,
        int protocolVersion) {}
