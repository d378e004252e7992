"""Pen: a connection to one microneedling pen, and Subscription, a registered callback.

Threads: every pen has its own I/O thread and callback thread (in C++). Callbacks registered
with on_status / on_event / on_connection_state run on that pen's callback thread, one at a
time, in order, holding the GIL while they run. A callback may call the pen's methods but
should return quickly: status frames queue behind it and are dropped (and counted) when the
queue fills. Pen methods are thread-safe and release the GIL while they wait for the pen.
"""

from __future__ import annotations

import atexit
import os
import threading
import weakref
from typing import Any, Callable, Iterable, Mapping, Optional, Set

from . import _checks, _convert, _listeners
from . import native as _native
from ._command_arguments import _depth, _mode, _speed
from ._pen_async import AsyncCommands
from ._pen_modules import ModuleCommands
from ._pen_status import StatusAndEvents
from ._subscription import Subscription
from .errors import InvalidArgumentError
from .types import (Capabilities, ConnectionState, DeviceInfo, LedMode, PenSettings, RfMode,
                    Status, SecurityStats, Threading)

__all__ = ["Pen", "Subscription", "connect", "connect_async"]

_open_pens: "weakref.WeakSet[Pen]" = weakref.WeakSet()


# Pen's asynchronous commands (_pen_async.py), add-on module calls (_pen_modules.py) and status
# and event calls (_pen_status.py) are mixins in modules of their own; Pen holds their state.
class Pen(AsyncCommands, ModuleCommands, StatusAndEvents):
    """A connected pen; make one with penlink.connect(url) (or `await
    penlink.connect_async(url)`). Use it as a context manager (`with` or `async with`), or
    call close(). Commands return once the pen acknowledged, or raise a PenError.

    Settings are commands, never attributes: pen.set_depth(mm=1.0), not pen.depth = 1.0 (a
    Pen has no attributes to invent, so that raises AttributeError)."""

    __slots__ = ("_native", "_lock", "_subscriptions", "_closed", "_info", "_capabilities",
                 "__weakref__")

    def __init__(self, native: Any) -> None:
        if not isinstance(native, _native.Pen):
            raise InvalidArgumentError(
                f"penlink.Pen({native!r}) is not how a pen is opened: use "
                f"penlink.connect({native!r}) (or await penlink.connect_async(...)), which "
                f"connects and returns the Pen" if isinstance(native, str) else
                f"penlink.Pen is not built directly: use penlink.connect(url), e.g. "
                f"penlink.connect(\"sim://\") or penlink.connect(\"serial:///dev/ttyACM0\")")
        self._native = native
        self._lock = threading.Lock()
        self._subscriptions: Set[Subscription] = set()
        self._closed = False
        self._info: Optional[DeviceInfo] = None
        self._capabilities: Optional[Capabilities] = None
        _open_pens.add(self)

    # --- lifetime ---------------------------------------------------------------------------

    def close(self) -> None:
        """Stops the callbacks, stops the needle if it can, closes the link. Idempotent;
        later commands raise ConnectionLostError."""
        with self._lock:
            self._closed = True
            subscriptions = list(self._subscriptions)
            self._subscriptions.clear()
        for subscription in subscriptions:
            subscription.unsubscribe()
        self._native.close()
        _open_pens.discard(self)

    def reconnect(self) -> None:
        """After the connection was lost: opens the link again and redoes the handshake.
        Callbacks stay registered. Does nothing while connected; raises ConnectionError if a
        different pen answers."""
        self._native.reconnect()

    def __enter__(self) -> "Pen":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    async def __aenter__(self) -> "Pen":
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        """Closes the pen without blocking the event loop."""
        await _asyncio_run(self.close)

    def __repr__(self) -> str:
        return f"<penlink.Pen {self.url} {self.connection_state.name}>"

    def __setattr__(self, name: str, value: Any) -> None:
        try:
            object.__setattr__(self, name, value)
        except AttributeError:
            raise AttributeError(
                f"penlink.Pen has no attribute {name!r} to set: settings are commands "
                f"(set_depth(mm=...), set_speed(hz=...), set_rf(...), set_led(...)); the one "
                f"settable attribute is depth_limit_mm") from None

    # --- identity and limits ----------------------------------------------------------------

    @property
    def url(self) -> str:
        """The URL this pen was opened with."""
        return self._native.url()

    @property
    def connection_state(self) -> ConnectionState:
        """CONNECTED, LOST (until reconnect()) or CLOSED."""
        return ConnectionState(self._native.connection_state())

    @property
    def info(self) -> DeviceInfo:
        """Model, serial number, firmware and protocol version (read once at connect)."""
        if self._info is None:
            self._info = _convert.device_info(self._native.info())
        return self._info

    @property
    def capabilities(self) -> Capabilities:
        """Depth and speed ranges, RF and LED add-ons, watchdog, maximum status rate."""
        if self._capabilities is None:
            self._capabilities = _convert.capabilities(self._native.capabilities())
        return self._capabilities

    @property
    def depth_limit_mm(self) -> float:
        """Host-side depth ceiling (e.g. 1.5 for a cheek protocol); set_depth refuses anything
        deeper. Defaults to the pen's maximum; setting it does not talk to the pen."""
        return self._native.depth_limit().in_mm()

    @depth_limit_mm.setter
    def depth_limit_mm(self, limit_mm: float) -> None:
        self._native.set_depth_limit(
            _native.Depth.mm(_checks.real("depth limit", limit_mm, "mm")))

    # --- commands ---------------------------------------------------------------------------

    def set_depth(self, *, mm: Optional[float] = None, um: Optional[int] = None) -> None:
        """Needle depth, in exactly one unit: set_depth(mm=1.25) or set_depth(um=1250)."""
        self._native.set_depth(_depth("set_depth", mm, um))

    def set_speed(self, *, hz: float) -> None:
        """Needle speed in strokes per second: set_speed(hz=100)."""
        self._native.set_speed(_speed(hz))

    def start(self) -> None:
        """Starts the needle at the depth and speed set."""
        self._native.start()

    def stop(self) -> None:
        """Stops the needle (RF and LED keep their modes)."""
        self._native.stop()

    def set_rf(self, mode: Optional[RfMode] = None, **fields: Any) -> None:
        """RF add-on. set_rf(power_w=5, frequency_khz=1500) switches RF on with those settings
        (the rest as in RfMode); set_rf(RfMode(...)) sends a mode as it is. A mode at 0 W is
        refused (InvalidArgumentError): switch RF off with rf_off()."""
        self._native.set_rf_mode(_convert.rf_mode(_mode(RfMode, mode, fields)))

    def rf_off(self) -> None:
        """Switches RF off."""
        self._native.set_rf_mode(_convert.rf_mode(RfMode.off()))

    def set_led(self, mode: Optional[LedMode] = None, **fields: Any) -> None:
        """LED add-on. set_led(wavelength_nm=633, irradiance_mw_cm2=40) switches the LED on;
        set_led(LedMode(...)) sends a mode as it is. A mode at 0 mW/cm2 is refused
        (InvalidArgumentError): switch the LED off with led_off()."""
        self._native.set_led_mode(_convert.led_mode(_mode(LedMode, mode, fields)))

    def led_off(self) -> None:
        """Switches the LED off."""
        self._native.set_led_mode(_convert.led_mode(LedMode.off()))

    def emergency_stop(self) -> None:
        """Stops needle, RF and LED at once; latched until clear_emergency_stop()."""
        self._native.emergency_stop()

    def clear_emergency_stop(self) -> None:
        """Releases a latched emergency stop; outputs stay off until commanded again."""
        self._native.clear_emergency_stop()

    def clear_faults(self) -> None:
        """Clears latched faults whose cause has gone."""
        self._native.clear_faults()

    @property
    def authenticated(self) -> bool:
        """True while the session is authenticated (connect(keys=...) with the pen's key)."""
        return bool(self._native.authenticated())

    def security_stats(self) -> SecurityStats:
        """What the authenticated-session checks rejected in this session: forged, replayed and
        unauthenticated frames, and the pen's own count."""
        native = self._native.security_stats()
        return SecurityStats(authenticated=bool(native.authenticated), forged=native.forged,
                             replayed=native.replayed, unauthenticated=native.unauthenticated,
                             rejected_by_pen=native.rejected_by_pen)

    def change_key(self, new_key: bytes) -> None:
        """Installs new_key (32 bytes) on the pen over the authenticated session (sent AES
        key-wrapped); the pen and this Pen's reconnect() use it from then on. Raises
        AuthenticationError if the session is not authenticated."""
        self._native.change_key_hex(_checks.key_bytes("new_key", new_key).hex())

    def read_settings(self) -> PenSettings:
        """Asks the pen for its current set points (depth, depth limit, speed, running, RF,
        LED, status rate, faults). After a command raised TimeoutError or ConnectionLostError
        its outcome is unknown (it was applied at most once, never after a newer command of
        its kind): this says what holds, also after reconnect(). Blocks until the pen answers;
        raises like a command."""
        return _convert.pen_settings(self._native.read_settings())

    # --- treatment runs and recordings ------------------------------------------------------

    def run_recipe(self, recipe: Any, *, on_progress: Optional[Callable[..., Any]] = None,
                   device_class: Any = "professional", at_home_depth_cap_mm: float = 0.25,
                   zone_chart: Optional[str] = None, timeout: Optional[float] = None,
                   record_db: Optional[Any] = None, client_reference: str = "",
                   reuse_cartridge: str = "", observer: Any = None) -> Any:
        """Runs a treatment recipe (penlink.treatment.Recipe) on this pen to its end and
        returns its penlink.treatment.RunResult; see penlink.treatment.Runner to pause,
        skip or abort a run, for record_db (write the run into a treatment log) and for
        observer (a penlink.treatment.RunObserver told of every step)."""
        from . import treatment
        return treatment.run_recipe(self, recipe, on_progress=on_progress,
                                    device_class=device_class,
                                    at_home_depth_cap_mm=at_home_depth_cap_mm,
                                    zone_chart=zone_chart, timeout=timeout,
                                    record_db=record_db, client_reference=client_reference,
                                    reuse_cartridge=reuse_cartridge, observer=observer)

    def start_recording(self, path: Any) -> Any:
        """Records every frame of this pen's link from now on into path and returns the
        penlink.records.Recorder (a context manager; stop() ends it). A recording started
        here has no handshake, so replay:// cannot play it (connect(record_path=...) records
        a whole session). RejectedError if the pen is already recording."""
        from . import records
        return records.start_recording(self, path)

    # --- internals --------------------------------------------------------------------------

    def _subscribe_status(self, callback: Callable[[Status], Any], rate_hz: int,
                          on_end: Optional[Callable[[], None]] = None) -> Subscription:
        listener = _listeners.StatusListener(_checks.callback("status callback", callback))
        rate = _checks.integer("status rate", rate_hz, "Hz")
        return self._register(self._native.subscribe_status(listener, rate), listener, on_end)

    def _register(self, native: Any, listener: Any,
                  on_end: Optional[Callable[[], None]] = None) -> Subscription:
        subscription = Subscription(self, native, listener, on_end)
        with self._lock:
            if not self._closed:
                self._subscriptions.add(subscription)
                return subscription
        # Closed meanwhile, e.g. by this very callback before subscribe returned: close()
        # could not see this subscription, so end it here.
        subscription.unsubscribe()
        return subscription

    def _forget(self, subscription: Subscription) -> None:
        with self._lock:
            self._subscriptions.discard(subscription)


