"""Finding pens on every transport: USB serial ports of known pens and BLE pens advertising the
penlink service (penlink/discovery.hpp)."""

from __future__ import annotations

import dataclasses
import enum
from typing import Any, Callable, List, Optional

from . import _checks
from . import native as _native

__all__ = ["TransportKind", "DiscoveredPen", "discover", "register_usb_pen"]


class TransportKind(enum.IntEnum):
    SERIAL = 0
    BLE = 1


@dataclasses.dataclass(frozen=True)
class DiscoveredPen:
    """A pen found by penlink.discover(): its ready-to-use URL, name and transport, with the
    BLE address, adapter and signal strength or the USB identity of its serial port."""

    url: str  #: ready for penlink.connect(), e.g. "ble://AA:BB:CC:DD:EE:FF"
    name: str
    transport: TransportKind
    address: str  #: BLE address, "" for serial
    adapter: str  #: BLE adapter ("hci0"), "" for serial
    rssi_dbm: Optional[int]  #: None when unknown (and for serial)
    usb_vid: int  #: 0 for BLE
    usb_pid: int
    serial_number: str


def _pen(native: Any) -> DiscoveredPen:
    return DiscoveredPen(url=native.url, name=native.name,
                         transport=TransportKind(int(native.transport)), address=native.address,
                         adapter=native.adapter,
                         rssi_dbm=native.rssi_dbm if native.has_rssi else None,
                         usb_vid=native.usb_vid, usb_pid=native.usb_pid,
                         serial_number=native.serial_number)


class _FoundListener(_native.DiscoveryListener):
    """Hands each pen to on_found as it is found. An exception from on_found is kept and raised
    by discover() once the scan is over (the native scan is not interrupted halfway); later
    pens are not handed over after one."""

    def __init__(self, on_found: Callable[[DiscoveredPen], Any]) -> None:
        super().__init__()
        self._on_found = on_found
        self.error: Optional[BaseException] = None

    def on_found(self, native: Any) -> None:
        if self.error is not None:
            return
        try:
            self._on_found(_pen(native))
        except BaseException as error:  # noqa: BLE001 - raised again by discover()
            self.error = error


def discover(timeout: float = 5.0, *, serial: bool = True, ble: bool = True,
             name_prefix: str = "", ble_adapter: str = "",
             on_found: Optional[Callable[[DiscoveredPen], Any]] = None) -> List[DiscoveredPen]:
    """Pens found within timeout seconds (BLE scans that long; serial answers at once).
    A transport that cannot be searched (no BlueZ, adapter off) is skipped with a log warning.

    on_found(pen), if given, is called with each pen as soon as it is found, on this thread and
    before discover() returns, so a program can show progress during a long scan. If it raises,
    discover() raises the same exception when the scan ends."""
    timeout_ms = _checks.seconds_to_ms("timeout", timeout)
    listener = None
    if on_found is not None:
        listener = _FoundListener(_checks.callback("on_found", on_found))
    found = _native.discover_pens(timeout_ms, _checks.boolean("serial", serial),
                                  _checks.boolean("ble", ble),
                                  _checks.text("name_prefix", name_prefix),
                                  _checks.text("ble_adapter", ble_adapter), listener)
    if listener is not None and listener.error is not None:
        raise listener.error
    return [_pen(pen) for pen in found]


def register_usb_pen(vid: int, pid: int, name: str = "") -> None:
    """Adds a USB VID/PID to the table discover() matches serial ports against."""
    native = _native.UsbPenId()
    native.vid = _checks.integer("vid", vid, "", lowest=1, highest=0xFFFF)
    native.pid = _checks.integer("pid", pid, "", lowest=1, highest=0xFFFF)
    native.name = _checks.text("name", name)
    _native.register_usb_pen(native)
