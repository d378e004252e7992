#!/usr/bin/env python3
"""A fake BlueZ (org.bluez) for penlink's BLE tests, on a private dbus-daemon.

It serves what penlink's BLE transport uses of BlueZ (adapter, device, the penlink GATT service
with its write and notify characteristics, ObjectManager) and bridges the characteristics to a
real penlink-sim over TCP, modelling the radio link in between:

  * the ATT MTU: a write longer than MTU - 3 is refused (org.bluez.Error.InvalidValueLength);
  * connection events every --interval-ms: queued writes are delivered to the pen, and pen
    bytes go out as notifications of at most MTU - 3 bytes, --packets-per-event each way;
  * --bytes-per-second: a cap on what each direction carries;
  * the pen's notification queue (--pen-queue-bytes): replies and events go ahead of queued
    Status frames, and a Status frame meeting a full queue is dropped, as a pen does
    (docs/protocol.md 11);
  * faults: a powered-off adapter, no adapter, a missing device, a device without the penlink
    service, an org.bluez.Error.* from Connect (pairing), and a dropped link.

Control interface, org.penlink.FakeBluez1 on /org/penlink/fake (e.g. with dbus-send):
  DropConnection()                  the pen goes out of range: Connected becomes false
  SetConnectError(s name, s text)   Connect() fails with that error ("" clears it)
  SetPowered(b)                     the adapter's Powered property
  SetMtu(q)                         the ATT MTU of the next connection
  Stats() -> a{st}                  writes, rejected_writes, bytes_to_pen, notifications,
                                    last_estop_ns (when an EmergencyStop reached the pen),
                                    status_dropped_by_pen, ...

It prints "READY" on stdout once org.bluez is owned. The UUIDs come from
src/transport/ble/penlink_gatt.hpp, so the fake and the SDK cannot drift apart.
"""

import argparse
import asyncio
import os
import re
import signal
import sys
import time

from dbus_fast import BusType, DBusError, Variant  # noqa: F401  (Variant for a{sv} values)
from dbus_fast.aio import MessageBus
from dbus_fast.service import PropertyAccess, ServiceInterface, dbus_property, method

HERE = os.path.dirname(os.path.abspath(__file__))
GATT_HEADER = os.path.join(HERE, "..", "..", "src", "transport", "ble", "penlink_gatt.hpp")


def gatt_uuids():
    text = open(GATT_HEADER, encoding="utf-8").read()
    found = dict(re.findall(r'(k\w+Uuid) = "([0-9a-f-]+)"', text))
    return found["kServiceUuid"], found["kWriteUuid"], found["kNotifyUuid"]


SERVICE_UUID, WRITE_UUID, NOTIFY_UUID = gatt_uuids()
EMERGENCY_STOP = 0x0A  # message type (docs/protocol.md 6)
STATUS = 0x84  # message type (docs/protocol.md 6)


def cobs_decode(encoded):
    """One COBS-encoded frame without its delimiter, or None if it is not valid COBS."""
    out = bytearray()
    i = 0
    while i < len(encoded):
        code = encoded[i]
        if code == 0 or i + code > len(encoded):
            return None
        out += encoded[i + 1:i + code]
        i += code
        if code < 0xFF and i < len(encoded):
            out.append(0)
    return bytes(out)


