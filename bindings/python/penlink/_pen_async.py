"""The asynchronous twins of Pen's commands (set_depth_async, start_async, ...), a mixin of
penlink.Pen: each returns a future at once instead of waiting for the pen."""

from __future__ import annotations

from concurrent.futures import Future
from typing import Any, Optional

from . import _async, _convert
from ._command_arguments import _depth, _mode, _speed
from .errors import PenError
from .types import LedMode, RfMode


class AsyncCommands:
    """Pen's *_async commands; Pen holds the native pen they send through."""

    __slots__ = ()

    # --- asynchronous commands --------------------------------------------------------------
    # Each returns a concurrent.futures.Future at once. It resolves to None once the pen
    # acknowledged, or fails with the PenError subclass the synchronous call would raise; a
    # refusal on the host (out of range) arrives through the future too. Futures resolve on
    # the pen's callback thread, so callbacks added with add_done_callback run there (a bad
    # argument fails the future at once, on the calling thread). In
    # asyncio, the future is awaitable as it is: `await pen.start_async()`. Closing the pen, or
    # losing the link, fails what is in flight with ConnectionLostError.

    def set_depth_async(self, *, mm: Optional[float] = None,
                        um: Optional[int] = None) -> "Future[None]":
        """set_depth() without waiting: an awaitable concurrent.futures.Future that resolves to
        None once the pen acknowledged, or fails with the PenError set_depth() would raise."""
        try:
            depth = _depth("set_depth_async", mm, um)
        except PenError as error:
            return _async.refused(error)
        return _async.submit(lambda done: self._native.set_depth_async(depth, done))

    def set_speed_async(self, *, hz: float) -> "Future[None]":
        """set_speed() without waiting: an awaitable concurrent.futures.Future that resolves to
        None once the pen acknowledged, or fails with the PenError set_speed() would raise."""
        try:
            speed = _speed(hz)
        except PenError as error:
            return _async.refused(error)
        return _async.submit(lambda done: self._native.set_speed_async(speed, done))

    def start_async(self) -> "Future[None]":
        """start() without waiting: an awaitable concurrent.futures.Future that resolves to
        None once the pen acknowledged, or fails with the PenError start() would raise."""
        return _async.submit(self._native.start_async)

    def stop_async(self) -> "Future[None]":
        """stop() without waiting: an awaitable concurrent.futures.Future that resolves to
        None once the pen acknowledged, or fails with the PenError stop() would raise."""
        return _async.submit(self._native.stop_async)

    def set_rf_async(self, mode: Optional[RfMode] = None, **fields: Any) -> "Future[None]":
        """set_rf() without waiting: an awaitable concurrent.futures.Future that resolves to
        None once the pen acknowledged, or fails with the PenError set_rf() would raise."""
        try:
            native = _convert.rf_mode(_mode(RfMode, mode, fields))
        except PenError as error:
            return _async.refused(error)
        return _async.submit(lambda done: self._native.set_rf_mode_async(native, done))

    def rf_off_async(self) -> "Future[None]":
        """rf_off() without waiting: an awaitable concurrent.futures.Future that resolves to
        None once the pen acknowledged, or fails with the PenError rf_off() would raise."""
        return self.set_rf_async(RfMode(enabled=False))

    def set_led_async(self, mode: Optional[LedMode] = None, **fields: Any) -> "Future[None]":
        """set_led() without waiting: an awaitable concurrent.futures.Future that resolves to
        None once the pen acknowledged, or fails with the PenError set_led() would raise."""
        try:
            native = _convert.led_mode(_mode(LedMode, mode, fields))
        except PenError as error:
            return _async.refused(error)
        return _async.submit(lambda done: self._native.set_led_mode_async(native, done))

    def led_off_async(self) -> "Future[None]":
        """led_off() without waiting: an awaitable concurrent.futures.Future that resolves to
        None once the pen acknowledged, or fails with the PenError led_off() would raise."""
        return self.set_led_async(LedMode(enabled=False))

    def emergency_stop_async(self) -> "Future[None]":
        """emergency_stop() without waiting: an awaitable concurrent.futures.Future that resolves to
        None once the pen acknowledged, or fails with the PenError emergency_stop() would raise."""
        return _async.submit(self._native.emergency_stop_async)

    def clear_emergency_stop_async(self) -> "Future[None]":
        """clear_emergency_stop() without waiting: an awaitable concurrent.futures.Future that resolves to
        None once the pen acknowledged, or fails with the PenError clear_emergency_stop() would raise."""
        return _async.submit(self._native.clear_emergency_stop_async)
