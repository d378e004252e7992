"""A pen command's arguments as the native call takes them, checked first: a depth given in
exactly one unit, a speed, and an RF or LED mode built from a mode and/or its fields."""

from __future__ import annotations

import dataclasses
from typing import Any, Optional

from . import _checks
from . import native as _native
from .errors import InvalidArgumentError


def _depth(what: str, mm: Optional[float], um: Optional[int]) -> Any:
    if (mm is None) == (um is None):
        raise InvalidArgumentError(f"{what} takes exactly one of mm= or um= (got mm={mm!r}, "
                                   f"um={um!r})")
    if mm is not None:
        return _native.Depth.mm(_checks.real("depth", mm, "mm"))
    return _native.Depth.um(_checks.integer("depth", um, "um"))


def _speed(hz: Any) -> Any:
    return _native.Speed.hz(_checks.real("speed", hz, "Hz"))


def _mode(cls: Any, mode: Any, fields: dict) -> Any:
    known = {field.name for field in dataclasses.fields(cls)}
    unknown = sorted(set(fields) - known)
    if unknown:
        raise InvalidArgumentError(f"{cls.__name__} has no field {', '.join(unknown)} (its "
                                   f"fields: {', '.join(sorted(known))})")
    if mode is None:
        return cls(**{"enabled": True, **fields})
    if not isinstance(mode, cls):
        raise InvalidArgumentError(f"expected a {cls.__name__}, got {mode!r}")
    return dataclasses.replace(mode, **fields) if fields else mode
