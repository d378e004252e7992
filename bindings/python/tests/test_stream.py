"""pen.status(): the status iterator."""

from __future__ import annotations

import gc
import threading
import time

import pytest

import penlink
from conftest import wait_until


def test_iterates_fresh_frames_in_order(pen: penlink.Pen) -> None:
    sequences = []
    for status in pen.status(rate_hz=500):
        sequences.append(status.sequence)
        if len(sequences) == 50:
            break
    assert sequences == sorted(sequences)
    assert len(set(sequences)) == 50


def test_breaking_out_unsubscribes(pen: penlink.Pen) -> None:
    for _ in pen.status(rate_hz=200):
        break
    gc.collect()
    assert pen._subscriptions == set()


def test_close_and_context_manager(pen: penlink.Pen) -> None:
    with pen.status(rate_hz=200) as stream:
        first = next(stream)
        assert isinstance(first, penlink.Status)
    assert pen._subscriptions == set()
    # Frames queued before the end may still come; then it stops.
    assert len(list(stream)) <= 1024


def test_slow_consumer_drops_and_counts(pen: penlink.Pen) -> None:
    stream = pen.status(rate_hz=2000, max_queue=4)
    assert wait_until(lambda: stream.dropped > 0)
    stream.close()
    queued = list(stream)
    assert len(queued) == 4


def test_closing_the_pen_ends_iteration_in_another_thread() -> None:
    pen = penlink.connect("sim://")
    seen = []
    finished = threading.Event()

    def consume() -> None:
        for status in pen.status(rate_hz=100, timeout=10):
            seen.append(status)
        finished.set()

    thread = threading.Thread(target=consume)
    thread.start()
    assert wait_until(lambda: len(seen) >= 3)
    pen.close()
    assert finished.wait(timeout=10), "iteration did not stop when the pen closed"
    thread.join(timeout=10)


def test_connection_lost_raises(sim_process) -> None:
    sim = sim_process("--tcp", "0", "--drop-link-after-ms", "300")
    with penlink.connect(sim.url) as pen:
        with pytest.raises(penlink.ConnectionLostError):
            for _ in pen.status(rate_hz=100, timeout=10):
                pass


def test_timeout_when_nothing_arrives(sim_process) -> None:
    sim = sim_process("--tcp", "0", "--silent-after-ms", "200")
    with penlink.connect(sim.url, link_timeout=30.0) as pen:
        time.sleep(0.3)
        with pytest.raises(penlink.TimeoutError):
            for _ in pen.status(rate_hz=100, timeout=0.5):
                pass


def test_arguments_are_checked(pen: penlink.Pen) -> None:
    with pytest.raises(penlink.InvalidArgumentError):
        pen.status(max_queue=0)
    with pytest.raises(penlink.InvalidArgumentError):
        pen.status(timeout=0)
    with pytest.raises(penlink.OutOfRangeError):
        pen.status(rate_hz=1_000_000)
    gc.collect()
    assert pen._subscriptions == set()


def test_status_rate_of_an_unlimited_link_is_what_was_asked(pen: penlink.Pen) -> None:
    # The in-process link carries everything: nothing limits the rate (over BLE: test_ble.py).
    with pen.status(rate_hz=200) as stream:
        assert stream.status_rate == penlink.StatusRate(
            requested_hz=200, granted_hz=200, limited_by=penlink.StatusRateLimit.NONE, reason="")
    events = pen.on_event(lambda event: None)
    assert events.status_rate.requested_hz == 0
    events.unsubscribe()
    status = pen.on_status(lambda frame: None, rate_hz=20)
    assert status.status_rate.granted_hz == 20
    status.unsubscribe()
    assert status.status_rate == penlink.StatusRate(0, 0, penlink.StatusRateLimit.NONE, "")