class PenQueue:
    """The pen's notification queue, as a real pen keeps it (docs/protocol.md 11): whole frames
    from penlink-sim, replies and events ahead of queued Status frames, and a Status frame that
    finds the queue holding `limit` bytes or more dropped rather than queued (its status_seq
    still advances, so the host counts the gap). penlink-sim writes into TCP, which never
    pushes back; without this a stream near the link's capacity would queue replies behind
    seconds of Status, which no pen does."""

    def __init__(self, limit):
        self.limit = limit
        self.partial = bytearray()  # bytes from the sim since the last delimiter
        self.frames = []  # (is_status, bytes with delimiter), in sending order
        self.sending = bytearray()  # the rest of the frame being notified: it goes out whole
        self.dropped_status = 0
        self.status_frames = 0  # Status frames penlink-sim sent, queued or dropped

    def clear(self):
        self.partial.clear()
        self.frames.clear()
        self.sending.clear()

    def __len__(self):
        return len(self.sending) + sum(len(frame) for _, frame in self.frames)

    def feed(self, data):
        for byte in data:
            self.partial.append(byte)
            if byte == 0:
                self._add(bytes(self.partial))
                self.partial.clear()

    def _add(self, frame):
        decoded = cobs_decode(frame[:-1]) if len(frame) > 1 else None
        is_status = decoded is not None and len(decoded) > 1 and decoded[1] == STATUS
        if is_status:
            self.status_frames += 1
            if len(self) >= self.limit:
                self.dropped_status += 1
                return
            self.frames.append((True, frame))
            return
        # Replies first: ahead of every queued Status frame, behind earlier replies.
        index = len(self.frames)
        while index > 0 and self.frames[index - 1][0]:
            index -= 1
        self.frames.insert(index, (False, frame))

    def take(self, size):
        """Up to size bytes for one notification."""
        out = bytearray()
        while len(out) < size:
            if not self.sending:
                if not self.frames:
                    break
                self.sending += self.frames.pop(0)[1]
            step = min(size - len(out), len(self.sending))
            out += self.sending[:step]
            del self.sending[:step]
        return bytes(out)


class Link:
    """The radio link and the pen behind it: a TCP connection to penlink-sim."""

    def __init__(self, args):
        self.args = args
        self.payload = args.mtu - 3
        self.connected = False
        self.reader = None
        self.writer = None
        self.to_pen = []  # (bytes, future) waiting for a connection event
        self.from_pen = PenQueue(args.pen_queue_bytes)
        self.stats = {"writes": 0, "rejected_writes": 0, "bytes_to_pen": 0,
                      "notifications": 0, "bytes_from_pen": 0, "connects": 0, "drops": 0,
                      "estops_delivered": 0, "last_estop_ns": 0}
        self.to_pen_frame = bytearray()  # host-to-pen bytes since the last delimiter
        self.device = None
        self.notify = None

    async def connect(self):
        host, port = self.args.sim.rsplit(":", 1)
        self.reader, self.writer = await asyncio.open_connection(host, int(port))
        self.payload = self.args.mtu - 3  # negotiated anew on every connection
        self.from_pen.clear()
        self.connected = True
        self.stats["connects"] += 1
        asyncio.ensure_future(self._read_pen(self.reader))

    async def _read_pen(self, reader):
        while True:
            data = await reader.read(4096)
            if reader is not self.reader:
                return
            if not data:
                self.drop("the pen closed its end")
                return
            self.from_pen.feed(data)

    def drop(self, why):
        if not self.connected:
            return
        self.connected = False
        self.stats["drops"] += 1
        if self.writer:
            self.writer.close()
        self.reader = self.writer = None
        for _, future in self.to_pen:
            if not future.done():
                future.set_exception(DBusError("org.bluez.Error.Failed", "Not connected"))
        self.to_pen.clear()
        self.from_pen.clear()
        if self.notify:
            self.notify.set_notifying(False)
        if self.device:
            self.device.set_connected(False)
        print(f"fake-bluez: link dropped ({why})", file=sys.stderr, flush=True)

    async def run_events(self):
        """Connection events: the only times bytes cross the radio."""
        interval = self.args.interval_ms / 1000.0
        per_event = self.args.bytes_per_second * interval if self.args.bytes_per_second else None
        # Unused allowance carries over (up to a packet and an event's worth), so a cap below
        # one packet per event still lets whole packets through, just less often.
        credit = {"to_pen": 0.0, "from_pen": 0.0}

        def refill(direction):
            if per_event is not None:
                credit[direction] = min(credit[direction] + per_event, per_event + self.payload)

        loop = asyncio.get_running_loop()
        next_event = loop.time()
        while True:
            next_event += interval
            await asyncio.sleep(max(0.0, next_event - loop.time()))
            if not self.connected:
                continue
            refill("to_pen")
            for _ in range(self.args.packets_per_event):
                if not self.to_pen:
                    break
                data, future = self.to_pen[0]
                if per_event is not None and credit["to_pen"] < len(data):
                    break
                self.to_pen.pop(0)
                if per_event is not None:
                    credit["to_pen"] -= len(data)
                self.writer.write(data)
                self.stats["bytes_to_pen"] += len(data)
                self._watch_for_estop(data)
                if not future.done():
                    future.set_result(None)
            refill("from_pen")
            for _ in range(self.args.packets_per_event):
                if not len(self.from_pen) or not (self.notify and self.notify.notifying):
                    break
                size = min(self.payload, len(self.from_pen))
                if per_event is not None:
                    size = min(size, int(credit["from_pen"]))
                    if size <= 0:
                        break
                    credit["from_pen"] -= size
                chunk = self.from_pen.take(size)
                self.stats["notifications"] += 1
                self.stats["bytes_from_pen"] += len(chunk)
                self.notify.notify(chunk)

    def _watch_for_estop(self, data):
        """Notes when an EmergencyStop frame reached the pen (CLOCK_MONOTONIC ns, comparable
        with std::chrono::steady_clock), for the e-stop latency bench."""
        for byte in data:
            if byte != 0:
                self.to_pen_frame.append(byte)
                continue
            frame = cobs_decode(bytes(self.to_pen_frame))
            self.to_pen_frame.clear()
            if frame is not None and len(frame) > 1 and frame[1] == EMERGENCY_STOP:
                self.stats["estops_delivered"] += 1
                self.stats["last_estop_ns"] = time.monotonic_ns()

    async def write(self, data):
        if not self.connected:
            raise DBusError("org.bluez.Error.Failed", "Not connected")
        if len(data) > self.payload:
            self.stats["rejected_writes"] += 1
            raise DBusError("org.bluez.Error.InvalidValueLength",
                            f"{len(data)} bytes exceed the ATT payload of {self.payload}")
        self.stats["writes"] += 1
        future = asyncio.get_running_loop().create_future()
        self.to_pen.append((bytes(data), future))
        await future


