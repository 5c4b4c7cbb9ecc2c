"""Wire constants and payload packing of the paneld protocol, version 1 (PROTOCOL.md).

Internal module: stateless helpers used by :mod:`paneld.client`. All integers little-endian.
"""
from __future__ import annotations

import operator
import struct
from typing import Any, List, Tuple

MAGIC = 0x444C4E50  # 'P' 'N' 'L' 'D'
VERSION = 1

# request types (PROTOCOL.md section 5)
HELLO = 0x0001
LIST_DEVICES = 0x0002
DEVICE_INFO = 0x0003
OPEN = 0x0004
CLOSE = 0x0005
CREATE_BUFFER = 0x0006
DESTROY_BUFFER = 0x0007
WRITE = 0x0008
FLUSH = 0x0009
FLIP = 0x000A
SET_PROPERTY = 0x000B
SUBSCRIBE = 0x000C
ACQUIRE_OWNERSHIP = 0x000D
RELEASE_OWNERSHIP = 0x000E
FD_READY = 0x000F
FD_RECEIVED = 0x0010
ADMIN_STATUS = 0x0020
ADMIN_BIND = 0x0021
ADMIN_UNBIND = 0x0022
ADMIN_UNPLUG = 0x0023
ADMIN_REPLUG = 0x0024
ADMIN_SNAPSHOT = 0x0025
ADMIN_TOUCH = 0x0026
ADMIN_CALIBRATE = 0x0027

REPLY = 0x8000
ERROR = 0x7FFF

# events (id 0)
EV_DEVICE_ADDED = 0x4001
EV_DEVICE_REMOVED = 0x4002
EV_UNPLUGGED = 0x4003
EV_FLIP_COMPLETE = 0x4004
EV_OWNERSHIP = 0x4005
EV_SHUTDOWN = 0x4006
EV_TOUCH = 0x4007

EVENT_NAMES = {
    EV_DEVICE_ADDED: "device_added",
    EV_DEVICE_REMOVED: "device_removed",
    EV_UNPLUGGED: "unplugged",
    EV_FLIP_COMPLETE: "flip_complete",
    EV_OWNERSHIP: "ownership",
    EV_SHUTDOWN: "shutdown",
    EV_TOUCH: "touch",
}

TYPE_NAMES = {
    HELLO: "HELLO", LIST_DEVICES: "LIST_DEVICES", DEVICE_INFO: "DEVICE_INFO", OPEN: "OPEN",
    CLOSE: "CLOSE", CREATE_BUFFER: "CREATE_BUFFER", DESTROY_BUFFER: "DESTROY_BUFFER",
    WRITE: "WRITE", FLUSH: "FLUSH", FLIP: "FLIP", SET_PROPERTY: "SET_PROPERTY",
    SUBSCRIBE: "SUBSCRIBE", ACQUIRE_OWNERSHIP: "ACQUIRE_OWNERSHIP",
    RELEASE_OWNERSHIP: "RELEASE_OWNERSHIP", FD_READY: "FD_READY", FD_RECEIVED: "FD_RECEIVED",
    ADMIN_STATUS: "ADMIN_STATUS", ADMIN_BIND: "ADMIN_BIND", ADMIN_UNBIND: "ADMIN_UNBIND",
    ADMIN_UNPLUG: "ADMIN_UNPLUG", ADMIN_REPLUG: "ADMIN_REPLUG", ADMIN_SNAPSHOT: "ADMIN_SNAPSHOT",
    ADMIN_TOUCH: "ADMIN_TOUCH", ADMIN_CALIBRATE: "ADMIN_CALIBRATE",
}

# HELLO flags
WANT_FD = 1
FD_PASSING = 1
ADMIN = 2

# OPEN flags, LIST_DEVICES flags
OWNER = 1
CONNECTED, OWNED, UNPLUGGED, TOUCH = 1, 2, 4, 8

# SUBSCRIBE mask bits (each SUBSCRIBE replaces the mask)
SUB_DEVICE_ADDED, SUB_DEVICE_REMOVED, SUB_TOUCH, SUB_TOUCH_OBSERVE = 1, 2, 4, 8
SUB_DEVICES = SUB_DEVICE_ADDED | SUB_DEVICE_REMOVED

# TOUCH event: kinds, flags; ADMIN_TOUCH actions (section 15)
TOUCH_KINDS = {0: "down", 1: "move", 2: "up"}
TOUCH_OWNER, TOUCH_DROPPED = 1, 2
TOUCH_PRESS, TOUCH_RELEASE = 0, 1

# CREATE_BUFFER flags
SHARED = 1
FD_FOLLOWS = 1