def connect(url: str, *, connect_timeout: float = 3.0, command_timeout: float = 0.0,
            command_retries: int = 2, heartbeat_interval: float = 0.0,
            link_timeout: float = 0.0, idle_status_rate_hz: int = 10,
            callback_queue_capacity: int = 4096, module_paths: Iterable[Any] = (),
            keys: Optional[Mapping[str, bytes]] = None, key_file: Optional[str] = None,
            require_authentication: bool = False, record_path: Optional[Any] = None,
            threading: Threading = Threading.SHARED) -> Pen:
    """Connects to a pen and performs the handshake; returns the Pen. Times are in seconds.

    URLs: serial:///dev/ttyUSB0?baud=115200, tcp://127.0.0.1:7878, sim://?rf=1&led=1 (a
    simulated pen in this process; never chosen for you).
    command_timeout 0 means suited to the link: 0.3 s, longer on a Bluetooth LE link with a
    connection interval over 15 ms; heartbeat_interval 0 means a quarter of the pen's watchdog
    period, fitted to the link, while the pen may be armed (a third of link_timeout while every
    output is known to be off); link_timeout 0 means twice the pen's watchdog period (at least
    1 s), longer on a slow link (docs/protocol.md 11.1). module_paths: directories of partner module
    descriptors (*.json) for pens that cannot store theirs, searched before the
    PENLINK_MODULE_PATH environment variable. Raises InvalidArgumentError (bad URL),
    ConnectionError (port missing or busy, refused), TimeoutError (no answer) or
    RejectedError (incompatible protocol version).

    Authenticated sessions (docs/protocol.md section 16): keys maps pen serial numbers to their
    32-byte keys, key_file names a file of "SERIAL HEX" lines (mode 600). With the pen's key the
    session is authenticated; AuthenticationError says why not (AUTHENTICATION_REQUIRED: no key
    for a pen that requires one, or require_authentication; KEY_REJECTED: not the pen's key;
    PEN_NOT_AUTHENTIC: the pen could not prove itself).

    record_path: record the whole session, from the handshake on, into this file
    (docs/records.md); penlink.records.read_recording reads it back, penlink.plot draws it,
    replay://FILE plays it back as a pen. InvalidArgumentError if it cannot be created.

    threading: Threading.SHARED (default: the pen shares penlink's I/O thread and two callback
    threads with every other pen) or Threading.DEDICATED (the pen gets an I/O thread and a
    callback thread of its own, so no other pen can delay it); docs/architecture.md, Threads."""
    options = _convert.connect_options(
        connect_timeout=connect_timeout, command_timeout=command_timeout,
        command_retries=command_retries, heartbeat_interval=heartbeat_interval,
        link_timeout=link_timeout, idle_status_rate_hz=idle_status_rate_hz,
        callback_queue_capacity=callback_queue_capacity, module_paths=module_paths)
    _convert.add_keys(options, keys, key_file, require_authentication)
    if record_path is not None:
        options.record_path = _checks.text("record path", os.fspath(record_path))
    options.threading = int(_checks.member("threading", threading, Threading))
    return Pen(_native.Pen.connect(_checks.text("url", url), options))


