package io.penlink;

/** One fitted LED channel: its wavelength and the highest irradiance it may deliver. */
public record LedChannel(int wavelengthNm, double maxIrradianceMwCm2) {}
