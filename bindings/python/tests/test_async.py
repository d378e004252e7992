"""The *_async commands: futures that resolve once the pen answered, fail with the same typed
errors as the blocking calls, and never hang, not even when the pen goes away mid-flight."""

from __future__ import annotations

import asyncio
import gc
import concurrent.futures
import threading
from typing import Callable, Iterator, List

import pytest

import penlink

from conftest import SimProcess, wait_for_status, wait_until

WAIT = 10.0  # seconds; a bound so a broken build fails instead of hanging


def test_commands_resolve_to_none_once_acknowledged(pen: penlink.Pen) -> None:
    assert pen.set_depth_async(mm=1.0).result(timeout=WAIT) is None
    assert pen.set_speed_async(hz=120).result(timeout=WAIT) is None
    started = pen.start_async()
    assert isinstance(started, concurrent.futures.Future)
    assert started.result(timeout=WAIT) is None
    status = wait_for_status(pen, lambda s: s.state is penlink.PenState.RUNNING)
    assert status.depth_set_mm == pytest.approx(1.0)
    assert status.speed_set_hz == pytest.approx(120.0)
    assert pen.stop_async().result(timeout=WAIT) is None
    wait_for_status(pen, lambda s: s.state is penlink.PenState.IDLE)


def test_out_of_range_arrives_through_the_future_with_value_limit_unit(pen: penlink.Pen) -> None:
    future = pen.set_depth_async(mm=3.5)  # refused on the host: still no immediate raise
    error = future.exception(timeout=WAIT)
    assert isinstance(error, penlink.OutOfRangeError)
    assert error.code is penlink.ErrorCode.OUT_OF_RANGE
    assert (error.value, error.limit, error.unit) == (pytest.approx(3.5), pytest.approx(3.0), "mm")
    assert "3.50" in str(error) and "3.00" in str(error)
    with pytest.raises(penlink.OutOfRangeError) as caught:
        pen.set_speed_async(hz=200).result(timeout=WAIT)
    assert (caught.value.value, caught.value.limit, caught.value.unit) == (200.0, 150.0, "Hz")


def test_failures_keep_the_class_the_blocking_call_raises() -> None:
    with penlink.connect("sim://?rf=0&led=0") as pen:
        with pytest.raises(penlink.NotSupportedError):
            pen.set_rf_async(power_w=5).result(timeout=WAIT)
        with pytest.raises(penlink.NotSupportedError):
            pen.set_led_async(wavelength_nm=633, irradiance_mw_cm2=10).result(timeout=WAIT)
        pen.emergency_stop_async().result(timeout=WAIT)
        with pytest.raises(penlink.SafetyError) as caught:
            pen.start_async().result(timeout=WAIT)
        assert caught.value.code is penlink.ErrorCode.EMERGENCY_STOPPED
        pen.clear_emergency_stop_async().result(timeout=WAIT)
        pen.start_async().result(timeout=WAIT)
        pen.stop()


def test_rf_and_led_modes(sim_pen_with_addons: penlink.Pen) -> None:
    pen = sim_pen_with_addons
    pen.set_led_async(wavelength_nm=pen.capabilities.led.channels[0].wavelength_nm,
                      irradiance_mw_cm2=10).result(timeout=WAIT)
    pen.led_off_async().result(timeout=WAIT)
    pen.set_rf_async(power_w=1, frequency_khz=1000).result(timeout=WAIT)
    pen.rf_off_async().result(timeout=WAIT)
    with pytest.raises(penlink.NotSupportedError):
        pen.set_led_async(wavelength_nm=1, irradiance_mw_cm2=10).result(timeout=WAIT)


@pytest.fixture
def sim_pen_with_addons() -> Iterator[penlink.Pen]:
    with penlink.connect("sim://?rf=1&led=1") as connected:
        yield connected


def test_many_concurrent_futures_all_complete(pen: penlink.Pen) -> None:
    futures: List[concurrent.futures.Future] = []
    lock = threading.Lock()

    def issue(thread_index: int) -> None:
        for i in range(50):
            if i % 10 == 9:
                future = pen.set_depth_async(mm=9.0)  # some fail, interleaved
            elif i % 2:
                future = pen.set_speed_async(hz=50 + (thread_index * 50 + i) % 100)
            else:
                future = pen.set_depth_async(um=100 * ((thread_index + i) % 30))
            with lock:
                futures.append(future)

    threads = [threading.Thread(target=issue, args=(index,)) for index in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=WAIT)
    assert len(futures) == 200
    done, not_done = concurrent.futures.wait(futures, timeout=WAIT)
    assert not not_done
    failed = [f for f in done if f.exception() is not None]
    assert len(failed) == 20
    assert all(isinstance(f.exception(), penlink.OutOfRangeError) for f in failed)


