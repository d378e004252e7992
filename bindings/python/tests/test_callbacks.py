"""Callbacks: exceptions stay in Python and are logged, events and connection states arrive,
and the log handler receives SDK log lines."""

from __future__ import annotations

import threading

import pytest

import penlink
from conftest import wait_until


@pytest.fixture
def log_lines():
    lines = []
    penlink.set_log_handler(lambda level, message: lines.append((level, message)),
                            penlink.LogLevel.WARNING)
    yield lines
    penlink.set_log_handler(None)


def test_raising_callback_does_not_kill_the_sdk(pen: penlink.Pen, log_lines) -> None:
    calls = []
    recovered = threading.Event()

    def flaky(status: penlink.Status) -> None:
        calls.append(status.sequence)
        if len(calls) <= 3:
            raise RuntimeError(f"boom {len(calls)}")
        if len(calls) >= 20:
            recovered.set()

    with pen.on_status(flaky, rate_hz=500):
        assert recovered.wait(timeout=10), "status stopped after the callback raised"
    # The pen still answers commands after its callback thread saw exceptions.
    pen.set_depth(mm=0.5)
    errors = [message for level, message in log_lines if level is penlink.LogLevel.ERROR]
    assert len(errors) >= 3
    assert "RuntimeError: boom 1" in errors[0]
    assert "flaky" in errors[0] and "Traceback" in errors[0]


def test_raising_event_and_connection_callbacks_are_logged(log_lines) -> None:
    pen = penlink.connect("sim://")
    states = []

    def on_state(state: penlink.ConnectionState, reason: str) -> None:
        states.append(state)
        raise ValueError("connection callback bug")

    def on_event(event: penlink.Event) -> None:
        raise KeyError("event callback bug")

    pen.on_connection_state(on_state)
    pen.on_event(on_event)
    pen.emergency_stop()
    assert wait_until(lambda: any("event callback bug" in m for _, m in log_lines))
    pen.clear_emergency_stop()
    pen.close()
    assert any("KeyError" in m for _, m in log_lines)


def test_events_arrive_as_named_tuples(pen: penlink.Pen) -> None:
    events = []
    got = threading.Event()

    def on_event(event: penlink.Event) -> None:
        events.append(event)
        if event.kind is penlink.EventKind.EMERGENCY_CLEARED:
            got.set()

    pen.on_event(on_event)
    pen.emergency_stop()
    pen.clear_emergency_stop()
    assert got.wait(timeout=5)
    kinds = [event.kind for event in events]
    assert penlink.EventKind.EMERGENCY_STOPPED in kinds
    assert isinstance(events[0].device_time_ms, int)


def test_connection_lost_is_reported(sim_process) -> None:
    sim = sim_process("--tcp", "0", "--drop-link-after-ms", "300")
    lost = threading.Event()
    reasons = []

    def on_state(state: penlink.ConnectionState, reason: str) -> None:
        if state is penlink.ConnectionState.LOST:
            reasons.append(reason)
            lost.set()

    with penlink.connect(sim.url) as pen:
        pen.on_connection_state(on_state)
        assert lost.wait(timeout=10)
        assert pen.connection_state is penlink.ConnectionState.LOST
        with pytest.raises(penlink.ConnectionError):
            pen.set_depth(mm=1.0)


def test_unsubscribe_from_inside_the_callback(pen: penlink.Pen) -> None:
    calls = []
    done = threading.Event()
    registered = threading.Event()
    holder = {}

    def once(status: penlink.Status) -> None:
        # The first frame may arrive before on_status() has returned to the test thread.
        assert registered.wait(timeout=5)
        calls.append(status)
        holder["sub"].unsubscribe()
        done.set()

    holder["sub"] = pen.on_status(once, rate_hz=500)
    registered.set()
    assert done.wait(timeout=5)
    frames = pen.received_status_frames
    assert wait_until(lambda: pen.received_status_frames > frames + 20)
    assert len(calls) == 1


def test_callback_may_call_pen_methods(pen: penlink.Pen) -> None:
    done = threading.Event()
    seen = []

    def reentrant(status: penlink.Status) -> None:
        if not done.is_set():
            pen.set_speed(hz=120)  # blocks on the pen while on its own callback thread
            seen.append(pen.latest_status)
            done.set()

    with pen.on_status(reentrant, rate_hz=100):
        assert done.wait(timeout=10)
    assert seen[0] is not None


def test_log_handler_gets_sdk_lines_and_can_be_removed(log_lines) -> None:
    penlink.set_log_handler(lambda level, message: log_lines.append((level, message)),
                            penlink.LogLevel.TRACE)
    with penlink.connect("sim://") as pen:
        pen.set_depth(mm=1.0)
    assert log_lines, "no log line at trace level for a whole session"
    assert all(isinstance(level, penlink.LogLevel) for level, _ in log_lines)
    penlink.set_log_handler(None)
    count = len(log_lines)
    with penlink.connect("sim://"):
        pass
    assert len(log_lines) == count


def test_raising_log_handler_does_not_break_the_sdk(capfd) -> None:
    def broken(level: penlink.LogLevel, message: str) -> None:
        raise RuntimeError("log handler bug")

    penlink.set_log_handler(broken, penlink.LogLevel.TRACE)
    try:
        with penlink.connect("sim://") as pen:
            pen.set_depth(mm=1.0)
            assert wait_until(lambda: pen.received_status_frames > 3)
    finally:
        penlink.set_log_handler(None)
    assert "log handler bug" in capfd.readouterr().err


def test_raw_director_exception_is_contained(pen: penlink.Pen, capfd) -> None:
    """The C++ safety net under the package's own try/except: a listener subclassing the SWIG
    class directly that raises is printed and logged, and delivery goes on."""
    calls = []

    class RawListener(penlink.native.StatusListener):
        def on_status(self, status):
            calls.append(status)
            raise RuntimeError("raw listener bug")

    listener = RawListener()
    subscription = pen._native.subscribe_status(listener, 200)
    assert wait_until(lambda: len(calls) >= 5)
    subscription.unsubscribe()
    pen.set_depth(mm=0.5)  # the pen and this thread are fine
    assert "raw listener bug" in capfd.readouterr().err
