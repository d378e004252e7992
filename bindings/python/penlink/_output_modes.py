"""The settings of the RF and LED outputs a pen is commanded with (penlink.types re-exports
them): RfMode, LedMode and RfPolarity. Built only when they make sense: an output switched on
always says with what (power above 0, irradiance above 0, a pulse rate when pulsed)."""

from __future__ import annotations

import dataclasses
import enum
from typing import Any

from . import _checks
from .errors import InvalidArgumentError


class RfPolarity(enum.IntEnum):
    """How RF energy flows: monopolar (to a return pad) or bipolar (between needles)."""

    MONOPOLAR = 0
    BIPOLAR = 1


class _Required:
    """Default of a mode's `enabled`: saying whether the output is on is never left implicit."""

    def __repr__(self) -> str:
        return "<required>"


_REQUIRED: Any = _Required()


@dataclasses.dataclass(frozen=True)
class RfMode:
    """RF energy settings (add-on). `enabled` must be given: RfMode(enabled=True, power_w=5,
    frequency_khz=1500) switches RF on, RfMode.off() (or enabled=False) switches it off. An
    enabled mode at 0 W delivers nothing and cannot be built. Pen.set_rf(power_w=...,
    frequency_khz=...) builds an enabled mode for you."""

    enabled: bool = _REQUIRED  #: True switches RF on with these settings
    polarity: RfPolarity = RfPolarity.BIPOLAR
    frequency_khz: int = 1000
    power_w: float = 0.0  #: above 0 when enabled
    pulse_ms: int = 100

    def __post_init__(self) -> None:
        if self.enabled is _REQUIRED:
            raise InvalidArgumentError(
                "RfMode needs enabled=True (with power_w above 0) or enabled=False; "
                "RfMode.off() is the mode that switches RF off")
        enabled = _checks.boolean("RF enabled", self.enabled)
        _checks.member("RF polarity", self.polarity, RfPolarity)
        _checks.integer("RF frequency", self.frequency_khz, "kHz")
        power = _checks.real("RF power", self.power_w, "W")
        _checks.integer("RF pulse length", self.pulse_ms, "ms")
        if enabled and power == 0:
            raise InvalidArgumentError(
                "RF power 0 W with enabled=True delivers nothing: give power_w above 0, "
                "or switch RF off with RfMode.off() / pen.rf_off()")

    @classmethod
    def off(cls) -> "RfMode":
        """The mode that switches RF off."""
        return cls(enabled=False)


@dataclasses.dataclass(frozen=True)
class LedMode:
    """LED light settings (add-on); wavelength_nm picks a fitted channel. `enabled` must be
    given: LedMode(enabled=True, wavelength_nm=633, irradiance_mw_cm2=40) switches the LED on,
    LedMode.off() (or enabled=False) switches it off. An enabled mode at 0 mW/cm2, or pulsed at
    0 Hz, emits nothing and cannot be built. Pen.set_led(wavelength_nm=...,
    irradiance_mw_cm2=...) builds an enabled mode for you."""

    enabled: bool = _REQUIRED  #: True switches the LED on with these settings
    wavelength_nm: int = 633
    irradiance_mw_cm2: float = 0.0  #: above 0 when enabled
    pulsed: bool = False
    pulse_rate_hz: float = 0.0  #: pulsed only, above 0
    duty_percent: float = 50.0  #: pulsed only, (0, 100]

    def __post_init__(self) -> None:
        if self.enabled is _REQUIRED:
            raise InvalidArgumentError(
                "LedMode needs enabled=True (with irradiance_mw_cm2 above 0) or enabled=False; "
                "LedMode.off() is the mode that switches the LED off")
        enabled = _checks.boolean("LED enabled", self.enabled)
        _checks.integer("LED wavelength", self.wavelength_nm, "nm")
        irradiance = _checks.real("LED irradiance", self.irradiance_mw_cm2, "mW/cm2")
        pulsed = _checks.boolean("LED pulsed", self.pulsed)
        rate = _checks.real("LED pulse rate", self.pulse_rate_hz, "Hz")
        _checks.real("LED duty cycle", self.duty_percent, "%")
        if enabled and irradiance == 0:
            raise InvalidArgumentError(
                "LED irradiance 0 mW/cm2 with enabled=True emits nothing: give "
                "irradiance_mw_cm2 above 0, or switch the LED off with LedMode.off() / "
                "pen.led_off()")
        if enabled and pulsed and rate == 0:
            raise InvalidArgumentError(
                "LED pulse rate 0 Hz with pulsed=True never pulses: give pulse_rate_hz above 0, "
                "or pulsed=False for continuous light")

    @classmethod
    def off(cls) -> "LedMode":
        """The mode that switches the LED off."""
        return cls(enabled=False)
