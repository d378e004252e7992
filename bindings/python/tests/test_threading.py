"""connect(threading=...): pens on penlink's shared threads or on threads of their own, against
sim:// in process, penlink-sim over TCP and penlink-sim on a pseudo-terminal."""

from __future__ import annotations

import threading as _threads
from typing import Dict, List, Set

import pytest

import penlink
from conftest import wait_for_status, wait_until


@pytest.mark.parametrize("mode", list(penlink.Threading))
def test_a_command_and_status_callbacks_work(pen_url: str, mode: penlink.Threading) -> None:
    frames: List[penlink.Status] = []
    threads: Set[int] = set()

    def on_status(status: penlink.Status) -> None:
        threads.add(_threads.get_ident())
        frames.append(status)

    with penlink.connect(pen_url, threading=mode) as pen:
        with pen.on_status(on_status, rate_hz=100):
            pen.set_depth(mm=1.25)
            assert wait_until(lambda: len(frames) >= 5)
        assert wait_for_status(pen, lambda s: abs(s.depth_set_mm - 1.25) < 1e-6)
    assert _threads.get_ident() not in threads  # callbacks never run on the caller's thread


def _callback_threads(mode: penlink.Threading, pens: int) -> Dict[int, Set[int]]:
    """For each of `pens` pens connected together: the threads its status callbacks ran on."""
    seen: Dict[int, Set[int]] = {index: set() for index in range(pens)}
    lock = _threads.Lock()
    connected = [penlink.connect("sim://", threading=mode) for _ in range(pens)]
    try:
        subscriptions = []
        for index, pen in enumerate(connected):
            def record(status: penlink.Status, index: int = index) -> None:
                with lock:
                    seen[index].add(_threads.get_ident())
            subscriptions.append(pen.on_status(record, rate_hz=100))
        assert wait_until(lambda: all(len(s) > 0 for s in seen.values()))
        for pen in connected:  # more frames, so each pen's callbacks run many times
            pen.set_depth(mm=0.5)
        for subscription in subscriptions:
            subscription.unsubscribe()
    finally:
        for pen in connected:
            pen.close()
    return seen


def test_dedicated_pens_each_have_their_own_callback_thread() -> None:
    seen = _callback_threads(penlink.Threading.DEDICATED, 3)
    assert all(len(threads) == 1 for threads in seen.values()), seen
    assert len(set.union(*seen.values())) == 3, seen


def test_shared_pens_share_two_callback_threads() -> None:
    seen = _callback_threads(penlink.Threading.SHARED, 4)
    assert 1 <= len(set.union(*seen.values())) <= 2, seen


def test_the_default_is_shared_and_a_number_is_accepted() -> None:
    assert penlink.Threading.SHARED == 0 and penlink.Threading.DEDICATED == 1
    with penlink.connect("sim://", threading=1) as pen:
        pen.set_depth(mm=0.75)
    with penlink.connect("sim://") as pen:
        pen.set_depth(mm=0.75)


@pytest.mark.parametrize("bad", [2, -1, "dedicated", True, None, 1.0])
def test_a_bad_threading_value_is_refused(bad: object) -> None:
    with pytest.raises(penlink.InvalidArgumentError) as refused:
        penlink.connect("sim://", threading=bad)
    message = str(refused.value)
    assert message.startswith(f"threading {bad!r}") or message.startswith(f"threading {bad}")
    assert "shared (0)" in message and "dedicated (1)" in message