class Adapter(ServiceInterface):
    def __init__(self, fake, name):
        super().__init__("org.bluez.Adapter1")
        self.fake = fake
        self.adapter_name = name
        self.powered = not fake.args.powered_off
        self.discovering = False

    @method()
    def StartDiscovery(self):
        if not self.powered:
            raise DBusError("org.bluez.Error.NotReady", "Resource Not Ready")
        self.discovering = True
        self.emit_properties_changed({"Discovering": True})
        self.fake.advertise()

    @method()
    def StopDiscovery(self):
        if not self.discovering:
            raise DBusError("org.bluez.Error.Failed", "No discovery started")
        self.discovering = False
        self.emit_properties_changed({"Discovering": False})

    @method()
    def SetDiscoveryFilter(self, properties: "a{sv}"):
        if not self.powered:
            raise DBusError("org.bluez.Error.NotReady", "Resource Not Ready")

    @dbus_property(access=PropertyAccess.READ)
    def Address(self) -> "s":
        return "00:1A:7D:DA:71:13"

    @dbus_property(access=PropertyAccess.READ)
    def Name(self) -> "s":
        return "fake-" + self.adapter_name

    @dbus_property()
    def Powered(self) -> "b":
        return self.powered

    @Powered.setter
    def Powered(self, value: "b"):
        self.set_powered(value)

    def set_powered(self, value):
        self.powered = value
        if not value:
            self.fake.link.drop("adapter powered off")

    @dbus_property(access=PropertyAccess.READ)
    def Discovering(self) -> "b":
        return self.discovering


