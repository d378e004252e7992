"""Pen's status frames and events (on_status, status(), on_event, on_connection_state, the
latest frame and the frame counters), a mixin of penlink.Pen."""

from __future__ import annotations

from typing import Any, Callable, Optional

from . import _checks, _listeners
from ._stream import StatusStream
from ._subscription import Subscription
from .types import ConnectionState, Event, Status


class StatusAndEvents:
    """Pen's status and event calls; Pen holds the native pen and registers the subscriptions
    (Pen._register, Pen._subscribe_status)."""

    __slots__ = ()

    # --- status and events ------------------------------------------------------------------

    def on_status(self, callback: Callable[[Status], Any], rate_hz: int = 50) -> Subscription:
        """Calls callback(status) for each status frame on the pen's callback thread, asking
        the pen to stream at least rate_hz. Frames coming faster than one every 2 ms arrive
        in runs at most once every 2 ms (each frame once, in order), so a frame may wait up
        to 2 ms. While they do, what else the pen sends (events, answers to asynchronous
        commands) may wait as long."""
        return self._subscribe_status(callback, rate_hz)

    def status(self, rate_hz: int = 50, *, max_queue: int = 1024,
               timeout: float = 5.0) -> StatusStream:
        """Status frames as an iterator (`for s in pen.status(rate_hz=100): ...`). Breaking
        out of the loop unsubscribes. At most max_queue frames wait; more are dropped and
        counted in .dropped. Raises TimeoutError after timeout seconds without a frame."""
        return StatusStream(self, rate_hz, max_queue, timeout)

    def status_async(self, rate_hz: int = 50, *, max_queue: int = 1024,
                     timeout: float = 5.0) -> StatusStream:
        """The same stream for asyncio: `async for s in pen.status_async(rate_hz=100): ...`
        (pen.status() works with `async for` too). Waiting for a frame never blocks the event
        loop; leaving the loop, or `async with`, unsubscribes."""
        return StatusStream(self, rate_hz, max_queue, timeout)

    def on_event(self, callback: Callable[[Event], Any]) -> Subscription:
        """Calls callback(event) for each event (fault raised, watchdog expired, ...)."""
        listener = _listeners.EventListener(_checks.callback("event callback", callback))
        return self._register(self._native.subscribe_events(listener), listener)

    def on_connection_state(self, callback: Callable[[ConnectionState, str], Any]) -> Subscription:
        """Calls callback(state, reason) when the link state changes (reason is "" for
        ordinary changes, e.g. "no answer for 500 ms" when LOST)."""
        listener = _listeners.ConnectionListener(
            _checks.callback("connection state callback", callback), ConnectionState)
        return self._register(self._native.subscribe_connection_state(listener), listener)

    @property
    def latest_status(self) -> Optional[Status]:
        """The newest status frame received, or None before the first."""
        if not self._native.has_latest_status():
            return None
        return self._native.latest_status()

    @property
    def received_status_frames(self) -> int:
        """Status frames received since connect."""
        return self._native.received_status_frames()

    @property
    def dropped_status_frames(self) -> int:
        """Frames the pen sent that never reached a callback (lost on the link, or dropped
        from a full callback queue)."""
        return self._native.dropped_status_frames()
