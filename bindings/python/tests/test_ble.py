"""The acceptance scenario and discovery over Bluetooth LE: penlink -> sdbus-c++ -> a private
dbus-daemon -> the fake BlueZ of tests/ble (fake_bluez.py) -> penlink-sim over TCP.

Needs dbus-daemon and a Python with dbus-fast for the fake (PENLINK_TEST_PYTHON, else this
interpreter); skipped, saying why, without them or in a penlink built without BLE."""

from __future__ import annotations

import os
import select
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from typing import Iterator, List

import pytest

import penlink
from conftest import REPO, SimProcess, wait_for_status

FAKE_DIR = REPO / "tests" / "ble"
ADDRESS = "C0:FF:EE:00:00:01"


def _fake_python() -> str:
    explicit = os.environ.get("PENLINK_TEST_PYTHON")
    if explicit:
        return explicit
    probe = subprocess.run([sys.executable, "-c", "import dbus_fast"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip("no Python with dbus-fast for the fake BlueZ (set PENLINK_TEST_PYTHON)")
    return sys.executable


def _first_line(process: subprocess.Popen, what: str) -> str:
    assert process.stdout is not None
    ready, _, _ = select.select([process.stdout], [], [], 20.0)
    if not ready:
        raise AssertionError(f"{what} printed nothing within 20 s")
    return process.stdout.readline().strip()


@pytest.fixture
def fake_bluez(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    if not (FAKE_DIR / "fake_bluez.py").is_file():
        pytest.skip("tests/ble/fake_bluez.py is not in this tree")
    daemon = shutil.which("dbus-daemon")
    if daemon is None:
        pytest.skip("dbus-daemon is not installed")
    python = _fake_python()
    children: List[subprocess.Popen] = []
    sim = SimProcess("--tcp", "0")
    try:
        bus = subprocess.Popen([daemon, f"--config-file={FAKE_DIR / 'private_bus.conf'}",
                                "--print-address=1", "--nofork"],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        children.append(bus)
        address = _first_line(bus, "dbus-daemon")
        fake = subprocess.Popen([python, str(FAKE_DIR / "fake_bluez.py"), "--bus", address,
                                 "--sim", sim.url[len("tcp://"):]],
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        children.append(fake)
        assert _first_line(fake, "fake_bluez.py") == "READY"
        monkeypatch.setenv("DBUS_SYSTEM_BUS_ADDRESS", address)
        yield
    finally:
        for child in reversed(children):
            child.kill()
            child.wait()
        sim.close()


def _connect(url: str) -> penlink.Pen:
    try:
        return penlink.connect(url)
    except penlink.NotSupportedError as error:
        if "without Bluetooth" in str(error):
            pytest.skip(str(error))
        raise


def test_ble_acceptance(fake_bluez: None) -> None:
    with _connect(f"ble://{ADDRESS}") as pen:
        assert pen.connection_state is penlink.ConnectionState.CONNECTED
        assert pen.info.model == "PL-SIM-1"
        pen.set_depth(mm=1.25)
        pen.set_speed(hz=100)
        pen.start()
        assert wait_for_status(pen, lambda s: s.state is penlink.PenState.RUNNING
                               and abs(s.depth_actual_mm - 1.25) < 0.011)
        pen.stop()
        assert wait_for_status(pen, lambda s: s.state is penlink.PenState.IDLE)


def test_ble_discovery(fake_bluez: None) -> None:
    pens = penlink.discover(0.5, serial=False)
    assert [pen.url for pen in pens] == [f"ble://{ADDRESS}"]
    pen = pens[0]
    assert pen.transport is penlink.TransportKind.BLE
    assert pen.name == "penlink-sim"
    assert pen.rssi_dbm == -58
    assert pen.adapter == "hci0"
    with pytest.raises(penlink.PenError):
        penlink.discover(-1)


def test_ble_discovery_reports_progress(fake_bluez: None) -> None:
    seen: List[penlink.DiscoveredPen] = []
    caller = threading.get_ident()

    def on_found(pen: penlink.DiscoveredPen) -> None:
        assert threading.get_ident() == caller  # on the calling thread, before discover returns
        seen.append(pen)

    pens = penlink.discover(0.8, serial=False, on_found=on_found)
    assert [pen.url for pen in seen] == [f"ble://{ADDRESS}"]
    assert seen == pens

    class SeenEnough(Exception):
        pass

    def stop(pen: penlink.DiscoveredPen) -> None:
        raise SeenEnough(pen.url)

    with pytest.raises(SeenEnough, match=ADDRESS):
        penlink.discover(0.8, serial=False, on_found=stop)
    with pytest.raises(penlink.InvalidArgumentError, match="on_found"):
        penlink.discover(0.1, serial=False, on_found="print")


def test_ble_status_rate_says_what_the_link_grants(fake_bluez: None) -> None:
    with _connect(f"ble://{ADDRESS}") as pen:
        subscription = pen.on_status(lambda status: None, rate_hz=1000)
        rate = subscription.status_rate
        assert rate.requested_hz == 1000
        assert rate.granted_hz == 223  # 244 * 1000 / 15 bytes/s x 92% / 67 bytes
        assert rate.limited_by is penlink.StatusRateLimit.LINK
        assert "92%" in rate.reason
        with pen.status(rate_hz=50) as stream:
            assert stream.status_rate == penlink.StatusRate(50, 50, penlink.StatusRateLimit.NONE,
                                                            "")
