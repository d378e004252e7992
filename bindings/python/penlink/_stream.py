"""Status frames as an iterator: `for status in pen.status(rate_hz=100): ...`.

Frames go from the pen's callback thread into a bounded mailbox; the iterating thread takes
them out. A full mailbox drops the newest frame and counts it (StatusStream.dropped), so a
slow consumer never stalls the pen's other callbacks. Breaking out of the loop drops the
stream, which unsubscribes; so do close() and leaving a `with` block."""

from __future__ import annotations

import collections
import threading
from typing import TYPE_CHECKING, Deque, Optional

from . import _checks
from .errors import ConnectionLostError, InvalidArgumentError, OutOfRangeError, TimeoutError
from .types import ConnectionState, Status

if TYPE_CHECKING:
    from .pen import Pen


class _Mailbox:
    """Referenced by the callbacks but not by the stream's user-facing object, so the stream
    can be garbage-collected (and unsubscribe) while the pen still holds the callbacks."""

    def __init__(self, capacity: int) -> None:
        self._items: Deque[Status] = collections.deque()
        self._capacity = capacity
        self._ready = threading.Condition(threading.Lock())
        self._end: Optional[BaseException] = None  # StopIteration or the error that ended it
        self.dropped = 0

    def push(self, status: Status) -> None:
        with self._ready:
            if len(self._items) >= self._capacity:
                self.dropped += 1
                return
            self._items.append(status)
            self._ready.notify()

    def end(self, reason: BaseException) -> None:
        with self._ready:
            if self._end is None:
                self._end = reason
            self._ready.notify_all()

    def pop(self, timeout: float) -> Status:
        with self._ready:
            if not self._ready.wait_for(lambda: self._items or self._end is not None, timeout):
                raise TimeoutError(f"no status frame for {timeout:g} s")
            if self._items:  # frames that arrived before the end are still delivered
                return self._items.popleft()
            if isinstance(self._end, StopIteration):
                raise StopIteration  # a fresh one each time: no traceback piles up on it
            raise self._end


class StatusStream:
    """Iterator over status frames; see pen.status()."""

    def __init__(self, pen: "Pen", rate_hz: int, max_queue: int, timeout: float) -> None:
        max_queue = _checks.integer("max_queue", max_queue, "frames")
        if max_queue < 1:
            raise InvalidArgumentError(f"max_queue {max_queue} is below the minimum of 1 frame")
        timeout = _checks.real("timeout", timeout, "s")
        if timeout <= 0:
            raise InvalidArgumentError(f"timeout {timeout:g} s is not positive")
        if timeout > _checks.MAX_WAIT_S:
            raise OutOfRangeError(
                f"timeout {timeout:g} s exceeds the longest penlink waits, "
                f"{_checks.MAX_WAIT_S:g} s", value=timeout, limit=_checks.MAX_WAIT_S, unit="s")
        self._timeout = timeout
        self._mailbox = mailbox = _Mailbox(max_queue)

        def on_connection_state(state: ConnectionState, reason: str) -> None:
            if state == ConnectionState.LOST:
                mailbox.end(ConnectionLostError(
                    f"connection lost while streaming status: {reason}"))
            elif state == ConnectionState.CLOSED:
                mailbox.end(StopIteration())

        self._connection = pen.on_connection_state(on_connection_state)
        try:
            self._status = pen._subscribe_status(mailbox.push, rate_hz,
                                                 on_end=lambda: mailbox.end(StopIteration()))
        except BaseException:
            self._connection.unsubscribe()  # e.g. rate_hz out of range: leave nothing behind
            raise

    @property
    def dropped(self) -> int:
        """Frames this stream dropped because its queue was full (the consumer was slow)."""
        return self._mailbox.dropped

    def __iter__(self) -> "StatusStream":
        return self

    def __next__(self) -> Status:
        """The next frame. Raises StopIteration once the stream or the pen is closed,
        ConnectionLostError if the link is lost, TimeoutError after timeout seconds without
        a frame."""
        return self._mailbox.pop(self._timeout)

    def close(self) -> None:
        """Unsubscribes. Frames already queued can still be read; then iteration stops."""
        if hasattr(self, "_status"):  # not when __init__ failed
            self._status.unsubscribe()
            self._connection.unsubscribe()
        self._mailbox.end(StopIteration())

    def __enter__(self) -> "StatusStream":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # noqa: BLE001 - nothing sensible to do at collection time
            pass
