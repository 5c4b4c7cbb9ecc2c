"""A session on one device (:class:`Display`) and its buffers (:class:`Buffer`).

Both belong to the :class:`~paneld.client.Client` that opened them and share its thread rule
(one thread at a time). Closing the display closes the session: the daemon destroys its buffers.
"""
from __future__ import annotations

import struct
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Dict, Iterable, List, Optional, Sequence, Set, Tuple

from . import _wire, images
from .errors import PaneldError, from_error

if TYPE_CHECKING:  # pragma: no cover
    from .client import Client
    from .model import DeviceInfo, TouchEvent

Rect = Tuple[int, int, int, int]
WRITE_CHUNK = 1 << 20  # bytes of pixels per WRITE frame at most (under max_frame)


class Buffer:
    """A display-sized pixel buffer of one session. ``memory`` is a writable memoryview of its
    pixels (``stride`` bytes per line, top line first): the mmap'd shared file when ``shared``
    (no pixel crosses the socket), else a local copy sent with WRITE on :meth:`flush`/:meth:`flip`
    (the fallback on TCP). Draw into it, then :meth:`flush` the damage or :meth:`flip` it whole.
    """

    def __init__(self, display: "Display", handle: int, fmt: str, stride: int, size: int,
                 shared: bool, mapping: Any) -> None:
        self.display = display
        self.handle = handle
        self.format = fmt
        self.width = display.width
        self.height = display.height
        self.stride = stride
        self.size = size
        self.shared = shared
        self._mapping = mapping  # mmap.mmap (shared) or bytearray (inline)
        self.memory: memoryview = memoryview(mapping)
        self._bpp = images.bytes_per_pixel(fmt)
        self._pending_flip: Optional[int] = None
        self._closed = False

    def __enter__(self) -> "Buffer":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return "<paneld.Buffer %d of %s %dx%d %s %s>" % (self.handle, self.display.name, self.width, self.height,
                                                         self.format, "shared" if self.shared else "inline")

    def array(self) -> Any:
        """A numpy view of ``memory`` shaped (height, width): dtype ``<u4`` (0x00RRGGBB) for
        XRGB8888, ``<u2`` for RGB565. Writes go straight into the buffer. Needs numpy."""
        try:
            import numpy
        except ImportError as e:
            raise ImportError("Buffer.array() needs numpy (pip install numpy, or apt install python3-numpy); "
                              "Buffer.memory is a writable memoryview without it") from e
        dtype = "<u4" if self._bpp == 4 else "<u2"
        return numpy.frombuffer(self.memory, dtype=dtype).reshape(self.height, self.stride // self._bpp)[:, :self.width]

    def flush(self, rects: Optional[Sequence[Rect]] = None) -> None:
        """Sends the damaged rectangles (x, y, width, height; default the whole buffer) to the
        display and returns when the device has them. Owner only (EBUSY); out-of-bounds
        rectangles are refused whole (EINVAL), never clipped; ENODEV (UnpluggedError) after
        unplug."""
        self._check()
        rects = self._rects(rects)
        client = self.display.client
        ids = self._send_writes(rects)
        ids.append(client._send(_wire.FLUSH, struct.pack("<II", self.display.session, self.handle) + _wire.pack_rects(rects)))
        self._wait_all(ids)

    def flip(self, wait: bool = True, timeout: Optional[float] = -1.0) -> int:
        """Makes this buffer the scanout buffer: the whole buffer goes to the display. With
        ``wait`` returns when FLIP_COMPLETE came (raising its error); without, returns the flip's
        id at once (see :meth:`wait_flip`, :meth:`flip_done`). One flip per session may be
        pending (EBUSY). ``timeout``: seconds to wait; the default (-1) is the client's timeout,
        None waits forever."""
        self._check()
        client = self.display.client
        ids = self._send_writes([(0, 0, self.width, self.height)])
        fid = client._send(_wire.FLIP, struct.pack("<II", self.display.session, self.handle))
        client._flips[fid] = None
        try:
            self._wait_all(ids + [fid])
        except BaseException:
            client._flips.pop(fid, None)
            raise
        self._pending_flip = fid
        if wait:
            self.wait_flip(timeout)
        return fid

    def flip_done(self) -> bool:
        """True when no flip of this buffer is pending (reads what already arrived, never
        waits); raises the error of a flip that failed."""
        if self._pending_flip is None:
            return True
        client = self.display.client
        while client._flips.get(self._pending_flip) is None and client._pump(time.monotonic()):
            pass
        if client._flips.get(self._pending_flip) is None:
            return False
        self.wait_flip()
        return True

    def wait_flip(self, timeout: Optional[float] = -1.0) -> None:
        """Waits for the pending flip's FLIP_COMPLETE (``timeout`` seconds; -1, the default: the
        client's timeout; None: forever) and raises its error, if any."""
        fid = self._pending_flip
        if fid is None:
            return
        err = self.display.client._wait_flip(fid, timeout)
        self._pending_flip = None
        if err:
            raise from_error(err, "flip %d of buffer %d on %s failed" % (fid, self.handle, self.display.name), _wire.FLIP)

    def close(self) -> None:
        """Destroys the buffer (DESTROY_BUFFER; works after unplug) and unmaps it. Idempotent."""
        if self._closed:
            return
        self._closed = True
        self.display._buffers.discard(self)
        client = self.display.client
        try:
            if not client.closed and not self.display.closed:
                if self._pending_flip is not None:
                    client._flips.pop(self._pending_flip, None)
                client._call(_wire.DESTROY_BUFFER, struct.pack("<II", self.display.session, self.handle))
        finally:
            self._unmap()

    def _unmap(self) -> None:
        self._closed = True
        try:
            self.memory.release()
            if self.shared:
                self._mapping.close()
        except BufferError:
            pass  # numpy views of it are still alive: the mapping goes when they do

    def _check(self) -> None:
        if self._closed:
            raise ValueError("%r is closed" % self)
        self.display._check()

    def _rects(self, rects: Optional[Sequence[Rect]]) -> List[Rect]:
        if rects is None:
            return [(0, 0, self.width, self.height)]
        out = []
        for r in rects:
            x, y, w, h = (int(v) for v in r)
            out.append((x, y, w, h))
        if not out:
            raise ValueError("no rectangle to flush (give None for the whole buffer)")
        return out

    def _inside(self, r: Rect) -> bool:
        x, y, w, h = r
        return w > 0 and h > 0 and x >= 0 and y >= 0 and x + w <= self.width and y + h <= self.height

    def _send_writes(self, rects: List[Rect]) -> List[int]:
        """For an inline buffer, WRITEs of the rectangles (pipelined; none when one is out of
        bounds: the FLUSH after them then gets the daemon's EINVAL)."""
        if self.shared or not all(self._inside(r) for r in rects):
            return []
        client = self.display.client
        limit = max(1, min(WRITE_CHUNK, client.limits.max_frame - 64))
        ids = []
        for x, y, w, h in rects:
            row = w * self._bpp
            rows = max(1, limit // row)
            for y0 in range(y, y + h, rows):
                n = min(rows, y + h - y0)
                head = struct.pack("<IIiiiiI", self.display.session, self.handle, x, y0, w, n, row * n)
                if x == 0 and w == self.width and self.stride == row:
                    data = self.memory[y0 * self.stride:(y0 + n) * self.stride]
                else:
                    data = memoryview(b"".join(self.memory[(y0 + i) * self.stride + x * self._bpp:
                                                           (y0 + i) * self.stride + x * self._bpp + row] for i in range(n)))
                ids.append(client._send(_wire.WRITE, head, data))
        return ids

    def _wait_all(self, ids: List[int]) -> None:
        client = self.display.client
        first: Optional[BaseException] = None
        try:
            for rid in ids:
                try:
                    client._wait(rid)
                except PaneldError as e:
                    first = first or e
        finally:
            client._after_call()
        if first is not None:
            raise first


@dataclass(frozen=True)
class StreamStats:
    """What :meth:`Display.stream` did: frames taken from the source, flipped onto the panel,
    and dropped (replaced by a newer one before the panel was free)."""
    read: int
    shown: int
    dropped: int


class Display:
    """A session on one device, made by :meth:`Client.open`; a context manager (closing it
    closes the session and its buffers). ``owner`` says whether this session may draw (FLUSH,
    FLIP, set); ``unplugged`` becomes True with the ``unplugged`` event, after which requests
    raise UnpluggedError (ENODEV) and only :meth:`close` is useful."""

    def __init__(self, client: "Client", session: int, name: str, width: int, height: int, owner: bool) -> None:
        self.client = client
        self.session = session
        self.name = name
        self.width = width
        self.height = height
        self.owner = owner
        self.unplugged = False
        self._buffers: Set[Buffer] = set()
        self._show: Dict[str, Buffer] = {}
        self._last: Optional[Buffer] = None
        self._formats: Optional[Tuple[str, ...]] = None
        self._touch_callbacks: List[Callable[["TouchEvent"], None]] = []
        self.closed = False

    def __enter__(self) -> "Display":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return "<paneld.Display %s %dx%d session %d%s%s>" % (self.name, self.width, self.height, self.session,
                                                            " owner" if self.owner else "", " unplugged" if self.unplugged else "")

    def info(self) -> "DeviceInfo":
        """DEVICE_INFO of this session's device (ENODEV after unplug)."""
        from .model import _parse_info
        self._check()
        return _parse_info(self.client._call(_wire.DEVICE_INFO, struct.pack("<I", self.session) + _wire.pack_str("")))

    def set(self, prop: str, value: int) -> None:
        """SET_PROPERTY, e.g. ``set("backlight", 40)``, ``set("power", 0)``. Owner only (EBUSY);
        ENOENT for an unknown property, EINVAL outside its range."""
        self._check()
        self.client._call(_wire.SET_PROPERTY, struct.pack("<Iq", self.session, int(value)) + _wire.pack_str(prop))

    def on_touch(self, callback: Callable[["TouchEvent"], None], observe: bool = False) -> None:
        """Calls ``callback(event)`` with each :class:`~paneld.model.TouchEvent` of this display,
        at the client's safe points (as :meth:`Client.on`: ``client.dispatch(timeout)`` or
        ``client.events()`` in a loop). Subscribes the client to touch: while this session owns
        the display, or, with ``observe``, whether it owns it or not. Ends with :meth:`close`."""
        self._check()
        self.client._subscribe(_wire.touch_bits(True, observe))
        self._touch_callbacks.append(callback)

    def acquire_ownership(self) -> bool:
        """Takes the display's ownership if nobody has it (True); else waits in line (EBUSY is
        swallowed, False: an ``ownership`` event comes when it passes to this session)."""
        self._check()
        try:
            self.client._call(_wire.ACQUIRE_OWNERSHIP, struct.pack("<I", self.session))
        except PaneldError as e:
            if e.name != "EBUSY":
                raise
            return False
        self.owner = True
        return True

    def release_ownership(self) -> None:
        """Gives up ownership (or leaves the line); it passes to the oldest waiting session."""
        self._check()
        self.client._call(_wire.RELEASE_OWNERSHIP, struct.pack("<I", self.session))
        self.owner = False

    def buffer(self, shared: bool = True, format: str = "XRGB8888") -> Buffer:
        """A new display-sized buffer. ``shared``: a shared-memory buffer whose ``memory`` maps
        the daemon's file (Unix socket); on a connection without fd passing (TCP) it falls back
        to an inline buffer sent with WRITE — ``buffer.shared`` says which you got."""
        self._check()
        code = images.format_code(format)
        fmt = _wire.FORMATS[code][0]
        share = bool(shared and self.client.fd_passing)
        client = self.client
        reply = client._call(_wire.CREATE_BUFFER, struct.pack("<IIIII", self.session, self.width, self.height, code,
                                                             _wire.SHARED if share else 0))
        handle, stride, size, flags = struct.unpack("<IIQI", reply)
        if share:
            if not flags & _wire.FD_FOLLOWS:
                raise PaneldError(71, "CREATE_BUFFER reply without FD_FOLLOWS for a shared buffer", "CREATE_BUFFER")
            mapping: Any = client._receive_fd(handle, size)
        else:
            mapping = bytearray(size)
        b = Buffer(self, handle, fmt, stride, size, share, mapping)
        self._buffers.add(b)
        return b

    def show(self, image: Any, format: Optional[str] = None, fit: bool = True,
             rects: Optional[Sequence[Rect]] = None) -> None:
        """Shows a frame and returns when the device has it.

        ``image``: a Pillow image (any mode, converted; with ``fit`` another size is scaled to
        fit, centred and letterboxed in black like ``panelctl draw``, without it the size must
        be exact), or ``bytes``/``memoryview`` of a whole frame in ``format`` (``"XRGB8888"``,
        the default, or ``"RGB565"``). ``rects``: only these rectangles are copied and flushed
        (default: all). Uses one buffer per format, kept for the next show (shared when the
        connection can).
        """
        self._check()
        if images.is_image(image):
            fmt = format or self._preferred_format()
            data = memoryview(images.encode(images.to_rgb(image, self.width, self.height, fit), fmt))
        else:
            fmt = format or "XRGB8888"
            size = self.width * self.height * images.bytes_per_pixel(fmt)
            data = images.as_bytes(image, size, fmt, self.width, self.height)
        buf = self._show_buffer(fmt)
        self._copy(buf, data, rects)
        buf.flush(rects)
        self._last = buf

    def flush(self, rects: Optional[Sequence[Rect]] = None) -> None:
        """Flushes rectangles of the buffer the last :meth:`show` used (after drawing into
        ``display.buffer`` use that buffer's own flush)."""
        if self._last is None:
            raise ValueError("nothing shown on %s yet: show() a frame first, or flush a Buffer" % self.name)
        self._last.flush(rects)

    def stream(self, frames: Iterable[Any], fps: Optional[float] = None, format: Optional[str] = None,
               fit: bool = True) -> StreamStats:
        """Pushes frames (Pillow images or whole-frame bytes, as :meth:`show` takes) through two
        shared buffers with whole-frame flips. The newest frame wins: a frame taken from the
        iterable while the previous flip is still on its way waits in the back buffer and is
        replaced (dropped) by a newer one, never queued. ``fps`` caps the rate (frames are
        taken from the iterable at most that often; between them the panel is served), which
        a finite list needs to be seen frame by frame. Returns when the iterable ends and its
        last frame is shown."""
        self._check()
        fmt = format or "XRGB8888"
        if images.is_image(frames):
            raise TypeError("stream() takes an iterable of frames; use show() for one image")
        period = 1.0 / fps if fps else None
        bufs = [self.buffer(shared=True, format=fmt), self.buffer(shared=True, format=fmt)]
        back, back_full, front = 0, False, None
        read = shown = dropped = 0
        next_t = time.monotonic()
        try:
            for frame in frames:
                if period is not None:
                    now = time.monotonic()
                    while now < next_t:  # serve the panel while waiting for the frame's slot
                        if front is not None and back_full and self._wait_front(bufs[front], next_t):
                            front, back, back_full, shown = back, back ^ 1, False, shown + 1
                            bufs[front].flip(wait=False)
                        elif front is not None and not back_full and self._wait_front(bufs[front], next_t):
                            front = None
                        else:
                            time.sleep(max(0.0, next_t - time.monotonic()))
                        now = time.monotonic()
                    next_t = max(next_t + period, now - period)
                read += 1
                if back_full:
                    dropped += 1
                self._fill(bufs[back], frame, fmt, fit)
                back_full = True
                if front is None or bufs[front].flip_done():
                    bufs[back].flip(wait=False)
                    front, back, back_full, shown = back, back ^ 1, False, shown + 1
            if back_full:
                if front is not None:
                    bufs[front].wait_flip()
                bufs[back].flip(wait=False)
                front, shown = back, shown + 1
            if front is not None:
                bufs[front].wait_flip()
        finally:
            for b in bufs:
                if not self.closed and not self.client.closed:
                    try:
                        b.close()
                    except PaneldError:
                        pass
        return StreamStats(read, shown, dropped)

    def close(self) -> None:
        """Closes the session (CLOSE, which works after unplug): its buffers are destroyed and
        unmapped, its ownership passes on. Idempotent."""
        if self.closed:
            return
        client = self.client
        try:
            if not client.closed:
                client._call(_wire.CLOSE, struct.pack("<I", self.session))
        finally:
            self._forget()

    def _forget(self) -> None:
        self.closed = True
        self._touch_callbacks.clear()
        for b in list(self._buffers):
            b._unmap()
        self._buffers.clear()
        self._show.clear()
        self.client._displays.pop(self.session, None)

    def _check(self) -> None:
        if self.closed:
            raise ValueError("%r is closed" % self)

    def _wait_front(self, buf: Buffer, deadline: float) -> bool:
        """Waits until ``buf``'s flip completed or ``deadline``; True when it completed."""
        if buf._pending_flip is None:
            return True
        err = self.client._flips.get(buf._pending_flip)
        while err is None:
            if not self.client._pump(deadline):
                return False
            err = self.client._flips.get(buf._pending_flip)
        buf.wait_flip()
        return True

    def _preferred_format(self) -> str:
        if self._formats is None:
            self._formats = self.info().formats
        return "XRGB8888" if "XRGB8888" in self._formats or not self._formats else self._formats[0]

    def _show_buffer(self, fmt: str) -> Buffer:
        buf = self._show.get(fmt)
        if buf is None or buf._closed:
            buf = self.buffer(shared=True, format=fmt)
            self._show[fmt] = buf
        return buf

    def _fill(self, buf: Buffer, frame: Any, fmt: str, fit: bool) -> None:
        if images.is_image(frame):
            data = memoryview(images.encode(images.to_rgb(frame, self.width, self.height, fit), fmt))
        else:
            data = images.as_bytes(frame, buf.size, fmt, self.width, self.height)
        buf.memory[:] = data

    def _copy(self, buf: Buffer, data: memoryview, rects: Optional[Sequence[Rect]]) -> None:
        if rects is None:
            buf.memory[:] = data
            return
        bpp = buf._bpp
        for r in buf._rects(rects):
            if not buf._inside(r):
                continue  # the FLUSH gets EINVAL naming it
            x, y, w, h = r
            for row in range(y, y + h):
                a = row * buf.stride + x * bpp
                buf.memory[a:a + w * bpp] = data[a:a + w * bpp]
