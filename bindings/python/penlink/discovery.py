"""Finding pens on every transport: USB serial ports of known pens and BLE pens advertising the
penlink service (penlink/discovery.hpp)."""

from __future__ import annotations

import dataclasses
import enum
from typing import List, Optional

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


def discover(timeout: float = 5.0, *, serial: bool = True, ble: bool = True,
             name_prefix: str = "", ble_adapter: str = "") -> List[DiscoveredPen]:
    """Pens found within timeout seconds (BLE scans that long; serial answers at once).
    A transport that cannot be searched (no BlueZ, adapter off) is skipped with a log warning."""
    timeout_ms = _checks.seconds_to_ms("timeout", timeout)
    found = _native.discover_pens(timeout_ms, _checks.boolean("serial", serial),
                                  _checks.boolean("ble", ble),
                                  _checks.text("name_prefix", name_prefix),
                                  _checks.text("ble_adapter", ble_adapter))
    return [DiscoveredPen(url=pen.url, name=pen.name, transport=TransportKind(int(pen.transport)),
                          address=pen.address, adapter=pen.adapter,
                          rssi_dbm=pen.rssi_dbm if pen.has_rssi else None,
                          usb_vid=pen.usb_vid, usb_pid=pen.usb_pid,
                          serial_number=pen.serial_number)
            for pen in found]


def register_usb_pen(vid: int, pid: int, name: str = "") -> None:
    """Adds a USB VID/PID to the table discover() matches serial ports against."""
    native = _native.UsbPenId()
    native.vid = _checks.integer("vid", vid, "", lowest=1, highest=0xFFFF)
    native.pid = _checks.integer("pid", pid, "", lowest=1, highest=0xFFFF)
    native.name = _checks.text("name", name)
    _native.register_usb_pen(native)
