"""The connection to paneld: framing, requests and replies, device queries, admin (events are
decoded and delivered by ``_events``).

A :class:`Client` is one connection (a Unix socket with fd passing, or TCP with inline pixels).
It is not thread-safe: use it from one thread at a time (or one client per thread). Everything a
client opened (displays, buffers) is closed with it.
"""
from __future__ import annotations

import array
import mmap
import os
import socket
import struct
import time
from typing import TYPE_CHECKING, Dict, Iterator, List, NoReturn, Optional, Sequence, Tuple, Union

from . import _wire
from ._events import EVENT_QUEUE_LIMIT, EventCallback, EventQueue  # noqa: F401 (EVENT_QUEUE_LIMIT: was defined here)
from .errors import PaneldError, ProtocolError, from_error
from .model import DeviceInfo, Event, Limits, Snapshot, _parse_info, default_socket

if TYPE_CHECKING:  # pragma: no cover
    from .display import Display

DEFAULT_TIMEOUT = 10.0


RectLike = Tuple[int, int, int, int]


class Client:
    """One connection to paneld. Use :func:`connect` to make one; a context manager (``with``
    closes it, and with it every display and buffer opened on it).

    Threads: one at a time. Events arriving while a request waits for its reply are kept (at
    most the last 1024) for :meth:`events`, and handed to the callbacks of :meth:`on` when the
    request returns, in :meth:`dispatch` or in :meth:`events`.
    """

    def __init__(self, sock: socket.socket, address: str, timeout: Optional[float],
                 client_name: str = "paneld-python") -> None:
        self._sock = sock
        self.address = address
        self.timeout = timeout
        self._unix = sock.family == socket.AF_UNIX
        self._buf = bytearray()
        self._next_id = 1
        self._outstanding: Dict[int, int] = {}  # request id -> request type
        self._replies: Dict[int, Union[bytes, PaneldError]] = {}
        self._flips: Dict[int, Optional[int]] = {}  # flip id -> None while pending, else error code
        self._displays: Dict[int, "Display"] = {}
        self._ev = EventQueue(self._displays, self._flips)
        self._mask = 0  # the SUBSCRIBE mask sent last
        self._closed = False
        flags = _wire.WANT_FD if self._unix else 0
        reply = self._call(_wire.HELLO, struct.pack("<IHHI", _wire.MAGIC, _wire.VERSION, _wire.VERSION, flags)
                           + _wire.pack_str(client_name))
        r = _wire.Reader(reply)
        self.version = r.u16()
        r.u16()
        hflags = r.u32()
        self.limits = Limits(max_frame=r.u32(), max_rects=r.u32(), max_buffer_bytes=r.u64(),
                             max_sessions=r.u32(), max_buffers=r.u32(), max_connection_bytes=r.u64())
        self.server = r.str()
        #: True when shared-memory buffers are available (Unix socket with fd passing).
        self.fd_passing: bool = bool(hflags & _wire.FD_PASSING)
        #: True when this peer may send admin requests (status, unplug, snapshot, …).
        self.admin: bool = bool(hflags & _wire.ADMIN)

    # ------------------------------------------------------------------ lifetime

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Closes the connection: the daemon closes every session of it. Idempotent."""
        if self._closed:
            return
        self._closed = True
        for d in list(self._displays.values()):
            d._forget()
        self._displays.clear()
        try:
            self._sock.close()
        except OSError:
            pass

    @property
    def closed(self) -> bool:
        return self._closed

    def fileno(self) -> int:
        """The socket's descriptor (for select/poll loops: readable means call :meth:`dispatch`)."""
        return self._sock.fileno()

    # ------------------------------------------------------------------ devices

    def devices(self) -> List[DeviceInfo]:
        """Every bound device, with its full DEVICE_INFO, sorted by name."""
        r = _wire.Reader(self._call(_wire.LIST_DEVICES, b""))
        names = []
        for _ in range(r.u32()):
            names.append(r.str())
            r.str()
            r.take("<III")
        ids = [self._send(_wire.DEVICE_INFO, struct.pack("<I", 0) + _wire.pack_str(n)) for n in names]
        out = []
        for rid in ids:
            try:
                out.append(_parse_info(self._wait(rid)))
            except PaneldError as e:
                if e.name != "ENOENT":  # unbound in between: not listed
                    raise
        self._after_call()
        return sorted(out, key=lambda d: d.name)

    def info(self, name: str) -> DeviceInfo:
        """DEVICE_INFO of one device by name (PaneldError ENOENT when it is not bound)."""
        return _parse_info(self._call(_wire.DEVICE_INFO, struct.pack("<I", 0) + _wire.pack_str(name)))

    def open(self, name: str, owner: bool = True) -> "Display":
        """Opens a session on device ``name``. With ``owner`` it takes the display's ownership if
        nobody has it, else waits in line (``display.owner`` is False until an ``ownership``
        event). Errors: ENOENT, ENODEV, EACCES, EBUSY (too many sessions)."""
        from .display import Display
        r = _wire.Reader(self._call(_wire.OPEN, struct.pack("<I", _wire.OWNER if owner else 0) + _wire.pack_str(name)))
        session, flags, width, height = r.take("<IIII")
        d = Display(self, session, name, width, height, bool(flags & _wire.OWNER))
        self._displays[session] = d
        return d

    # ------------------------------------------------------------------ events

    def on(self, event_type: str, callback: EventCallback, observe: bool = False) -> None:
        """Calls ``callback(event)`` for every event of ``event_type`` (``"*"``: all), at the next
        safe point: when a request returns, in :meth:`dispatch`, or in :meth:`events`. Subscribes
        to device_added/device_removed; ``"touch"`` subscribes to the touches of the displays
        this client's sessions own instead (with ``observe``: of every display it has a session
        on). ``"*"`` does not subscribe to touch. An exception raised by a callback propagates
        to the caller of that safe point."""
        if event_type != "*" and event_type not in _wire.EVENT_NAMES.values():
            raise ValueError("unknown event type %r (one of %s, or '*')" % (event_type, ", ".join(_wire.EVENT_NAMES.values())))
        if observe and event_type != "touch":
            raise ValueError("observe=True is for 'touch' callbacks, not %r" % event_type)
        self._subscribe(_wire.touch_bits(True, observe) if event_type == "touch" else _wire.SUB_DEVICES)
        self._ev.add_callback(event_type, callback)

    def events(self, timeout: Optional[float] = None, touch: bool = False, observe: bool = False) -> Iterator[Event]:
        """Iterates over events as they come (subscribing to device_added/device_removed now;
        with ``touch`` also to the touches of the displays this client's sessions own, with
        ``observe`` to those of every display it has a session on: ``touch`` events).
        With ``timeout`` the iteration ends when no event came for that many seconds; without,
        it ends only when the connection does (ProtocolError) or the caller stops. Callbacks
        registered with :meth:`on` run before each event is yielded."""
        self._subscribe(_wire.SUB_DEVICES | _wire.touch_bits(touch, observe))
        return self._event_iter(timeout)

    def _event_iter(self, timeout: Optional[float]) -> Iterator[Event]:
        while True:
            self._ev.run_callbacks()
            if self._ev.unread:
                yield self._ev.unread.popleft()
                continue
            deadline = None if timeout is None else time.monotonic() + timeout
            if not self._pump(deadline):
                self._ev.run_callbacks()
                if not self._ev.unread:
                    return

    def dispatch(self, timeout: float = 0.0) -> int:
        """Reads what the daemon sent (waiting up to ``timeout`` seconds for something) and runs
        the callbacks of :meth:`on`; returns the number of events read. Events stay available to
        :meth:`events`."""
        before = self._ev.count
        self._pump(time.monotonic() + timeout)
        while self._pump(time.monotonic()):  # whatever else is already there
            pass
        self._ev.run_callbacks()
        return self._ev.count - before

    def _subscribe(self, bits: int) -> None:
        """Adds ``bits`` to the mask (each SUBSCRIBE replaces it: the bits sent before stay)."""
        if bits & ~self._mask:
            self._call(_wire.SUBSCRIBE, struct.pack("<I", self._mask | bits))
            self._mask |= bits

    # ------------------------------------------------------------------ admin

    def status(self) -> List[str]:
        """ADMIN_STATUS: one line per live object, binding and session (admin only)."""
        r = _wire.Reader(self._call(_wire.ADMIN_STATUS, b""))
        return [r.str() for _ in range(r.u32())]

    def bind(self, name: str) -> None:
        """ADMIN_BIND: binds the device to its driver (admin only)."""
        self._call(_wire.ADMIN_BIND, _wire.pack_str(name))

    def unbind(self, name: str) -> None:
        """ADMIN_UNBIND: orderly unbind, display off, then unplug (admin only)."""
        self._call(_wire.ADMIN_UNBIND, _wire.pack_str(name))

    def unplug(self, name: str) -> None:
        """ADMIN_UNPLUG: a virtual device's cable pulled (admin only)."""
        self._call(_wire.ADMIN_UNPLUG, _wire.pack_str(name))

    def replug(self, name: str) -> None:
        """ADMIN_REPLUG: a virtual device plugged back in and bound (admin only)."""
        self._call(_wire.ADMIN_REPLUG, _wire.pack_str(name))

    def snapshot(self, name: str) -> Snapshot:
        """ADMIN_SNAPSHOT: what the (virtual) panel shows, decoded by its emulator (admin only)."""
        p = self._call(_wire.ADMIN_SNAPSHOT, _wire.pack_str(name))
        w, h = struct.unpack_from("<II", p)
        if len(p) != 8 + 4 * w * h:
            raise ProtocolError("snapshot of %dx%d has %d bytes of pixels" % (w, h, len(p) - 8))
        return Snapshot(w, h, bytes(memoryview(p)[8:]))

    def touch_press(self, name: str, x: int, y: int) -> None:
        """ADMIN_TOUCH PRESS: the emulated touch controller's finger down at (or moved to) display
        pixel (x, y), reported by the chip as hardware would (admin; EOPNOTSUPP, EINVAL)."""
        self._call(_wire.ADMIN_TOUCH, _wire.pack_admin_touch(name, _wire.TOUCH_PRESS, x, y))

    def touch_release(self, name: str) -> None:
        """ADMIN_TOUCH RELEASE: the emulated finger is lifted (admin only)."""
        self._call(_wire.ADMIN_TOUCH, _wire.pack_admin_touch(name, _wire.TOUCH_RELEASE, 0, 0))

    def calibrate(self, name: str, calibration: Sequence[int]) -> None:
        """ADMIN_CALIBRATE: the touch calibration ``[a, b, c, d, e, f, scale]`` replaced at once,
        not in the config file (admin). ValueError unless 7 integers with scale > 0; PaneldError
        EINVAL for a map that sends every touch onto one line."""
        self._call(_wire.ADMIN_CALIBRATE, _wire.pack_calibration(name, calibration))

    # ------------------------------------------------------------------ requests (internal)

    def _call(self, type_: int, payload: bytes) -> bytes:
        rid = self._send(type_, payload)
        try:
            return self._wait(rid)
        finally:
            self._after_call()

    def _after_call(self) -> None:
        if self._ev.calls_waiting():
            self._ev.run_callbacks()

    def _send(self, type_: int, payload: Union[bytes, bytearray, memoryview], tail: Optional[memoryview] = None) -> int:
        """Sends one request (``tail``: more payload bytes sent without a copy); returns its id."""
        self._check_open()
        rid = self._next_id
        self._next_id = rid + 1 if rid < 0xFFFFFFFF else 1
        n = len(payload) + (len(tail) if tail is not None else 0)
        header = _wire.HEADER.pack(8 + n, type_, 0, rid)
        self._sock.settimeout(self.timeout)
        try:
            if tail is None:
                self._sock.sendall(header + payload)
            else:
                self._sock.sendall(header + payload)
                self._sock.sendall(tail)
        except socket.timeout:
            self._fail("cannot send %s within %s s: the daemon does not read" % (_wire.TYPE_NAMES.get(type_, hex(type_)), self.timeout))
        except OSError as e:
            # the daemon may have said why before it closed (PROTOCOL.md section 3)
            self._fail_with_reason("sending %s failed: %s" % (_wire.TYPE_NAMES.get(type_, hex(type_)), e))
        self._outstanding[rid] = type_
        return rid

    def _wait(self, rid: int, timeout: Optional[float] = -1.0) -> bytes:
        """The reply payload of request ``rid``; raises its ERROR as PaneldError."""
        timeout = self.timeout if timeout == -1.0 else timeout
        deadline = None if timeout is None else time.monotonic() + timeout
        while rid not in self._replies:
            if not self._pump(deadline):
                type_ = self._outstanding.pop(rid, 0)
                raise TimeoutError("no reply to %s from paneld at %s within %s s"
                                   % (_wire.TYPE_NAMES.get(type_, hex(type_)), self.address, timeout))
        r = self._replies.pop(rid)
        if isinstance(r, PaneldError):
            raise r
        return r

    def _wait_flip(self, flip_id: int, timeout: Optional[float] = -1.0) -> Optional[int]:
        """Waits for FLIP_COMPLETE of ``flip_id``; returns its error code (0 ok)."""
        timeout = self.timeout if timeout == -1.0 else timeout
        deadline = None if timeout is None else time.monotonic() + timeout
        while self._flips.get(flip_id) is None:
            if flip_id not in self._flips:
                raise ValueError("flip %d is not pending on this client" % flip_id)
            if not self._pump(deadline):
                raise TimeoutError("no FLIP_COMPLETE for flip %d from paneld within %s s" % (flip_id, timeout))
        return self._flips.pop(flip_id)

    def _pump(self, deadline: Optional[float]) -> bool:
        """Reads and handles one frame; False when none came before ``deadline``."""
        frame = self._read_frame(deadline)
        if frame is None:
            return False
        type_, rid, payload = frame
        if rid == 0:
            if type_ == _wire.ERROR:
                err = _parse_error(payload)
                self._fail("paneld at %s closed the connection: %s" % (self.address, err))
            self._ev.handle(type_, payload)
            return True
        req = self._outstanding.pop(rid, None)
        if req is None:
            return True  # the reply to a request whose wait timed out: dropped
        if type_ == _wire.ERROR:
            self._replies[rid] = _parse_error(payload)
        elif type_ != req | _wire.REPLY:
            self._fail("paneld sent type 0x%04x for request %d, a %s" % (type_, rid, _wire.TYPE_NAMES.get(req, hex(req))))
        else:
            self._replies[rid] = payload
        return True

    def _read_frame(self, deadline: Optional[float]) -> Optional[Tuple[int, int, bytes]]:
        if not self._fill(4, deadline):
            return None
        (length,) = struct.unpack_from("<I", self._buf)
        if length < 8:
            self._fail("paneld sent a frame of length %d (< 8)" % length)
        if not self._fill(4 + length, deadline):
            return None
        type_, _flags, rid = struct.unpack_from("<HHI", self._buf, 4)
        payload = bytes(self._buf[12:4 + length])
        del self._buf[:4 + length]
        return type_, rid, payload

    def _fill(self, n: int, deadline: Optional[float]) -> bool:
        while len(self._buf) < n:
            self._check_open()
            if deadline is None:
                self._sock.settimeout(None)
            else:
                left = deadline - time.monotonic()
                if left <= 0:
                    # a last non-blocking look: what is already there is not late
                    left = 0.0
                self._sock.settimeout(left)
            try:
                chunk = self._sock.recv(max(65536, n - len(self._buf)))
            except (socket.timeout, BlockingIOError):
                return False
            except OSError as e:
                self._fail("reading from paneld at %s failed: %s" % (self.address, e))
            if not chunk:
                self._fail("paneld at %s closed the connection" % self.address)
            self._buf += chunk
        return True

    def _receive_fd(self, buffer: int, size: int) -> mmap.mmap:
        """Steps 3-5 of PROTOCOL.md section 7: FD_READY, the descriptor, FD_RECEIVED; maps it."""
        if self._buf:
            self._fail("paneld sent %d bytes after a CREATE_BUFFER reply with FD_FOLLOWS" % len(self._buf))
        ready = self._send(_wire.FD_READY, struct.pack("<I", buffer))
        self._outstanding.pop(ready, None)  # answered by a descriptor, not a frame
        fds = array.array("i")
        self._sock.settimeout(self.timeout)
        try:
            data, anc, msg_flags, _addr = self._sock.recvmsg(1, socket.CMSG_SPACE(4 * 4))
        except socket.timeout:
            self._fail("no file descriptor from paneld within %s s after FD_READY" % self.timeout)
        for level, kind, cdata in anc:
            if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
                fds.frombytes(cdata[:len(cdata) - len(cdata) % fds.itemsize])
        if not data:
            self._fail("paneld at %s closed the connection during the fd exchange" % self.address)
        if len(fds) != 1 or msg_flags & socket.MSG_CTRUNC:
            for fd in fds:
                os.close(fd)
            if not fds:  # no descriptor: that byte starts a frame (the daemon's ERROR)
                self._buf += data
                frame = self._read_frame(None if self.timeout is None else time.monotonic() + self.timeout)
                if frame and frame[0] == _wire.ERROR:
                    self._fail("fd exchange refused: %s" % _parse_error(frame[2]))
            self._fail("expected one file descriptor after FD_READY, got %d" % len(fds))
        fd = fds[0]
        try:
            try:
                mapping = mmap.mmap(fd, size, mmap.MAP_SHARED, mmap.PROT_READ | mmap.PROT_WRITE)
            finally:
                os.close(fd)  # the mapping keeps the file
        except OSError as e:
            self._call(_wire.FD_RECEIVED, struct.pack("<I", buffer))
            raise OSError(e.errno, "mmap of shared buffer %d (%d bytes) failed: %s" % (buffer, size, e.strerror)) from e
        self._call(_wire.FD_RECEIVED, struct.pack("<I", buffer))
        return mapping

    def _check_open(self) -> None:
        if self._closed:
            raise ProtocolError("this paneld client is closed")

    def _fail(self, message: str) -> NoReturn:
        self.close()
        raise ProtocolError(message)

    def _fail_with_reason(self, message: str) -> NoReturn:
        try:
            self._sock.settimeout(0.5)
            while True:
                frame = self._read_frame(time.monotonic() + 0.5)
                if frame is None:
                    break
                if frame[0] == _wire.ERROR:
                    message = "%s (paneld said: %s)" % (message, _parse_error(frame[2]))
                    break
        except (ProtocolError, OSError):
            pass
        self._fail(message)