class Device(ServiceInterface):
    def __init__(self, fake, adapter_path):
        super().__init__("org.bluez.Device1")
        self.fake = fake
        self.adapter_path = adapter_path
        self.connected = False
        self.resolved = False

    def set_connected(self, value):
        self.connected = value
        self.resolved = value
        self.emit_properties_changed({"Connected": value, "ServicesResolved": value})

    @method()
    async def Connect(self):
        fake = self.fake
        if not fake.adapter.powered:
            raise DBusError("org.bluez.Error.NotReady", "Resource Not Ready")
        if fake.connect_error[0]:
            raise DBusError(fake.connect_error[0], fake.connect_error[1])
        if self.connected:
            return
        try:
            await fake.link.connect()
        except OSError as error:
            raise DBusError("org.bluez.Error.Failed", f"le-connection-abort-by-local ({error})")
        fake.resolve_services()
        self.set_connected(True)

    @method()
    def Disconnect(self):
        self.fake.link.drop("host disconnected")

    @dbus_property(access=PropertyAccess.READ)
    def Address(self) -> "s":
        return self.fake.args.address

    @dbus_property(access=PropertyAccess.READ)
    def Name(self) -> "s":
        return self.fake.args.name

    @dbus_property(access=PropertyAccess.READ)
    def Alias(self) -> "s":
        return self.fake.args.name

    @dbus_property(access=PropertyAccess.READ)
    def Adapter(self) -> "o":
        return self.adapter_path

    @dbus_property(access=PropertyAccess.READ)
    def Connected(self) -> "b":
        return self.connected

    @dbus_property(access=PropertyAccess.READ)
    def ServicesResolved(self) -> "b":
        return self.resolved

    @dbus_property(access=PropertyAccess.READ)
    def Paired(self) -> "b":
        return False

    @dbus_property(access=PropertyAccess.READ)
    def UUIDs(self) -> "as":
        return [] if self.fake.args.no_service else [SERVICE_UUID]

    @dbus_property(access=PropertyAccess.READ)
    def RSSI(self) -> "n":
        return -58


class GattService(ServiceInterface):
    def __init__(self, uuid, device_path):
        super().__init__("org.bluez.GattService1")
        self.uuid = uuid
        self.device_path = device_path

    @dbus_property(access=PropertyAccess.READ)
    def UUID(self) -> "s":
        return self.uuid

    @dbus_property(access=PropertyAccess.READ)
    def Device(self) -> "o":
        return self.device_path

    @dbus_property(access=PropertyAccess.READ)
    def Primary(self) -> "b":
        return True


class Characteristic(ServiceInterface):
    def __init__(self, fake, uuid, service_path, flags):
        super().__init__("org.bluez.GattCharacteristic1")
        self.fake = fake
        self.uuid = uuid
        self.service_path = service_path
        self.flags = flags
        self.notifying = False
        self.value = b""

    def set_notifying(self, value):
        self.notifying = value
        self.emit_properties_changed({"Notifying": value})

    def notify(self, data):
        self.value = data
        self.emit_properties_changed({"Value": data})

    @method()
    async def WriteValue(self, value: "ay", options: "a{sv}"):
        if "write-without-response" not in self.flags:
            raise DBusError("org.bluez.Error.NotPermitted", "Write not permitted")
        await self.fake.link.write(value)

    @method()
    async def StartNotify(self):
        if self.fake.args.hang_start_notify:
            await asyncio.Event().wait()  # a BlueZ that never answers
        if "notify" not in self.flags:
            raise DBusError("org.bluez.Error.NotSupported", "Operation is not supported")
        if not self.fake.link.connected:
            raise DBusError("org.bluez.Error.Failed", "Not connected")
        self.set_notifying(True)

    @method()
    def StopNotify(self):
        self.set_notifying(False)

    @dbus_property(access=PropertyAccess.READ)
    def UUID(self) -> "s":
        return self.uuid

    @dbus_property(access=PropertyAccess.READ)
    def Service(self) -> "o":
        return self.service_path

    @dbus_property(access=PropertyAccess.READ)
    def Flags(self) -> "as":
        return self.flags

    @dbus_property(access=PropertyAccess.READ)
    def Notifying(self) -> "b":
        return self.notifying

    @dbus_property(access=PropertyAccess.READ)
    def Value(self) -> "ay":
        return self.value

    @dbus_property(access=PropertyAccess.READ)
    def MTU(self) -> "q":
        return self.fake.args.mtu


