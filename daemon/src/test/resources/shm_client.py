#!/usr/bin/env python3
"""A paneld client written from PROTOCOL.md alone, with nothing but Python's standard library.

Usage: shm_client.py SOCKET DEVICE

Connects to SOCKET, says HELLO with WANT_FD, opens DEVICE as owner, creates a shared XRGB8888
buffer, does the fd exchange of PROTOCOL.md section 7 with recvmsg/SCM_RIGHTS, maps the
descriptor with mmap(PROT_READ|PROT_WRITE, MAP_SHARED), draws the test pattern
0x00RRGGBB = (x * 3) << 16 | (y * 5) << 8 | 0x5A into the mapping and FLUSHes the whole buffer.
Then prints "flushed WIDTHxHEIGHT fd_mode=rdwr|wronly|rdonly" and waits until stdin closes (the
session stays open while the caller looks at the panel). Any failure: a line "error: ..." on
stdout and exit status 1.
"""
import array
import fcntl
import mmap
import os
import socket
import struct
import sys

HELLO, OPEN, CREATE_BUFFER, FLUSH, FD_READY, FD_RECEIVED = 0x0001, 0x0004, 0x0006, 0x0009, 0x000F, 0x0010
REPLY, ERROR = 0x8000, 0x7FFF
XRGB8888 = 0x34325258


class Failure(Exception):
    pass


def s(text):
    b = text.encode("utf-8")
    return struct.pack("<H", len(b)) + b


class Client:
    def __init__(self, path):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(10)
        self.sock.connect(path)
        self.next_id = 1  # never 0: id 0 is reserved for events

    def send(self, type_, payload):
        rid = self.next_id
        self.next_id += 1
        self.sock.sendall(struct.pack("<IHHI", 8 + len(payload), type_, 0, rid) + payload)
        return rid

    def read_exact(self, n):
        # exact reads only: the server sends nothing after the CREATE_BUFFER reply until FD_READY,
        # so the byte carrying the descriptor is never swallowed by a plain recv
        out = b""
        while len(out) < n:
            chunk = self.sock.recv(n - len(out))
            if not chunk:
                raise Failure("the server closed the connection")
            out += chunk
        return out

    def read_frame(self):
        (length,) = struct.unpack("<I", self.read_exact(4))
        body = self.read_exact(length)
        type_, _flags, rid = struct.unpack_from("<HHI", body)
        return type_, rid, body[8:]

    def call(self, type_, payload):
        """Sends a request and returns the payload of its reply; events (id 0) are skipped."""
        rid = self.send(type_, payload)
        while True:
            t, r, p = self.read_frame()
            if r == 0 and t != ERROR:
                continue  # an event
            if t == ERROR:
                code, rtype = struct.unpack_from("<IH", p)
                (n,) = struct.unpack_from("<H", p, 8)
                raise Failure("ERROR %d for type 0x%04x: %s" % (code, rtype, p[10:10 + n].decode("utf-8", "replace")))
            if r != rid or t != type_ | REPLY:
                raise Failure("unexpected frame type 0x%04x id %d (waiting for 0x%04x id %d)" % (t, r, type_ | REPLY, rid))
            return p


def main():
    path, device = sys.argv[1], sys.argv[2]
    c = Client(path)
    reply = c.call(HELLO, struct.pack("<IHHI", 0x444C4E50, 1, 1, 1) + s("shm_client.py"))
    _version, _res, flags = struct.unpack_from("<HHI", reply)
    if not flags & 1:
        raise Failure("the server offers no fd passing (HELLO reply flags 0x%x)" % flags)
    session, oflags, width, height = struct.unpack("<IIII", c.call(OPEN, struct.pack("<I", 1) + s(device)))
    if not oflags & 1:
        raise Failure("not the owner of " + device)
    created = c.call(CREATE_BUFFER, struct.pack("<IIIII", session, width, height, XRGB8888, 1))
    buffer, stride, size, bflags = struct.unpack("<IIQI", created)
    if not bflags & 1:
        raise Failure("no FD_FOLLOWS in the CREATE_BUFFER reply")

    # section 7, steps 3-5: FD_READY, one byte carrying the descriptor, FD_RECEIVED
    c.send(FD_READY, struct.pack("<I", buffer))
    fds = array.array("i")
    data, ancdata, _msg_flags, _addr = c.sock.recvmsg(1, socket.CMSG_SPACE(fds.itemsize))
    if len(data) != 1:
        raise Failure("expected the one carrier byte, got %r" % data)
    for level, kind, cdata in ancdata:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            fds.frombytes(cdata[:len(cdata) - len(cdata) % fds.itemsize])
    if len(fds) != 1:
        raise Failure("expected one descriptor, got %d" % len(fds))
    fd = fds[0]
    mode = {os.O_RDWR: "rdwr", os.O_WRONLY: "wronly", os.O_RDONLY: "rdonly"}[fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_ACCMODE]
    try:
        pixels = mmap.mmap(fd, size, mmap.MAP_SHARED, mmap.PROT_READ | mmap.PROT_WRITE)
    except OSError as e:
        raise Failure("mmap(PROT_READ|PROT_WRITE, MAP_SHARED) of the fd (%s) failed: %s" % (mode, e))
    os.close(fd)  # the mapping stays
    c.call(FD_RECEIVED, struct.pack("<I", buffer))

    for y in range(height):
        row = [((x * 3) & 0xFF) << 16 | ((y * 5) & 0xFF) << 8 | 0x5A for x in range(width)]
        pixels[y * stride:y * stride + width * 4] = struct.pack("<%dI" % width, *row)  # bytes B G R X
    c.call(FLUSH, struct.pack("<IIIiiii", session, buffer, 1, 0, 0, width, height))
    print("flushed %dx%d fd_mode=%s" % (width, height, mode), flush=True)
    sys.stdin.read()  # hold the session until the caller is done
    pixels.close()


if __name__ == "__main__":
    try:
        main()
    except (Failure, OSError) as e:
        print("error: %s" % e, flush=True)
        sys.exit(1)