def test_done_callbacks_run_once_each(pen: penlink.Pen) -> None:
    calls: List[concurrent.futures.Future] = []
    all_done = threading.Event()

    def record(future: concurrent.futures.Future) -> None:
        calls.append(future)
        if len(calls) == 20:
            all_done.set()

    for index in range(20):
        pen.set_depth_async(um=100 * index).add_done_callback(record)
    assert all_done.wait(WAIT)
    assert len(set(map(id, calls))) == 20


def test_close_mid_burst_resolves_every_future(sim_process: Callable[..., SimProcess]) -> None:
    pen = penlink.connect(sim_process("--tcp", "0").url)
    futures = [pen.set_depth_async(um=100 * (index % 30)) for index in range(200)]
    pen.close()
    done, not_done = concurrent.futures.wait(futures, timeout=WAIT)
    assert not not_done
    for future in done:
        error = future.exception()
        assert error is None or isinstance(error, penlink.ConnectionLostError), error


def test_close_while_the_pen_is_silent(sim_process: Callable[..., SimProcess]) -> None:
    sim = sim_process("--tcp", "0", "--silent-after-ms", "1000")
    pen = penlink.connect(sim.url, command_timeout=0.5, command_retries=1, link_timeout=60.0)
    threading.Event().wait(1.2)  # past the point where the sim stops answering
    in_flight = [pen.set_speed_async(hz=100), pen.start_async(), pen.set_depth_async(mm=1.0)]
    pen.close()  # waits for its own Stop, which the silent pen never answers either
    for future in in_flight:
        error = future.exception(timeout=WAIT)
        assert isinstance(error, (penlink.TimeoutError, penlink.ConnectionLostError)), error


def test_lost_link_fails_what_is_in_flight(sim_process: Callable[..., SimProcess]) -> None:
    sim = sim_process("--tcp", "0", "--silent-after-ms", "1000")
    with penlink.connect(sim.url, command_timeout=30.0, link_timeout=2.0) as pen:
        threading.Event().wait(1.2)
        in_flight = [pen.start_async() for _ in range(3)]
        for future in in_flight:
            with pytest.raises(penlink.ConnectionLostError) as caught:
                future.result(timeout=WAIT)
            assert caught.value.code is penlink.ErrorCode.CONNECTION_LOST
        assert pen.connection_state is penlink.ConnectionState.LOST


def test_dropped_link_fails_commands(sim_process: Callable[..., SimProcess]) -> None:
    sim = sim_process("--tcp", "0", "--drop-link-after-ms", "500")
    with penlink.connect(sim.url) as pen:
        lost = threading.Event()
        pen.on_connection_state(
            lambda state, _: lost.set() if state is penlink.ConnectionState.LOST else None)
        # The link may already have dropped before the callback was registered (a slow
        # handshake on a loaded machine): then no change is reported, the state says so.
        if pen.connection_state is penlink.ConnectionState.LOST:
            lost.set()
        assert lost.wait(WAIT)
        with pytest.raises(penlink.ConnectionError):
            pen.set_depth_async(mm=1.0).result(timeout=WAIT)


def test_commands_on_a_closed_pen_fail_through_the_future() -> None:
    pen = penlink.connect("sim://")
    pen.close()
    future = pen.start_async()  # no raise here
    with pytest.raises(penlink.ConnectionLostError):
        future.result(timeout=WAIT)


def test_futures_cannot_be_cancelled_once_sent(pen: penlink.Pen) -> None:
    future = pen.stop_async()
    assert not future.cancel()
    assert future.result(timeout=WAIT) is None


def test_asyncio_with_wrap_future(pen: penlink.Pen) -> None:
    async def session() -> List[object]:
        await asyncio.wrap_future(pen.set_depth_async(mm=0.5))
        results = await asyncio.gather(
            *(asyncio.wrap_future(pen.set_speed_async(hz=hz)) for hz in (60, 80, 100)))
        with pytest.raises(penlink.OutOfRangeError) as caught:
            await asyncio.wait_for(asyncio.wrap_future(pen.set_depth_async(mm=4.0)), WAIT)
        assert caught.value.unit == "mm"
        return list(results)

    assert asyncio.run(asyncio.wait_for(session(), WAIT)) == [None, None, None]


def test_listeners_are_released_once_told(pen: penlink.Pen) -> None:
    from penlink import _async

    def alive() -> int:
        gc.collect()
        return sum(isinstance(obj, _async._Completion) for obj in gc.get_objects())

    futures = [pen.set_depth_async(um=100 * index) for index in range(20)]
    futures.append(pen.set_depth_async(mm=9.0))
    concurrent.futures.wait(futures, timeout=WAIT)
    # C++ deletes each listener right after its on_done returned, which may be a moment after
    # the future resolved.
    assert wait_until(lambda: alive() == 0)
