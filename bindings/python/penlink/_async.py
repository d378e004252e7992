"""Asynchronous commands: a concurrent.futures.Future per command, resolved by a SWIG director
that the C++ side owns until it has been told the outcome.

Why the listener is disowned: the C++ side then holds a strong reference to it (and so to the
future) for exactly as long as the command is in flight, and drops it after the single
on_done call, whatever happens to the pen. Nothing here has to keep a registry in step with
C++, and a pen closed or lost mid-flight still resolves every future it accepted."""

from __future__ import annotations

from concurrent.futures import Future
from typing import Any, Callable

from . import errors
from . import native as _native
from ._listeners import _report

__all__ = ["PenFuture", "submit", "refused"]


class PenFuture(Future):  # type: ignore[type-arg]
    """The outcome of one command: a concurrent.futures.Future that asyncio code can await
    directly (`await pen.start_async()`); it resolves on the pen's callback thread, and the
    awaiting coroutine resumes on its own event loop."""

    def __await__(self) -> Any:
        import asyncio
        return asyncio.wrap_future(self).__await__()


class _Completion(_native.CompletionListener):
    def __init__(self, future: "Future[None]") -> None:
        super().__init__()
        self._future = future

    def on_done(self, outcome: Any) -> None:
        # outcome is a view of C++ memory valid only during this call: copy what is needed.
        try:
            if outcome.ok():
                self._future.set_result(None)
            else:
                self._future.set_exception(errors._from_native(
                    outcome.error_class, outcome.message, int(outcome.code), outcome.value,
                    outcome.limit, outcome.unit))
        except BaseException:  # noqa: BLE001 - must not unwind into the SDK's thread
            _report("completion", self._future)


def submit(send: Callable[[Any], None]) -> "Future[None]":
    """Calls send(listener), which hands the listener to one of the native *_async methods,
    and returns the future that listener resolves."""
    future: "Future[None]" = PenFuture()
    # The command is on its way the moment send() returns: there is nothing left to cancel,
    # and a cancelled future would refuse the outcome when it arrives.
    future.set_running_or_notify_cancel()
    listener = _Completion(future)
    listener.__disown__()
    send(listener)
    return future


def refused(error: BaseException) -> "Future[None]":
    """A future already failed with error: a bad argument is refused through the future, like
    every other host-side refusal, never raised by the _async call itself."""
    future: "Future[None]" = PenFuture()
    future.set_running_or_notify_cancel()
    future.set_exception(error)
    return future
