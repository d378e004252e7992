"""Every public name of the package says what it is for: help(penlink.X) documents X, not
its implementation. Walks penlink.__all__, each class's own public methods and properties
(with those of the private mixins it is built from), and the fields of the named tuples."""

from __future__ import annotations

import enum
import inspect
from typing import Any, Dict, List

import penlink


def _lacks_doc(name: str, obj: Any) -> bool:
    doc = inspect.getdoc(obj) if not isinstance(obj, property) else obj.__doc__
    if not doc or not doc.strip():
        return True
    # Docs that the machinery writes by itself say nothing about the thing.
    generated = (f"{name}(", "Alias for field number", "An enumeration.", "Create new instance")
    return doc.startswith(generated)


def _members(cls: type) -> Dict[str, Any]:
    """The class's own attributes and those of the private penlink classes it is built from
    (Pen's methods live partly in mixins of penlink._pen_async, _pen_modules, _pen_status)."""
    members: Dict[str, Any] = {}
    for base in reversed(cls.__mro__):
        if base is cls or base.__module__.startswith("penlink._"):
            members.update(vars(base))
    return members


def _missing() -> List[str]:
    missing = []
    for name in penlink.__all__:
        obj = getattr(penlink, name)
        if name == "__version__":
            continue
        if _lacks_doc(name, obj):
            missing.append(name)
        if not inspect.isclass(obj):
            continue
        for attribute, value in _members(obj).items():
            if attribute.startswith("_") or isinstance(value, enum.Enum):
                continue
            if isinstance(value, (staticmethod, classmethod)):
                value = value.__func__
            if inspect.isfunction(value) or isinstance(value, property):
                if _lacks_doc(attribute, value):
                    missing.append(f"{name}.{attribute}")
        for field in getattr(obj, "_fields", ()):
            if _lacks_doc(field, getattr(obj, field)):
                missing.append(f"{name}.{field}")
    return missing


def test_every_public_name_has_a_docstring() -> None:
    missing = _missing()
    assert not missing, "without a docstring: " + ", ".join(missing)


def test_the_status_help_describes_its_fields() -> None:
    text = inspect.getdoc(penlink.Status.depth_actual_mm) or ""
    assert "millimetres" in text
    assert "SWIG" not in (penlink.Status.__doc__ or "")


def test_the_walk_sees_the_methods_pen_takes_from_its_mixins() -> None:
    # Guards the check above: Pen's async, module and status calls are really looked at.
    assert {"set_depth_async", "set_params", "on_status", "set_depth"} <= set(_members(penlink.Pen))
