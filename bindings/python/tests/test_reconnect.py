"""A lost link comes back with reconnect(): same pen, same callbacks."""

from __future__ import annotations

import threading
from typing import Callable

import penlink

from conftest import SimProcess, wait_until


def test_reconnect_after_the_link_dropped(sim_process: Callable[..., SimProcess]) -> None:
    sim = sim_process("--tcp", "0", "--drop-link-after-ms", "1500")
    frames = 0
    lock = threading.Lock()

    def count(_: penlink.Status) -> None:
        nonlocal frames
        with lock:
            frames += 1

    with penlink.connect(sim.url) as pen:
        pen.on_status(count, rate_hz=100)
        assert wait_until(lambda: pen.connection_state is penlink.ConnectionState.LOST, timeout=10)
        try:
            pen.set_speed(hz=100)
            raise AssertionError("a command on a lost link succeeded")
        except penlink.ConnectionError:
            pass
        pen.reconnect()
        assert pen.connection_state is penlink.ConnectionState.CONNECTED
        with lock:
            before = frames
        assert wait_until(lambda: frames > before + 20)
        pen.set_depth(mm=1.0)
        pen.reconnect()  # connected: nothing to do
        assert pen.connection_state is penlink.ConnectionState.CONNECTED
