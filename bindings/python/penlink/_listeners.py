"""SWIG director subclasses that call plain Python callables on a pen's callback thread.

Whatever the callable raises is caught here and reported through the log handler (see
penlink.set_log_handler) with its traceback: a bug in user code must not end the SDK's
callback thread, and the next frame must still be delivered."""

from __future__ import annotations

import sys
import traceback
from typing import Any, Callable

from . import native as _native


def _report(what: str, function: Any) -> None:
    _native.report_callback_error(
        f"{what} callback {getattr(function, '__qualname__', function)!r} raised:\n"
        f"{traceback.format_exc().rstrip()}")


class StatusListener(_native.StatusListener):
    def __init__(self, function: Callable[..., Any]) -> None:
        super().__init__()
        self._function = function

    def on_status(self, status: Any) -> None:
        try:
            self._function(status)
        except BaseException:  # noqa: BLE001 - anything, SystemExit included, stays here
            _report("status", self._function)


class EventListener(_native.EventListener):
    def __init__(self, function: Callable[..., Any]) -> None:
        super().__init__()
        self._function = function

    def on_event(self, event: Any) -> None:
        try:
            self._function(event)
        except BaseException:  # noqa: BLE001
            _report("event", self._function)


class ConnectionListener(_native.ConnectionListener):
    def __init__(self, function: Callable[..., Any], convert: Callable[[int], Any]) -> None:
        super().__init__()
        self._function = function
        self._convert = convert

    def on_connection_state(self, state: int, reason: str) -> None:
        try:
            self._function(self._convert(state), reason)
        except BaseException:  # noqa: BLE001
            _report("connection state", self._function)


class LogListener(_native.LogListener):
    def __init__(self, function: Callable[..., Any], convert: Callable[[int], Any]) -> None:
        super().__init__()
        self._function = function
        self._convert = convert

    def on_log(self, level: int, message: str) -> None:
        try:
            self._function(self._convert(level), message)
        except BaseException:  # noqa: BLE001
            # Reporting through the log would land right back here: stderr is what is left.
            print(f"penlink: log handler raised on: {message}", file=sys.stderr)
            traceback.print_exc()
