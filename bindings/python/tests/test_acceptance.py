"""The acceptance scenario, against sim://, penlink-sim over TCP and over a pseudo-terminal."""

from __future__ import annotations

import threading

import pytest

import penlink
from conftest import wait_for_status


def test_full_session(pen_url: str) -> None:
    events = []
    with penlink.connect(pen_url) as pen:
        # Capabilities and identity, as the pen reported them.
        assert pen.connection_state is penlink.ConnectionState.CONNECTED
        assert pen.info.model == "PL-SIM-1"
        assert pen.info.protocol_version == 2
        caps = pen.capabilities
        assert (caps.depth_min_mm, caps.depth_max_mm) == (0.0, 3.0)
        assert (caps.speed_min_hz, caps.speed_max_hz) == (50.0, 150.0)
        assert caps.rf.fitted and caps.led.fitted
        assert 633 in caps.led.wavelengths_nm

        pen.on_event(events.append)

        # Settings, then run, with status delivered to a callback.
        pen.set_depth(mm=1.0)
        pen.set_speed(hz=100)
        pen.set_led(wavelength_nm=633, irradiance_mw_cm2=40.0)
        pen.set_rf(power_w=5.0, frequency_khz=1500, polarity=penlink.RfPolarity.BIPOLAR)

        received = []
        enough = threading.Event()

        def on_status(status: penlink.Status) -> None:
            received.append(status)
            if len(received) >= 200:
                enough.set()

        subscription = pen.on_status(on_status, rate_hz=1000)
        pen.start()
        assert enough.wait(timeout=10), f"only {len(received)} status frames in 10 s"
        subscription.unsubscribe()
        assert not subscription.active
        count = len(received)

        first, last = received[0], received[-1]
        assert isinstance(last, penlink.Status)
        assert last.sequence > first.sequence
        running = wait_for_status(pen, lambda s: s.state is penlink.PenState.RUNNING
                                  and s.depth_actual_mm == pytest.approx(1.0)
                                  and s.led_enabled and s.rf_enabled)
        assert running.speed_set_hz == pytest.approx(100.0)
        assert running.led_wavelength_nm == 633

        pen.stop()
        assert wait_for_status(pen, lambda s: s.state is penlink.PenState.IDLE)
        assert len(received) == count, "callback ran after unsubscribe() returned"

        # Out of range: typed error carrying value, limit and unit, and a message naming them.
        with pytest.raises(penlink.OutOfRangeError) as caught:
            pen.set_depth(mm=3.2)
        assert caught.value.value == pytest.approx(3.2)
        assert caught.value.limit == pytest.approx(3.0)
        assert caught.value.unit == "mm"
        assert "3.20 mm" in str(caught.value) and "3.00 mm" in str(caught.value)
        assert caught.value.code is penlink.ErrorCode.OUT_OF_RANGE
        assert isinstance(caught.value, ValueError)

        # Emergency stop latches, refuses Start, and clears.
        pen.start()
        pen.emergency_stop()
        stopped = wait_for_status(pen, lambda s: s.state is penlink.PenState.EMERGENCY_STOPPED)
        assert stopped.faults & penlink.Fault.EMERGENCY_STOP
        assert not stopped.rf_enabled and not stopped.led_enabled
        with pytest.raises(penlink.SafetyError) as refused:
            pen.start()
        assert refused.value.code is penlink.ErrorCode.EMERGENCY_STOPPED
        pen.clear_emergency_stop()
        cleared = wait_for_status(pen, lambda s: s.state is penlink.PenState.IDLE)
        assert not cleared.faults & penlink.Fault.EMERGENCY_STOP
        assert any(e.kind is penlink.EventKind.EMERGENCY_STOPPED for e in events)

    assert pen.connection_state is penlink.ConnectionState.CLOSED
    with pytest.raises(penlink.ConnectionLostError):
        pen.start()
    pen.close()  # idempotent
