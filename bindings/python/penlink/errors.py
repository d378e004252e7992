"""Exceptions raised by penlink, the same hierarchy in every language binding.

PenError
 ├── InvalidArgumentError  (also a ValueError)   malformed URL, option or argument
 ├── OutOfRangeError       (also a ValueError)   value outside a limit: .value .limit .unit
 ├── TimeoutError          (also builtins.TimeoutError)  the pen did not answer in time
 ├── ConnectionError       (also builtins.ConnectionError)  could not open or reach the pen
 │    └── ConnectionLostError                     the link went away, or the pen is closed
 ├── SafetyError           refused: emergency stop or a fault is latched on the pen
 ├── NotSupportedError     the pen or its add-ons lack the capability
 └── RejectedError         any other refusal (busy, wrong state) or a protocol breach

Every error has .code (an ErrorCode) and .message, which names the value, the limit and the
unit where there is one: "depth 3.20 mm exceeds the pen's maximum of 3.00 mm".
"""

from __future__ import annotations

import builtins
import enum

__all__ = [
    "ErrorCode",
    "PenError",
    "InvalidArgumentError",
    "OutOfRangeError",
    "TimeoutError",
    "ConnectionError",
    "ConnectionLostError",
    "SafetyError",
    "NotSupportedError",
    "RejectedError",
    "AuthenticationError",
]


class ErrorCode(enum.IntEnum):
    """The SDK's error codes (the same numbers as the C and C++ APIs)."""

    OK = 0
    INVALID_ARGUMENT = -1
    OUT_OF_RANGE = -2
    TIMEOUT = -3
    CONNECTION_FAILED = -4
    CONNECTION_LOST = -5
    NOT_CONNECTED = -6
    EMERGENCY_STOPPED = -7
    FAULT_ACTIVE = -8
    NOT_SUPPORTED = -9
    REJECTED = -10
    PROTOCOL = -11
    INTERNAL = -12
    CALLBACK_FAILED = -13
    AUTHENTICATION_REQUIRED = -14
    KEY_REJECTED = -15
    PEN_NOT_AUTHENTIC = -16


class PenError(Exception):
    """Base of every exception penlink raises."""

    code: ErrorCode
    message: str

    def __init__(self, message: str, code: ErrorCode = ErrorCode.INTERNAL) -> None:
        # One positional argument only: OSError-based classes below would read two as errno.
        super().__init__(message)
        self.message = message
        self.code = ErrorCode(code)

    def __str__(self) -> str:
        return self.message


class InvalidArgumentError(PenError, ValueError):
    """A malformed URL, option or argument."""


class OutOfRangeError(PenError, ValueError):
    """A value outside the pen's (or the host's) limit; value and limit are in unit."""

    value: float
    limit: float
    unit: str

    def __init__(self, message: str, code: ErrorCode = ErrorCode.OUT_OF_RANGE,
                 value: float = 0.0, limit: float = 0.0, unit: str = "") -> None:
        super().__init__(message, code)
        self.value = value
        self.limit = limit
        self.unit = unit


class TimeoutError(PenError, builtins.TimeoutError):  # noqa: A001 - the same name in every binding
    """The pen did not acknowledge in time (after retries)."""


class ConnectionError(PenError, builtins.ConnectionError):  # noqa: A001
    """Opening the link failed (port missing or busy, connection refused)."""


class ConnectionLostError(ConnectionError):
    """The link went silent or closed while in use, or the pen was closed."""


class SafetyError(PenError):
    """Refused for safety: the emergency stop or a fault is latched on the pen."""


class NotSupportedError(PenError):
    """The pen or its add-ons do not have this capability."""


class RejectedError(PenError):
    """The pen refused for another reason (busy, wrong state), or broke the protocol."""


class AuthenticationError(PenError):
    """An authenticated session could not be set up: code AUTHENTICATION_REQUIRED (the pen
    requires one and no key was given for its serial), KEY_REJECTED (the key is not the pen's)
    or PEN_NOT_AUTHENTIC (the pen could not prove it holds its key). Never contains a key."""


_CLASSES = {cls.__name__: cls for cls in (
    PenError, InvalidArgumentError, OutOfRangeError, TimeoutError, ConnectionError,
    ConnectionLostError, SafetyError, NotSupportedError, RejectedError, AuthenticationError)}


def _from_native(name: str, message: str, code: int, value: float, limit: float,
                 unit: str) -> PenError:
    """Builds the exception for a C++ penlink::Error (called by the SWIG module)."""
    try:
        code = ErrorCode(code)
    except ValueError:
        code = ErrorCode.INTERNAL
    cls = _CLASSES.get(name, PenError)
    if cls is OutOfRangeError:
        return OutOfRangeError(message, code, value, limit, unit)
    return cls(message, code)
