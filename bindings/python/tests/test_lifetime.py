"""Destruction in any order under garbage collection: nothing crashes, and every pen's C++
threads are gone once nothing references it."""

from __future__ import annotations

import gc
import os
import threading
import weakref

import penlink
from conftest import wait_until


def os_threads() -> int:
    return len(os.listdir("/proc/self/task"))


def settled_threads(baseline: int) -> bool:
    gc.collect()
    return wait_until(lambda: os_threads() <= baseline, timeout=10)


def counting_subscription(pen: penlink.Pen) -> tuple:
    count = [0]
    subscription = pen.on_status(lambda status: count.__setitem__(0, count[0] + 1), rate_hz=200)
    return subscription, count


def test_drop_pen_before_subscription() -> None:
    baseline = os_threads()
    pen = penlink.connect("sim://")
    subscription, count = counting_subscription(pen)
    del pen
    gc.collect()
    # The subscription keeps the pen alive: frames still come.
    start = count[0]
    assert wait_until(lambda: count[0] > start + 10)
    subscription.unsubscribe()
    del subscription
    assert settled_threads(baseline)


def test_drop_subscription_before_pen() -> None:
    baseline = os_threads()
    pen = penlink.connect("sim://")
    subscription, count = counting_subscription(pen)
    assert wait_until(lambda: count[0] > 5)
    del subscription
    gc.collect()
    del pen
    assert settled_threads(baseline)


def test_drop_everything_unclosed_in_a_cycle() -> None:
    baseline = os_threads()
    pen = penlink.connect("sim://")
    received = []
    # The callback references the pen: pen -> subscription -> listener -> callback -> pen.
    pen.on_status(lambda status: received.append(pen.url), rate_hz=200)
    pen.on_event(lambda event: received.append(pen))
    stream = pen.status(rate_hz=100)
    next(stream)
    assert wait_until(lambda: len(received) > 5)
    del pen, stream
    assert settled_threads(baseline)


def test_last_reference_dropped_on_the_callback_thread() -> None:
    baseline = os_threads()
    box = {"pen": penlink.connect("sim://")}
    released = threading.Event()

    def drop_my_pen(status: penlink.Status) -> None:
        if box:
            box.clear()  # the only strong reference: the pen dies inside its own callback
            gc.collect()
            released.set()

    box["pen"].on_status(drop_my_pen, rate_hz=200)
    assert released.wait(timeout=5)
    assert settled_threads(baseline)


def test_close_inside_a_callback() -> None:
    pen = penlink.connect("sim://")
    closed = threading.Event()

    def close_it(status: penlink.Status) -> None:
        if not closed.is_set():
            pen.close()
            closed.set()

    pen.on_status(close_it, rate_hz=200)
    assert closed.wait(timeout=5)
    assert pen.connection_state is penlink.ConnectionState.CLOSED
    assert pen._subscriptions == set()


def test_many_pens_come_and_go() -> None:
    baseline = os_threads()
    refs = []
    for _ in range(20):
        pen = penlink.connect("sim://")
        pen.on_status(lambda status: None, rate_hz=100)
        refs.append(weakref.ref(pen))
        del pen
    assert settled_threads(baseline)
    assert all(ref() is None for ref in refs)


def test_subscription_outlives_closed_pen() -> None:
    pen = penlink.connect("sim://")
    subscription, _ = counting_subscription(pen)
    pen.close()
    assert not subscription.active
    subscription.unsubscribe()
    del pen
    gc.collect()
