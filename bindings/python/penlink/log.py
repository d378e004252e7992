"""Where the SDK's log goes, and the serial ports of this machine."""

from __future__ import annotations

import atexit
import logging
import threading
from typing import Callable, List, Optional

from . import _checks, _convert, _listeners
from . import native as _native
from .types import LogLevel, SerialPortInfo

__all__ = ["set_log_handler", "log_to_logging", "list_serial_ports"]

LogHandler = Callable[[LogLevel, str], object]

_lock = threading.Lock()
_listener: Optional[_listeners.LogListener] = None  # kept referenced: C++ holds a plain pointer


def set_log_handler(handler: Optional[LogHandler], level: LogLevel = LogLevel.WARNING) -> None:
    """Sends the SDK's log lines at level or above to handler(level, message); None sends them
    to stderr again (the default). The handler may be called from any SDK thread, never two
    at once; it must not raise, and must not itself set a new handler. Errors raised by your
    status, event and connection callbacks arrive here too, with their traceback."""
    global _listener
    level = _checks.member("log level", level, LogLevel)
    if handler is not None:
        _checks.callback("log handler", handler)
    listener = _listeners.LogListener(handler, LogLevel) if handler is not None else None
    with _lock:
        _native.set_log_listener(listener, int(level))
        # Safe to drop the old one now: set_log_listener waited for any call to it to end.
        _listener = listener


_LOGGING_LEVELS = {
    LogLevel.TRACE: 5, LogLevel.DEBUG: logging.DEBUG, LogLevel.INFO: logging.INFO,
    LogLevel.WARNING: logging.WARNING, LogLevel.ERROR: logging.ERROR,
}


def log_to_logging(level: Optional[LogLevel] = None, logger_name: str = "penlink") -> None:
    """Sends the SDK's log to the standard logging module (logger "penlink"), at the levels
    the logger lets through: logging.getLogger("penlink").setLevel(logging.DEBUG) shows debug
    lines, also when set after this call. SDK TRACE lines arrive as level 5. level, if given,
    is a floor on the SDK side as well (lines below it are not even formatted)."""
    logger = logging.getLogger(_checks.text("logger_name", logger_name))
    sdk_level = LogLevel.DEBUG if level is None else _checks.member("log level", level, LogLevel)

    def forward(sdk: LogLevel, message: str) -> None:
        python_level = _LOGGING_LEVELS.get(sdk, logging.ERROR)
        if logger.isEnabledFor(python_level):
            logger.log(python_level, message)

    set_log_handler(forward, sdk_level)


def list_serial_ports() -> List[SerialPortInfo]:
    """Serial ports of this machine, with USB VID/PID, serial number and description where
    known. Raises ConnectionError if the OS refuses to enumerate."""
    return [_convert.serial_port(port) for port in _native.list_serial_ports()]


@atexit.register
def _detach_log_handler() -> None:
    # Late SDK log lines must not call into an interpreter that is shutting down.
    if _listener is not None:
        set_log_handler(None)
