"""One source of truth for value types: the fields of a struct in include/penlink/types.hpp (and
module_descriptor.hpp) are the fields every language exposes, in the same order, named in that
language's case; the members of an enum are the members every language has, with the same
numbers (and, for the enums penlink.h declares too, the same C members: Threading of pen.hpp is
pl_threading). A field or member added in C++ and forgotten in the C ABI, Python, Java or C# (or
the other way round) fails here. Reads the sources (and the Python package under test), so it needs
no pen.

Naming rules, from the C++ field depth_set_mm:
  C        depth_set_mm; a nested struct field (RfMode rf) is flattened: rf_enabled, rf_polarity
  Python   depth_set_mm
  Java     depthSetMm (record component)
  C#       DepthSetMm (property); a bit set xyz_bits is the [Flags] enum property Xyzs
Enum members, from the C++ member EmergencyStopped: Python and Java EMERGENCY_STOPPED, C# the
same as C++ (Java enums without explicit numbers are numbered by their order).
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Dict, List, Tuple

import pytest

import penlink

REPO = Path(__file__).resolve().parents[3]
TYPES_HPP = REPO / "include" / "penlink" / "types.hpp"
DESCRIPTOR_HPP = REPO / "include" / "penlink" / "module_descriptor.hpp"
DISCOVERY_HPP = REPO / "include" / "penlink" / "discovery.hpp"
TREATMENT_HPP = REPO / "include" / "penlink" / "treatment.hpp"
RUNNER_HPP = REPO / "include" / "penlink" / "treatment_runner.hpp"
PEN_HPP = REPO / "include" / "penlink" / "pen.hpp"
PENLINK_H = REPO / "include" / "penlink" / "penlink.h"


def c_api_text() -> str:
    """penlink.h and every penlink/*.h it includes (the C API is split into sub-headers)."""
    seen: List[Path] = []

    def visit(path: Path) -> None:
        if path in seen or not path.exists():
            return
        seen.append(path)
        for name in re.findall(r'#include\s+"penlink/([a-z_]+\.h)"', path.read_text()):
            visit(path.parent / name)

    visit(PENLINK_H)
    return "".join(path.read_text() for path in seen)
CAPI_CONVERT = REPO / "src" / "capi" / "convert.cpp"
JAVA_DIR = REPO / "bindings" / "java" / "src" / "main" / "java" / "io" / "penlink"
CSHARP_SOURCES = REPO / "bindings" / "csharp" / "src"

# (C++ struct in types.hpp, the C struct of penlink.h that carries it)
CHECKED = [
    ("PenSettings", "pl_settings"),
    ("RfMode", "pl_rf_mode"),
    ("LedMode", "pl_led_mode"),
]
# Fields a C struct carries for the ABI itself, not for the value.
C_ONLY = {"version"}


def _without_comments(text: str) -> str:
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    return re.sub(r"//[^\n]*", "", text)


def _body(text: str, opening: str, what: str) -> str:
    """The text between the brace after `opening` and its matching closing brace."""
    match = re.search(opening, text)
    assert match, f"{what} not found"
    start = text.index("{", match.end() - 1)
    depth = 0
    for index in range(start, len(text)):
        depth += {"{": 1, "}": -1}.get(text[index], 0)
        if depth == 0:
            return text[start + 1:index]
    raise AssertionError(f"{what}: unbalanced braces")


def _cpp_headers() -> str:
    return "".join(path.read_text() for path in (TYPES_HPP, DESCRIPTOR_HPP, DISCOVERY_HPP,
                                                 TREATMENT_HPP, RUNNER_HPP, PEN_HPP))


def cpp_fields(struct: str) -> List[Tuple[str, str]]:
    """(type, name) of each data member of penlink::<struct>, in declaration order."""
    body = _without_comments(_body(_cpp_headers(),
                                   rf"\bstruct (PENLINK_EXPORT )?{struct}\s*\{{",
                                   f"struct {struct} in types.hpp / module_descriptor.hpp"))
    fields = []
    for declaration in body.split(";"):
        declaration = declaration.split("=")[0].strip()
        if not declaration or "(" in declaration:
            continue
        type_name, name = declaration.rsplit(None, 1)
        fields.append((type_name.strip(), re.sub(r"\{.*\}$", "", name.strip())))
    assert fields, f"no fields parsed from struct {struct}"
    return fields


def c_fields(struct: str) -> List[str]:
    body = _without_comments(_body(c_api_text(), rf"typedef struct {struct}\s*\{{",
                                   f"struct {struct} in penlink.h"))
    names = []
    for declaration in body.split(";"):
        declaration = declaration.strip()
        if not declaration:
            continue
        first, *rest = declaration.split(",")
        names.append(first.split()[-1])
        names.extend(part.strip() for part in rest)
    return [re.sub(r"\[.*\]", "", name) for name in names if name not in C_ONLY]


def expected_c_fields(struct: str) -> List[str]:
    names = []
    for type_name, name in cpp_fields(struct):
        if type_name in ("RfMode", "LedMode"):
            names.extend(f"{name}_{inner}" for _, inner in cpp_fields(type_name))
        else:
            names.append(name)
    return names


def camel(name: str) -> str:
    head, *tail = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in tail)


def pascal(name: str) -> str:
    if name.endswith("_bits"):
        name = name[: -len("_bits")] + "s"
    return camel(name)[:1].upper() + camel(name)[1:]


def java_fields(struct: str) -> List[str]:
    text = _without_comments((JAVA_DIR / f"{struct}.java").read_text())
    match = re.search(rf"\brecord {struct}\s*\((.*?)\)\s*(implements[^{{]*)?\{{", text, re.S)
    assert match, f"record {struct} not found in {struct}.java"
    return [component.split()[-1] for component in match.group(1).split(",")]


def _csharp_text() -> str:
    return _without_comments("".join(path.read_text()
                                     for path in sorted(CSHARP_SOURCES.glob("*.cs"))))


def csharp_fields(struct: str) -> List[str]:
    text = _csharp_text()
    body = _body(text, rf"\b(class|struct) {struct}\s*\{{", f"type {struct} in csharp/src")
    return re.findall(r"public\s+[\w.<>?]+\s+(\w+)\s*\{\s*get;\s*\}", body)


def cpp_names(struct: str) -> List[str]:
    return [name for _, name in cpp_fields(struct)]


@pytest.mark.parametrize("struct, c_struct", CHECKED)
def test_c_abi_has_the_same_fields(struct: str, c_struct: str) -> None:
    assert c_fields(c_struct) == expected_c_fields(struct)


@pytest.mark.parametrize("struct", [struct for struct, _ in CHECKED])
def test_python_has_the_same_fields(struct: str) -> None:
    python_type = getattr(penlink, struct)
    assert [field.name for field in dataclasses.fields(python_type)] == cpp_names(struct)


@pytest.mark.parametrize("struct", [struct for struct, _ in CHECKED])
def test_java_has_the_same_fields(struct: str) -> None:
    assert java_fields(struct) == [camel(name) for name in cpp_names(struct)]


@pytest.mark.parametrize("struct", [struct for struct, _ in CHECKED])
def test_csharp_has_the_same_fields(struct: str) -> None:
    assert csharp_fields(struct) == [pascal(name) for name in cpp_names(struct)]


def test_the_c_abi_converter_fills_every_settings_field() -> None:
    # Java, C# and Python build their values through constructors that take every field, so a
    # missed one does not compile or raises; the C ABI fills pl_settings field by field.
    text = _without_comments(CAPI_CONVERT.read_text())
    body = _body(text, r"void to_c\(const PenSettings& settings, pl_settings& out\) noexcept\s*\{",
                 "to_c(PenSettings) in src/capi/convert.cpp")
    assigned = re.findall(r"\bout\.(\w+)\s*=", body)
    assert sorted(assigned) == sorted(expected_c_fields("PenSettings"))


def test_the_parsers_see_what_they_should() -> None:
    # Guards the checks above against a parser that silently finds nothing.
    fields: Dict[str, str] = {name: type_name for type_name, name in cpp_fields("PenSettings")}
    assert fields["rf"] == "RfMode" and fields["fault_bits"] == "std::uint32_t"
    assert "rf_polarity" in expected_c_fields("PenSettings")
    assert pascal("fault_bits") == "Faults" and camel("depth_set_mm") == "depthSetMm"


# --- Status and the module types: Python, Java and C# against C++ (and C where it has them) ---

BINDING_ONLY = ["Status", "StatusRate", "TelemetryReading", "ParamSpec", "TelemetrySpec",
                "InterlockSpec", "ModuleDescriptor"]


def python_fields(struct: str) -> List[str]:
    python_type = getattr(penlink, struct)
    if dataclasses.is_dataclass(python_type):
        return [field.name for field in dataclasses.fields(python_type)]
    return list(python_type._fields)  # NamedTuple


@pytest.mark.parametrize("struct", BINDING_ONLY)
def test_every_binding_has_the_fields_of(struct: str) -> None:
    names = cpp_names(struct)
    assert python_fields(struct) == names, "Python"
    assert java_fields(struct) == [camel(name) for name in names], "Java"
    assert csharp_fields(struct) == [pascal(name) for name in names], "C#"


@pytest.mark.parametrize("struct, c_struct", [("Status", "pl_status"),
                                              ("TelemetryReading", "pl_telemetry_reading")])
def test_c_abi_status_has_the_same_fields(struct: str, c_struct: str) -> None:
    assert c_fields(c_struct) == expected_c_fields(struct)


def test_status_carries_telemetry_in_every_binding() -> None:
    # Guards the struct checks above: the fields the module work added are really compared.
    assert cpp_names("Status")[-2:] == ["telemetry_count", "telemetry"]
    assert "default_value" in cpp_names("ParamSpec")


# --- enums --------------------------------------------------------------------------------------

ENUMS = ["PenState", "RfPolarity", "ConnectionState", "LogLevel", "EventKind", "ParamType",
         "ParamAccess", "SafetyClass", "TransportKind", "StatusRateLimit", "DeviceClass",
         "RunState", "RunOutcome", "Threading"]


def cpp_enum(name: str) -> Dict[str, int]:
    body = _without_comments(_body(_cpp_headers(), rf"\benum class {name}\b[^{{]*\{{",
                                   f"enum {name}"))
    members: Dict[str, int] = {}
    next_value = 0
    for entry in body.split(","):
        entry = entry.strip()
        if not entry:
            continue
        member, _, value = (part.strip() for part in entry.partition("="))
        next_value = int(value, 0) if value else next_value
        members[member] = next_value
        next_value += 1
    assert members, f"no members parsed from enum {name}"
    return members


def upper_snake(member: str) -> str:
    # A one-letter word starts one too: NotATreatmentLog is NOT_A_TREATMENT_LOG.
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", member).upper()


def java_enum(name: str) -> Dict[str, int]:
    text = _without_comments((JAVA_DIR / f"{name}.java").read_text())
    body = _body(text, rf"\benum {name}\s*\{{", f"enum {name} in {name}.java")
    constants = body.split(";")[0]
    members: Dict[str, int] = {}
    for index, entry in enumerate(part.strip() for part in constants.split(",")):
        if not entry:
            continue
        match = re.fullmatch(r"(\w+)\s*(?:\(\s*(-?\d+)\s*\))?", entry)
        assert match, f"cannot read Java constant {entry!r} of {name}"
        members[match.group(1)] = int(match.group(2)) if match.group(2) else index
    return members


def csharp_enum(name: str) -> Dict[str, int]:
    body = _body(_csharp_text(), rf"\benum {name}\b[^{{]*\{{", f"enum {name} in csharp/src")
    members: Dict[str, int] = {}
    for entry in (part.strip() for part in body.split(",")):
        if entry:
            member, _, value = (part.strip() for part in entry.partition("="))
            members[member] = int(value, 0)
    return members


@pytest.mark.parametrize("name", ENUMS)
def test_every_binding_has_the_members_of(name: str) -> None:
    cpp = cpp_enum(name)
    assert {m.name: m.value for m in getattr(penlink, name)} == {
        upper_snake(member): value for member, value in cpp.items()}, "Python"
    assert java_enum(name) == {upper_snake(member): value for member, value in cpp.items()}, "Java"
    assert csharp_enum(name) == cpp, "C#"


# The enums penlink.h declares too, as (C typedef, member prefix): PL_<PREFIX>_<UPPER_SNAKE>.
C_ENUMS = {
    "PenState": ("pl_pen_state", "PL_PEN_"),
    "RfPolarity": ("pl_rf_polarity", "PL_RF_"),
    "ConnectionState": ("pl_connection_state", "PL_CONNECTION_"),
    "LogLevel": ("pl_log_level", "PL_LOG_"),
    "Threading": ("pl_threading", "PL_THREADING_"),
}


def c_enum(name: str, prefix: str) -> Dict[str, int]:
    """Members of `typedef enum name {...}` in penlink.h, without prefix; all numbered there."""
    body = _without_comments(_body(c_api_text(), rf"typedef enum {name}\s*\{{",
                                   f"enum {name} in penlink.h"))
    members: Dict[str, int] = {}
    for entry in (part.strip() for part in body.split(",")):
        if entry:
            member, _, value = (part.strip() for part in entry.partition("="))
            assert member.startswith(prefix) and value, f"{name}: cannot read {entry!r}"
            members[member[len(prefix):]] = int(value, 0)
    return members


@pytest.mark.parametrize("name", sorted(C_ENUMS))
def test_the_c_abi_has_the_members_of(name: str) -> None:
    c_name, prefix = C_ENUMS[name]
    assert c_enum(c_name, prefix) == {upper_snake(member): value
                                      for member, value in cpp_enum(name).items()}


# The treatment log's enums (records.hpp): penlink::RunOutcome is RecordOutcome in every binding
# (treatment::RunOutcome already has the name), TreatmentLogProblem the problem of Java's and C#'s
# TreatmentLogException (Python maps those errors by their code).
RECORDS_HPP = REPO / "include" / "penlink" / "records.hpp"
RECORD_ENUMS = [("RunOutcome", "RecordOutcome"), ("TreatmentLogProblem", "TreatmentLogProblem")]


def records_enum(name: str) -> Dict[str, int]:
    body = _without_comments(_body(RECORDS_HPP.read_text(), rf"\benum class {name}\b[^{{]*\{{",
                                   f"enum {name} in records.hpp"))
    members = [entry.strip() for entry in body.split(",") if entry.strip()]
    assert members and all("=" not in m for m in members), f"{name}: numbered implicitly"
    return {member: index for index, member in enumerate(members)}


@pytest.mark.parametrize("cpp_name, binding_name", RECORD_ENUMS)
def test_java_and_csharp_have_the_members_of_the_log_enum(cpp_name: str,
                                                          binding_name: str) -> None:
    cpp = records_enum(cpp_name)
    assert java_enum(binding_name) == {upper_snake(m): v for m, v in cpp.items()}, "Java"
    assert csharp_enum(binding_name) == cpp, "C#"


def test_python_record_outcome_has_the_members_of_run_outcome() -> None:
    cpp = records_enum("RunOutcome")
    assert [m.name for m in penlink.records.RecordOutcome] == [upper_snake(m) for m in cpp]
    assert cpp["Interrupted"] == 4 and records_enum("TreatmentLogProblem")["Storage"] == 5


def test_the_enum_parsers_see_what_they_should() -> None:
    assert cpp_enum("Threading") == {"Shared": 0, "Dedicated": 1}
    assert c_enum("pl_threading", "PL_THREADING_") == {"SHARED": 0, "DEDICATED": 1}
    assert cpp_enum("EventKind")["ModuleDetached"] == 10
    assert cpp_enum("ParamType") == {"Bool": 0, "Integer": 1, "Fixed": 2, "Enum": 3}
    assert java_enum("EventKind")["MODULE_ATTACHED"] == 9
    assert java_enum("ParamAccess") == {"READ": 0, "READ_WRITE": 1}
    assert upper_snake("EmergencyStopped") == "EMERGENCY_STOPPED"
    assert upper_snake("NotATreatmentLog") == "NOT_A_TREATMENT_LOG"
