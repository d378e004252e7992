"""Status frames as an iterator: `for status in pen.status(rate_hz=100): ...`, or in asyncio
`async for status in pen.status_async(rate_hz=100): ...`.

Frames go from the pen's callback thread into a bounded mailbox; the iterating thread (or
coroutine) takes them out. A full mailbox drops the newest frame and counts it
(StatusStream.dropped), so a slow consumer never stalls the pen's other callbacks. Breaking out
of the loop drops the stream, which unsubscribes; so do close() and leaving a `with` block.

Why a SimpleQueue and not a threading.Condition: Ctrl-C must always raise KeyboardInterrupt in
the iterating thread. Condition.wait() re-acquires its lock after the wait, and a signal landing
there made `with condition:` release a lock it no longer held ("RuntimeError: release unlocked
lock"). SimpleQueue.get() waits in C and leaves nothing half done when interrupted."""

from __future__ import annotations

import asyncio
import queue
import threading
from typing import TYPE_CHECKING, Any, Optional

from . import _checks
from .errors import ConnectionLostError, InvalidArgumentError, OutOfRangeError, TimeoutError
from .types import ConnectionState, Status, StatusRate

if TYPE_CHECKING:
    from .pen import Pen


class _End:
    """Queued after the last frame: why the stream ended (StopIteration or an error)."""

    __slots__ = ("reason",)

    def __init__(self, reason: BaseException) -> None:
        self.reason = reason


class _Mailbox:
    """Referenced by the callbacks but not by the stream's user-facing object, so the stream
    can be garbage-collected (and unsubscribe) while the pen still holds the callbacks."""

    def __init__(self, capacity: int) -> None:
        self._queue: "queue.SimpleQueue[Any]" = queue.SimpleQueue()
        self._capacity = capacity
        self._count_lock = threading.Lock()  # held only for counter updates, never to wait
        self._queued = 0
        self._ended = False
        self.dropped = 0
        # One asyncio consumer at a time: its loop and the future it awaits.
        self._waiter: Optional["tuple[asyncio.AbstractEventLoop, asyncio.Future[None]]"] = None

    def push(self, status: Status) -> None:
        with self._count_lock:
            if self._ended:
                return
            if self._queued >= self._capacity:
                self.dropped += 1
                return
            self._queued += 1
        self._queue.put(status)
        self._wake()

    def end(self, reason: BaseException) -> None:
        with self._count_lock:
            if self._ended:
                return
            self._ended = True
        self._queue.put(_End(reason))
        self._wake()

    def _wake(self) -> None:
        waiter = self._waiter
        if waiter is not None:
            loop, future = waiter
            try:
                loop.call_soon_threadsafe(_set_done, future)
            except RuntimeError:  # the loop was closed meanwhile: nobody is waiting
                pass

    def _take(self, item: Any) -> Status:
        if isinstance(item, _End):
            self._queue.put(item)  # every later next() ends the same way
            if isinstance(item.reason, StopIteration):
                raise StopIteration  # a fresh one each time: no traceback piles up on it
            raise item.reason
        with self._count_lock:
            self._queued -= 1
        return item

    def pop(self, timeout: float) -> Status:
        try:
            item = self._queue.get(timeout=timeout)
        except queue.Empty:
            raise TimeoutError(f"no status frame for {timeout:g} s") from None
        return self._take(item)

    async def pop_async(self, timeout: float) -> Status:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            future: "asyncio.Future[None]" = loop.create_future()
            # Register first, then look: a frame pushed in between either is seen by
            # get_nowait() or wakes this future.
            self._waiter = (loop, future)
            try:
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    pass
                else:
                    if isinstance(item, _End) and isinstance(item.reason, StopIteration):
                        self._queue.put(item)
                        # A StopIteration must not leave a coroutine (PEP 479).
                        raise StopAsyncIteration
                    return self._take(item)
                remaining = deadline - loop.time()
                if remaining <= 0:
                    raise TimeoutError(f"no status frame for {timeout:g} s")
                try:
                    await asyncio.wait_for(future, remaining)
                except asyncio.TimeoutError:
                    pass
            finally:
                self._waiter = None


def _set_done(future: "asyncio.Future[None]") -> None:
    if not future.done():
        future.set_result(None)


class StatusStream:
    """Iterator over status frames, for `for` and `async for`; see pen.status()."""

    __slots__ = ("_timeout", "_mailbox", "_connection", "_status", "__weakref__")

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
    def status_rate(self) -> StatusRate:
        """The rate this stream asked for, the rate it gets now and what limits it (the link):
        see StatusRate."""
        return self._status.status_rate

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

    def __aiter__(self) -> "StatusStream":
        return self

    async def __anext__(self) -> Status:
        """The next frame, waited for without blocking the event loop; ends and raises as
        __next__ does (StopAsyncIteration instead of StopIteration)."""
        return await self._mailbox.pop_async(self._timeout)

    async def __aenter__(self) -> "StatusStream":
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        self.close()

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
