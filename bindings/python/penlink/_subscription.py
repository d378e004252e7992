"""Subscription: keeps a callback registered with a pen (pen.on_status, on_event,
on_connection_state) until it is unsubscribed; penlink.pen re-exports it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Optional

from .types import StatusRate, StatusRateLimit

if TYPE_CHECKING:
    from .pen import Pen


class Subscription:
    """Keeps a callback registered until unsubscribe(), the end of its `with` block, or
    pen.close(). The pen keeps active subscriptions alive, so the return value of
    pen.on_status(...) may be ignored; the subscription keeps its pen alive in turn."""

    __slots__ = ("_pen", "_native", "_listener", "_on_end", "__weakref__")

    def __init__(self, pen: "Pen", native: Any, listener: Any,
                 on_end: Optional[Callable[[], None]] = None) -> None:
        self._pen: Optional[Pen] = pen
        self._native = native
        self._listener = listener  # the C++ side holds only a plain pointer to it
        self._on_end = on_end

    @property
    def active(self) -> bool:
        """True until unsubscribe() (or the pen's close()) ended the subscription."""
        native = self._native
        return native is not None and native.active()

    @property
    def status_rate(self) -> StatusRate:
        """For a status subscription: the rate it asked for, the rate it gets now and what
        limits it (the link). All zero for other subscriptions and after unsubscribe()."""
        native = self._native
        if native is None:
            return StatusRate(0, 0, StatusRateLimit.NONE, "")
        return _status_rate(native.status_rate())

    def unsubscribe(self) -> None:
        """Idempotent. Once it returns the callback is not running and will not run again
        (called from inside that callback: not after the callback returns)."""
        native, pen, on_end = self._native, self._pen, self._on_end
        if native is None:
            return
        native.unsubscribe()
        # Only now, with the C++ side done with it, may the listener go.
        self._native = self._listener = self._pen = self._on_end = None
        if pen is not None:
            pen._forget(self)
        if on_end is not None:
            on_end()

    def __enter__(self) -> "Subscription":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.unsubscribe()

    def __del__(self) -> None:
        # Garbage collection may clear attributes in any order; unsubscribing first ensures
        # the C++ side never calls a listener that is already gone.
        try:
            self.unsubscribe()
        except Exception:  # noqa: BLE001 - nothing sensible to do at collection time
            pass


def _status_rate(native: Any) -> StatusRate:
    return StatusRate(requested_hz=native.requested_hz, granted_hz=native.granted_hz,
                      limited_by=StatusRateLimit(native.limited_by), reason=native.reason)