def _parse_error(payload: bytes) -> PaneldError:
    r = _wire.Reader(payload)
    code, rtype, _res = r.take("<IHH")
    return from_error(code, r.str(), rtype)


def connect(path: Union[str, "os.PathLike[str]", None] = None, tcp: Union[str, Tuple[str, int], None] = None,
            timeout: Optional[float] = DEFAULT_TIMEOUT, client_name: str = "paneld-python") -> Client:
    """Connects to paneld and says HELLO.

    ``path``: the Unix socket (default: :func:`default_socket`, as ``panelctl``); or ``tcp``:
    ``"host:port"`` or ``(host, port)`` (inline pixels only: shared buffers fall back to WRITE).
    ``timeout``: seconds to wait for any reply (None: forever). Raises ConnectionError naming
    the address when paneld cannot be reached.
    """
    if path is not None and tcp is not None:
        raise ValueError("give path or tcp, not both")
    if tcp is not None:
        if isinstance(tcp, str):
            host, sep, port = tcp.rpartition(":")
            if not sep or not port.isdigit():
                raise ValueError("tcp must be 'HOST:PORT', got %r" % tcp)
            tcp = (host.strip("[]"), int(port))
        address = "%s:%d" % tcp
        try:
            sock = socket.create_connection(tcp, timeout=timeout)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError as e:
            raise ConnectionError("cannot connect to paneld at tcp %s: %s" % (address, e)) from e
    else:
        address = os.fspath(path) if path is not None else default_socket()
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(timeout)
        try:
            sock.connect(address)
        except OSError as e:
            sock.close()
            hint = "" if path is not None else " (is paneld running? set $PANELD_SOCKET or pass path=)"
            raise ConnectionError("cannot connect to paneld at %s: %s%s" % (address, e.strerror or e, hint)) from e
    try:
        return Client(sock, address, timeout, client_name)
    except BaseException:
        sock.close()
        raise