class _Connecting:
    """What connect_async returns: await it for the Pen, or use it with `async with`."""

    __slots__ = ("_connect", "_pen")

    def __init__(self, connect: Callable[[], Pen]) -> None:
        self._connect = connect
        self._pen: Optional[Pen] = None

    def __await__(self) -> Any:
        return _asyncio_run(self._connect).__await__()

    async def __aenter__(self) -> Pen:
        self._pen = await _asyncio_run(self._connect)
        return self._pen

    async def __aexit__(self, *exc_info: object) -> None:
        if self._pen is not None:
            await self._pen.__aexit__(*exc_info)


def connect_async(url: str, **options: Any) -> _Connecting:
    """connect() for asyncio: `pen = await penlink.connect_async("sim://")`, or
    `async with penlink.connect_async("sim://") as pen:` (closes the pen at the end). The
    handshake runs on the loop's default executor, so the event loop keeps running; options
    and errors are those of connect()."""
    url = _checks.text("url", url)
    return _Connecting(lambda: connect(url, **options))


async def _asyncio_run(call: Callable[[], Any]) -> Any:
    import asyncio
    return await asyncio.get_running_loop().run_in_executor(None, call)


@atexit.register
def _close_open_pens() -> None:
    # C++ threads must not call into an interpreter that is shutting down.
    for pen in list(_open_pens):
        try:
            pen.close()
        except Exception:  # noqa: BLE001 - closing anyway
            pass
