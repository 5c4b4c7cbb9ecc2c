"""Values paneld reports (device info, properties, events, snapshots, limits) and the default
socket rule. Immutable; any thread.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Dict, Mapping, Optional, Tuple

from . import _wire

if TYPE_CHECKING:  # pragma: no cover
    from .display import Display

SYSTEM_SOCKET = "/run/paneld/paneld.sock"


def default_socket(env: Optional[Mapping[str, str]] = None) -> str:
    """The socket ``connect()`` uses when none is named, resolved like ``panelctl``'s:
    ``$PANELD_SOCKET`` when set; ``/run/paneld/paneld.sock`` when it exists; else the per-user
    path (``$XDG_RUNTIME_DIR/paneld.sock``, or ``/tmp/paneld-$USER/paneld.sock``) when it exists;
    else the path a daemon started now would use (so that the error names it)."""
    if env is None:
        env = os.environ
    explicit = env.get("PANELD_SOCKET")
    if explicit:
        return explicit
    if os.path.exists(SYSTEM_SOCKET):
        return SYSTEM_SOCKET
    user = _per_user_socket(env)
    if os.path.exists(user):
        return user
    run = os.path.dirname(SYSTEM_SOCKET)
    usable = os.access(run, os.W_OK) if os.path.isdir(run) else os.access(os.path.dirname(run), os.W_OK)
    return SYSTEM_SOCKET if usable else user


def _per_user_socket(env: Mapping[str, str]) -> str:
    xdg = env.get("XDG_RUNTIME_DIR")
    if xdg and os.path.isdir(xdg):
        return os.path.join(xdg, "paneld.sock")
    user = env.get("USER")
    if not user:
        try:
            import pwd
            user = pwd.getpwuid(os.getuid()).pw_name
        except (ImportError, KeyError):
            user = "user"
    return os.path.join("/tmp", "paneld-" + user, "paneld.sock")


@dataclass(frozen=True)
class Property:
    """A device property (``backlight`` 0..100, ``power`` 0/1, …) as DEVICE_INFO reported it."""
    name: str
    min: int
    max: int
    value: int


@dataclass(frozen=True)
class DeviceInfo:
    """What DEVICE_INFO says about a device (PROTOCOL.md section 5). ``formats`` are the client
    buffer formats the device takes (``"XRGB8888"``, ``"RGB565"``); ``panel_format`` is what the
    panel itself shows; ``has_touch``: the display has a touch controller (TOUCH events)."""
    name: str
    driver: str
    width: int
    height: int
    width_mm: int = 0
    height_mm: int = 0
    rotation: int = 0
    connected: bool = True
    owned: bool = False
    unplugged: bool = False
    has_touch: bool = False
    panel_format: str = ""
    update_class: str = ""
    formats: Tuple[str, ...] = ()
    properties: Dict[str, Property] = field(default_factory=dict)


@dataclass(frozen=True)
class Event:
    """An event from the daemon. ``type`` is one of ``"device_added"``, ``"device_removed"``,
    ``"unplugged"``, ``"flip_complete"``, ``"ownership"``, ``"shutdown"``, ``"touch"`` (then it is
    a :class:`TouchEvent`); the other fields are
    set where the event carries them (``device`` also for ``ownership`` when the session is this
    client's; ``error`` is an errno name or None)."""
    type: str
    device: Optional[str] = None
    session: Optional[int] = None
    buffer: Optional[int] = None
    flip_id: Optional[int] = None
    error: Optional[str] = None
    owner: Optional[bool] = None
    reason: Optional[str] = None


@dataclass(frozen=True)
class TouchEvent(Event):
    """A TOUCH event (PROTOCOL.md section 15): one report of contact ``slot`` on ``display``.

    ``kind``: ``"down"`` (the contact starts), ``"move"``, ``"up"`` (it ends; never sent after
    an unplug: ``unplugged`` ends every contact), or the number as text for a kind this client
    does not know. ``x``, ``y``: pixels of the picture the client draws, (0, 0) its top-left, at
    every rotation. ``raw_x``, ``raw_y``: the controller's sample before calibration.
    ``pressure`` 0..255. ``owner`` (of :class:`Event`): the session owns the display (else it
    observes). ``dropped``: positions of this contact (or whole earlier contacts of this slot)
    were dropped before this event because the client did not read. ``timestamp_us``:
    CLOCK_MONOTONIC of the sample (``time.monotonic_ns() // 1000`` on Linux). ``display``: this
    client's :class:`~paneld.display.Display` of ``session`` (None once it is closed)."""
    type: str = "touch"
    kind: str = ""
    slot: int = 0
    x: int = 0
    y: int = 0
    raw_x: int = 0
    raw_y: int = 0
    pressure: int = 0
    dropped: bool = False
    timestamp_us: int = 0
    display: Optional["Display"] = field(default=None, compare=False, repr=False)

    def __repr__(self) -> str:
        return ("TouchEvent(%s slot=%d x=%d y=%d raw_x=%d raw_y=%d pressure=%d device=%s session=%s%s%s t_us=%d)"
                % (self.kind, self.slot, self.x, self.y, self.raw_x, self.raw_y, self.pressure, self.device, self.session,
                   " owner" if self.owner else "", " dropped" if self.dropped else "", self.timestamp_us))


@dataclass(frozen=True)
class Snapshot:
    """What a virtual panel shows (ADMIN_SNAPSHOT): ``pixels`` holds ``width * height``
    little-endian u32 ``0x00RRGGBB``, row-major (in memory B, G, R, 0: the XRGB8888 layout)."""
    width: int
    height: int
    pixels: bytes

    def rgb(self, x: int, y: int) -> Tuple[int, int, int]:
        """The pixel at (x, y) as (r, g, b)."""
        if not (0 <= x < self.width and 0 <= y < self.height):
            raise IndexError("pixel (%d, %d) is outside %dx%d" % (x, y, self.width, self.height))
        i = (y * self.width + x) * 4
        b, g, r = self.pixels[i], self.pixels[i + 1], self.pixels[i + 2]
        return r, g, b

    def to_image(self) -> Any:
        """A Pillow ``RGB`` image of the snapshot (needs Pillow)."""
        from .images import require_pillow
        Image = require_pillow("Snapshot.to_image()")
        return Image.frombuffer("RGB", (self.width, self.height), self.pixels, "raw", "BGRX", 0, 1).copy()


@dataclass(frozen=True)
class Limits:
    """The limits the daemon announced in its HELLO reply."""
    max_frame: int
    max_rects: int
    max_buffer_bytes: int
    max_sessions: int
    max_buffers: int
    max_connection_bytes: int


def _parse_info(payload: bytes) -> DeviceInfo:
    r = _wire.Reader(payload)
    name, driver = r.str(), r.str()
    width, height, wmm, hmm, rotation, flags = r.take("<IIIIII")
    panel_format, update_class = r.str(), r.str()
    formats = tuple(_wire.fourcc_name(r.u32()) for _ in range(r.u16()))
    props = {}
    for _ in range(r.u16()):
        pname = r.str()
        lo, hi, val = r.take("<qqq")
        props[pname] = Property(pname, lo, hi, val)
    return DeviceInfo(name=name, driver=driver, width=width, height=height, width_mm=wmm, height_mm=hmm,
                      rotation=rotation, connected=bool(flags & _wire.CONNECTED), owned=bool(flags & _wire.OWNED),
                      unplugged=bool(flags & _wire.UNPLUGGED), has_touch=bool(flags & _wire.TOUCH), panel_format=panel_format,
                      update_class=update_class, formats=formats, properties=props)


def _parse_touch(payload: bytes, display: Optional["Display"]) -> TouchEvent:
    session, kind, slot, x, y, raw_x, raw_y, pressure, flags, t_us = _wire.Reader(payload).take("<IHHiiiiHHQ")
    return TouchEvent(device=display.name if display is not None else None, session=session,
                      owner=bool(flags & _wire.TOUCH_OWNER), kind=_wire.TOUCH_KINDS.get(kind, str(kind)), slot=slot,
                      x=x, y=y, raw_x=raw_x, raw_y=raw_y, pressure=pressure, dropped=bool(flags & _wire.TOUCH_DROPPED),
                      timestamp_us=t_us, display=display)