class Control(ServiceInterface):
    def __init__(self, fake):
        super().__init__("org.penlink.FakeBluez1")
        self.fake = fake

    @method()
    def DropConnection(self):
        self.fake.link.drop("out of range (control interface)")

    @method()
    def SetConnectError(self, name: "s", text: "s"):
        self.fake.connect_error = (name, text)

    @method()
    def SetPowered(self, value: "b"):
        self.fake.adapter.set_powered(value)
        self.fake.adapter.emit_properties_changed({"Powered": value})

    @method()
    def SetMtu(self, value: "q"):
        """The ATT MTU of the next connection (the current one keeps its own)."""
        if value < 23 or value > 517:
            raise DBusError("org.penlink.Error.InvalidArgs", f"MTU {value} is outside 23-517")
        self.fake.args.mtu = value

    @method()
    def Stats(self) -> "a{st}":
        stats = dict(self.fake.link.stats)
        stats["status_dropped_by_pen"] = self.fake.link.from_pen.dropped_status
        stats["status_from_pen"] = self.fake.link.from_pen.status_frames
        return stats


class Fake:
    def __init__(self, args, bus):
        self.args = args
        self.bus = bus
        self.link = Link(args)
        self.connect_error = (args.connect_error or "", args.connect_error_text)
        self.adapter = Adapter(self, args.adapter)
        self.adapter_path = "/org/bluez/" + args.adapter
        self.device_path = self.adapter_path + "/dev_" + args.address.replace(":", "_")
        self.device = None
        self.services_exported = False

    def start(self):
        if not self.args.no_adapter:
            self.bus.export(self.adapter_path, self.adapter)
        self.bus.export("/org/penlink/fake", Control(self))
        if self.args.known and not self.args.no_adapter:
            self.advertise()

    def advertise(self):
        if self.device or self.args.no_device:
            return
        self.device = Device(self, self.adapter_path)
        self.link.device = self.device
        self.bus.export(self.device_path, self.device)

    def resolve_services(self):
        if self.services_exported:
            return
        self.services_exported = True
        # A generic service every BLE device has, so "not a penlink pen" has something to count.
        gap = self.device_path + "/service0001"
        self.bus.export(gap, GattService("00001800-0000-1000-8000-00805f9b34fb", self.device_path))
        if self.args.no_service:
            return
        service = self.device_path + "/service0010"
        self.bus.export(service, GattService(SERVICE_UUID, self.device_path))
        write = Characteristic(self, WRITE_UUID, service, ["write-without-response"])
        notify = Characteristic(self, NOTIFY_UUID, service, ["notify"])
        self.link.notify = notify
        self.bus.export(service + "/char0011", write)
        self.bus.export(service + "/char0013", notify)


async def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bus", required=True, help="D-Bus address of the private bus")
    parser.add_argument("--sim", required=True, help="penlink-sim's TCP endpoint HOST:PORT")
    parser.add_argument("--address", default="C0:FF:EE:00:00:01")
    parser.add_argument("--name", default="penlink-sim")
    parser.add_argument("--adapter", default="hci0")
    parser.add_argument("--mtu", type=int, default=247)
    parser.add_argument("--interval-ms", type=float, default=15.0)
    parser.add_argument("--packets-per-event", type=int, default=4)
    parser.add_argument("--bytes-per-second", type=int, default=0, help="0: no cap")
    parser.add_argument("--pen-queue-bytes", type=int, default=256,
                        help="the pen drops a Status frame when its notification queue holds "
                             "this much (replies and events are always queued, ahead of Status)")
    parser.add_argument("--known", action="store_true",
                        help="BlueZ knows the device already (no scan needed)")
    parser.add_argument("--powered-off", action="store_true")
    parser.add_argument("--no-adapter", action="store_true")
    parser.add_argument("--no-device", action="store_true")
    parser.add_argument("--no-service", action="store_true",
                        help="the device lacks the penlink service")
    parser.add_argument("--hang-start-notify", action="store_true",
                        help="StartNotify never answers (a hung BlueZ)")
    parser.add_argument("--connect-error", default="", help="e.g. org.bluez.Error.AuthenticationFailed")
    parser.add_argument("--connect-error-text", default="Authentication Failed")
    args = parser.parse_args()
    if args.mtu < 23 or args.mtu > 517:
        parser.error(f"--mtu {args.mtu} is outside the ATT range 23-517")

    bus = await MessageBus(bus_address=args.bus).connect()
    fake = Fake(args, bus)
    fake.start()
    await bus.request_name("org.bluez")
    events = asyncio.ensure_future(fake.link.run_events())
    print("READY", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    events.cancel()
    bus.disconnect()


if __name__ == "__main__":
    asyncio.run(main())
