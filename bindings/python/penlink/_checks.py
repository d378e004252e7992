"""Argument checks of the public API, run before anything reaches the C++ module.

Python lets any object reach a parameter; SWIG would then raise OverflowError, TypeError or
ValueError, or silently truncate (int('1'), bool('no')). These checks refuse every bad
argument with penlink's own errors instead, naming the parameter, the value and the unit:
InvalidArgumentError for the wrong type, NaN or infinity, an undefined enum value;
OutOfRangeError (with .value, .limit, .unit) for a number beyond what the SDK can hold.
Limits of the pen itself (depth range, RF power, ...) stay with the C++ checks."""

from __future__ import annotations

import decimal
import enum
import math
import numbers
from typing import Any, Callable, Type, TypeVar

from .errors import InvalidArgumentError, OutOfRangeError

INT32_MIN = -(2 ** 31)
INT32_MAX = 2 ** 31 - 1
UINT32_MAX = 2 ** 32 - 1
#: Longest wait penlink accepts anywhere (threading's own limit is about 292 years).
MAX_WAIT_S = INT32_MAX / 1000

E = TypeVar("E", bound=enum.IntEnum)


def _shown(value: Any) -> str:
    """The value as the user wrote it; integers too long to read are shortened (1e+400)."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10 ** 16:
        return format(decimal.Decimal(value), ".6g")
    return repr(value) if isinstance(value, (str, bytes)) else str(value)


def _as_float(value: int) -> float:
    """For OutOfRangeError.value: integers beyond a float's range become +-inf."""
    try:
        return float(value)
    except OverflowError:
        return math.inf if value > 0 else -math.inf


def _spaced(unit: str) -> str:
    return f" {unit}" if unit else ""


def real(name: str, value: Any, unit: str) -> float:
    """A finite float; int (not bool) and float accepted."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise InvalidArgumentError(
            f"{name} {_shown(value)} is not a number (got {type(value).__name__})")
    try:
        result = float(value)
    except OverflowError:
        largest = 1.7976931348623157e308 if value > 0 else -1.7976931348623157e308
        raise OutOfRangeError(f"{name} {_shown(value)}{_spaced(unit)} is beyond the largest "
                              f"number penlink can hold", value=_as_float(value), limit=largest,
                              unit=unit) from None
    if not math.isfinite(result):
        raise InvalidArgumentError(f"{name} {result}{_spaced(unit)} is not a finite number")
    return result


def integer(name: str, value: Any, unit: str, lowest: int = INT32_MIN,
            highest: int = INT32_MAX) -> int:
    """A whole number within [lowest, highest]; an integral float (1500.0) is accepted."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise InvalidArgumentError(
            f"{name} {_shown(value)} is not a whole number (got {type(value).__name__})")
    if not isinstance(value, numbers.Integral):
        if not math.isfinite(value):
            raise InvalidArgumentError(f"{name} {value}{_spaced(unit)} is not a finite number")
        if not float(value).is_integer():
            raise InvalidArgumentError(f"{name} {value}{_spaced(unit)} is not a whole number")
    result = int(value)
    if result > highest:
        raise OutOfRangeError(f"{name} {_shown(value)}{_spaced(unit)} exceeds the largest value "
                              f"penlink can hold, {highest}{_spaced(unit)}",
                              value=_as_float(result), limit=float(highest), unit=unit)
    if result < lowest:
        raise OutOfRangeError(f"{name} {_shown(value)}{_spaced(unit)} is below the smallest value "
                              f"penlink can hold, {lowest}{_spaced(unit)}",
                              value=_as_float(result), limit=float(lowest), unit=unit)
    return result


def seconds_to_ms(name: str, value: Any) -> int:
    """A duration in seconds (0 or more) as whole milliseconds that fit an int32."""
    seconds = real(name, value, "s")
    if seconds < 0:
        raise OutOfRangeError(f"{name} {seconds:g} s is negative; expected 0 or more seconds",
                              value=seconds, limit=0.0, unit="s")
    highest = MAX_WAIT_S
    if seconds > highest:
        raise OutOfRangeError(f"{name} {seconds:g} s exceeds the longest penlink can wait, "
                              f"{highest:g} s", value=seconds, limit=highest, unit="s")
    return int(round(seconds * 1000))


def boolean(name: str, value: Any) -> bool:
    """True or False (1 and 0 accepted); anything else is refused rather than guessed."""
    if isinstance(value, bool):
        return value
    if isinstance(value, numbers.Integral) and value in (0, 1):
        return bool(value)
    raise InvalidArgumentError(f"{name} {_shown(value)} is not True or False")


def member(name: str, value: Any, cls: Type[E]) -> E:
    """A member of the IntEnum cls, given as the member or its number."""
    if isinstance(value, cls):
        return value
    choices = ", ".join(f"{m.name.lower()} ({m.value})" for m in cls)
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        try:
            return cls(int(value))
        except ValueError:
            pass
    raise InvalidArgumentError(f"{name} {_shown(value)} is not one of {choices}")


def callback(name: str, value: Any) -> Callable[..., Any]:
    if not callable(value):
        raise InvalidArgumentError(f"{name} {_shown(value)} is not callable "
                                   f"(got {type(value).__name__})")
    return value


def key_bytes(name: str, value: Any) -> bytes:
    """A pen key: exactly 32 bytes. The message never shows the key itself."""
    if not isinstance(value, (bytes, bytearray)):
        raise InvalidArgumentError(f"{name} is not bytes (got {type(value).__name__}); a pen "
                                   f"key is 32 bytes")
    if len(value) != 32:
        raise InvalidArgumentError(f"{name} has {len(value)} bytes; a pen key has 32")
    return bytes(value)


def text(name: str, value: Any) -> str:
    if not isinstance(value, str):
        raise InvalidArgumentError(f"{name} {_shown(value)} is not a string "
                                   f"(got {type(value).__name__})")
    return value