# pixel formats (section 6): fourcc -> (name, bytes per pixel)
XRGB8888 = 0x34325258
RGB565 = 0x36314752
FORMATS = {XRGB8888: ("XRGB8888", 4), RGB565: ("RGB565", 2)}
FORMAT_CODES = {name: code for code, (name, _bpp) in FORMATS.items()}

ERRNO_NAMES = {
    2: "ENOENT", 5: "EIO", 9: "EBADF", 12: "ENOMEM", 13: "EACCES", 16: "EBUSY", 19: "ENODEV",
    22: "EINVAL", 71: "EPROTO", 90: "EMSGSIZE", 95: "EOPNOTSUPP", 110: "ETIMEDOUT",
}

HEADER = struct.Struct("<IHHI")  # length, type, flags, id
HEADER_SIZE = HEADER.size  # 12


def fourcc_name(code: int) -> str:
    """The format's name ("XRGB8888"), or the four characters of an unknown fourcc."""
    known = FORMATS.get(code)
    if known:
        return known[0]
    return struct.pack("<I", code).decode("latin-1")


def pack_str(text: str) -> bytes:
    """A ``str`` field: u16 byte count, then UTF-8 bytes."""
    b = text.encode("utf-8")
    if len(b) > 0xFFFF:
        raise ValueError("string of %d bytes does not fit a u16 length" % len(b))
    return struct.pack("<H", len(b)) + b


class Reader:
    """Reads fields off one payload in order; running past its end is a protocol error."""

    __slots__ = ("data", "pos")

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def take(self, fmt: str) -> Tuple[Any, ...]:
        s = struct.calcsize(fmt)
        if self.pos + s > len(self.data):
            raise ValueError("payload ends at byte %d, %d more wanted" % (len(self.data), self.pos + s - len(self.data)))
        out = struct.unpack_from(fmt, self.data, self.pos)
        self.pos += s
        return out

    def u16(self) -> int:
        return int(self.take("<H")[0])

    def u32(self) -> int:
        return int(self.take("<I")[0])

    def u64(self) -> int:
        return int(self.take("<Q")[0])

    def i64(self) -> int:
        return int(self.take("<q")[0])

    def str(self) -> str:
        n = self.u16()
        if self.pos + n > len(self.data):
            raise ValueError("string of %d bytes runs past the payload's end" % n)
        s = bytes(self.data[self.pos:self.pos + n]).decode("utf-8")
        self.pos += n
        return s


def pack_rects(rects: List[Tuple[int, int, int, int]]) -> bytes:
    """``count`` then ``count x {i32 x, y, width, height}`` (FLUSH)."""
    out = [struct.pack("<I", len(rects))]
    for r in rects:
        out.append(struct.pack("<iiii", *r))
    return b"".join(out)


def touch_bits(touch: bool, observe: bool) -> int:
    """The SUBSCRIBE bits of a touch subscription (TOUCH_OBSERVE includes the owned displays)."""
    return SUB_TOUCH_OBSERVE if observe else SUB_TOUCH if touch else 0


def _integer(what: str, v: Any) -> int:
    if isinstance(v, bool):
        raise ValueError("%s must be an integer, got %r" % (what, v))
    try:
        return operator.index(v)
    except TypeError:
        raise ValueError("%s must be an integer, got %r" % (what, v)) from None


def pack_admin_touch(device: str, action: int, x: Any, y: Any) -> bytes:
    """ADMIN_TOUCH: ``str device, u32 action, i32 x, i32 y``."""
    xy = [_integer(n, v) for n, v in (("x", x), ("y", y))]
    for n, v in zip("xy", xy):
        if not -0x80000000 <= v <= 0x7FFFFFFF:
            raise ValueError("%s = %d does not fit an i32" % (n, v))
    return pack_str(device) + struct.pack("<Iii", action, *xy)


def pack_calibration(device: str, calibration: Any) -> bytes:
    """ADMIN_CALIBRATE: ``str device, i64 calibration[7]``, checked: seven integers
    ``[a, b, c, d, e, f, scale]`` with scale > 0 (the daemon also refuses a map with a*e - b*d = 0)."""
    try:
        values = list(calibration)
    except TypeError:
        raise ValueError("calibration must be a sequence of 7 integers [a, b, c, d, e, f, scale], got %r" % (calibration,)) from None
    if len(values) != 7:
        raise ValueError("calibration needs 7 integers [a, b, c, d, e, f, scale], got %d" % len(values))
    out = [_integer("calibration[%d] (%s)" % (i, "abcdef"[i] if i < 6 else "scale"), v) for i, v in enumerate(values)]
    for i, v in enumerate(out):
        if not -(1 << 63) <= v < (1 << 63):
            raise ValueError("calibration[%d] = %d does not fit an i64" % (i, v))
    if out[6] <= 0:
        raise ValueError("calibration scale (the 7th number) must be positive, got %d" % out[6])
    return pack_str(device) + struct.pack("<7q", *out)
