"""Package surface: version, enums, value types, serial port listing, the quickstart example."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import penlink

QUICKSTART = Path(__file__).resolve().parents[3] / "examples" / "python" / "quickstart.py"


def test_version() -> None:
    assert re.fullmatch(r"\d+\.\d+\.\d+", penlink.__version__)


def test_enums_match_the_cpp_values() -> None:
    assert penlink.PenState.EMERGENCY_STOPPED == 4
    assert penlink.ErrorCode.CALLBACK_FAILED == -13
    assert penlink.Fault.WATCHDOG == 1 << 6
    assert penlink.native.pen_state_name(int(penlink.PenState.RUNNING)).lower() == "running"


def test_status_is_a_readable_immutable_snapshot(pen: penlink.Pen) -> None:
    status = next(iter(pen.status(rate_hz=100)))
    assert isinstance(status.state, penlink.PenState)
    assert isinstance(status.rf_enabled, bool)
    assert status.cartridge_id == 1001
    assert repr(status).startswith(f"Status(#{status.sequence} ")
    with pytest.raises(AttributeError):
        status.depth_set_mm = 2.0  # type: ignore[misc]
    assert status._asdict()["battery_percent"] == status.battery_percent
    assert pen.latest_status is not None


def test_describe_faults() -> None:
    text = penlink.describe_faults(penlink.Fault.WATCHDOG | penlink.Fault.OVER_TEMPERATURE)
    assert "watchdog" in text and "temperature" in text
    assert penlink.describe_faults(0) == ""


def test_list_serial_ports() -> None:
    ports = penlink.list_serial_ports()
    assert isinstance(ports, list)
    assert all(isinstance(port, penlink.SerialPortInfo) for port in ports)


def test_quickstart_runs() -> None:
    result = subprocess.run([sys.executable, str(QUICKSTART)], capture_output=True, text=True,
                            timeout=60, env=os.environ.copy())
    assert result.returncode == 0, result.stderr
    assert "connected to PL-SIM-1" in result.stdout
    assert "refused as expected: depth 2.00 mm" in result.stdout
    assert result.stdout.rstrip().endswith("closed")


#: What a manylinux wheel may take from the system: the C and C++ runtimes.
_SYSTEM_LIBRARIES = ("linux-vdso", "libc.so", "libm.so", "libstdc++.so", "libgcc_s.so",
                     "ld-linux", "libpthread.so", "libdl.so", "librt.so")


def test_an_installed_wheel_carries_its_own_libraries() -> None:
    """Installed from the repaired wheel (scripts/test.sh sets PENLINK_EXPECT_WHEEL), the
    package loads Boost.JSON, libserialport and libpenlink from the wheel, nothing else from
    the system but the C and C++ runtimes: a clean machine needs no -dev package."""
    if not os.environ.get("PENLINK_EXPECT_WHEEL"):
        pytest.skip("not testing an installed wheel")
    package = Path(penlink.__file__).resolve().parent
    site_packages = package.parent
    assert (site_packages / "penlink.libs").is_dir(), "the wheel was not repaired (auditwheel)"
    for library in (package / "_native.so", package / "libpenlink.so.1"):
        ldd = subprocess.run(["ldd", str(library)], capture_output=True, text=True, check=True)
        for line in ldd.stdout.splitlines():
            name, _, where = line.strip().partition(" => ")
            if os.path.basename(name).startswith(_SYSTEM_LIBRARIES):
                continue
            assert "not found" not in where, f"{library.name}: {line.strip()}"
            assert str(site_packages) in where, f"{library.name} uses a system copy: {line.strip()}"
