package org.paneld.protocol;

import java.util.Arrays;
import java.util.List;

/**
 * Every message of protocol version 1 (requests, replies, events, errors), as immutable records.
 * {@link #type()} is the 16-bit type on the wire; a reply's type is its request's type with bit 15
 * set, events have types 0x4000–0x4FFF, ERROR is 0x7FFF. Field layouts are in PROTOCOL.md and
 * in {@link Codec}. Any thread.
 */
public sealed interface Message {

    /** The 16-bit type code on the wire. */
    int type();

    // ------------------------------------------------------------------ type codes

    int HELLO = 0x0001, LIST_DEVICES = 0x0002, DEVICE_INFO = 0x0003, OPEN = 0x0004, CLOSE = 0x0005,
            CREATE_BUFFER = 0x0006, DESTROY_BUFFER = 0x0007, WRITE = 0x0008, FLUSH = 0x0009, FLIP = 0x000A,
            SET_PROPERTY = 0x000B, SUBSCRIBE = 0x000C, ACQUIRE_OWNERSHIP = 0x000D, RELEASE_OWNERSHIP = 0x000E,
            FD_READY = 0x000F, FD_RECEIVED = 0x0010,
            ADMIN_STATUS = 0x0020, ADMIN_BIND = 0x0021, ADMIN_UNBIND = 0x0022, ADMIN_UNPLUG = 0x0023,
            ADMIN_REPLUG = 0x0024, ADMIN_SNAPSHOT = 0x0025, ADMIN_TOUCH = 0x0026, ADMIN_CALIBRATE = 0x0027;
    int REPLY = 0x8000;
    int EV_DEVICE_ADDED = 0x4001, EV_DEVICE_REMOVED = 0x4002, EV_UNPLUGGED = 0x4003, EV_FLIP_COMPLETE = 0x4004,
            EV_OWNERSHIP = 0x4005, EV_SHUTDOWN = 0x4006, EV_TOUCH = 0x4007;
    int ERROR = 0x7FFF;

    /** "PNLD" read as a little-endian u32: the bytes 'P' 'N' 'L' 'D'. */
    int MAGIC = 0x444C4E50;
    /** The protocol version this code speaks. */
    int VERSION = 1;

    /** HELLO flag: the client can receive file descriptors (shared buffers). */
    int HELLO_WANT_FD = 1;
    /** HELLO reply flag: this connection can pass file descriptors. */
    int HELLO_FD_PASSING = 1;
    /** HELLO reply flag: this peer may send ADMIN_* requests. */
    int HELLO_ADMIN = 2;
    /** OPEN flag / OPEN reply flag: wants / got ownership (scanout) of the display. */
    int OPEN_OWNER = 1;
    /** CREATE_BUFFER flag: share the buffer through a file descriptor. */
    int BUFFER_SHARED = 1;
    /** CREATE_BUFFER reply flag: the buffer's fd follows (the FD_READY / FD_RECEIVED exchange). */
    int BUFFER_FD_FOLLOWS = 1;
    /** Device flags in LIST and DEVICE_INFO replies. */
    int DEVICE_CONNECTED = 1, DEVICE_OWNED = 2, DEVICE_UNPLUGGED = 4;
    /** Device flag in LIST and DEVICE_INFO replies: the display has a touch controller (TOUCH events). */
    int DEVICE_TOUCH = 8;
    /**
     * SUBSCRIBE mask bits: DEVICE_ADDED, DEVICE_REMOVED; TOUCH events of the displays this
     * connection's sessions own; TOUCH events of every display this connection has a session on
     * (observation, owned or not).
     */
    int SUB_DEVICE_ADDED = 1, SUB_DEVICE_REMOVED = 2, SUB_TOUCH = 4, SUB_TOUCH_OBSERVE = 8;
    /** TOUCH kinds. */
    int TOUCH_DOWN = 0, TOUCH_MOVE = 1, TOUCH_UP = 2;
    /** TOUCH flags: the session owns the display; MOVE events of this contact were dropped before this one (slow reader). */
    int TOUCH_OWNER = 1, TOUCH_DROPPED = 2;
    /** ADMIN_TOUCH actions: finger down at (or moved to) x, y; finger lifted. */
    int TOUCH_PRESS = 0, TOUCH_RELEASE = 1;

    /** DRM fourcc of XRGB8888 ("XR24"). */
    int FOURCC_XRGB8888 = 0x34325258;
    /** DRM fourcc of RGB565 ("RG16"). */
    int FOURCC_RGB565 = 0x36314752;

    /** Bytes per pixel of a client format fourcc, 0 when unknown. */
    static int bytesPerPixel(int fourcc) {
        return fourcc == FOURCC_XRGB8888 ? 4 : fourcc == FOURCC_RGB565 ? 2 : 0;
    }

    /** "XRGB8888", "RGB565" or the hex value. */
    static String formatName(int fourcc) {
        return fourcc == FOURCC_XRGB8888 ? "XRGB8888" : fourcc == FOURCC_RGB565 ? "RGB565" : "0x" + Integer.toHexString(fourcc);
    }

    /** A rectangle in buffer pixels (x, y top-left; w, h size), as i32s on the wire. */
    record Region(int x, int y, int w, int h) {
        @Override
        public String toString() {
            return w + "x" + h + "+" + x + "+" + y;
        }
    }

    // ------------------------------------------------------------------ requests

    record Hello(int minVersion, int maxVersion, int flags, String client) implements Message {
        public int type() { return HELLO; }
    }

    record ListDevices() implements Message {
        public int type() { return LIST_DEVICES; }
    }

    /** Info of the session's device ({@code session != 0}) or of the device called {@code name}. */
    record DeviceInfo(int session, String name) implements Message {
        public int type() { return DEVICE_INFO; }
    }

    record Open(int flags, String device) implements Message {
        public int type() { return OPEN; }
    }

    record Close(int session) implements Message {
        public int type() { return CLOSE; }
    }

    record CreateBuffer(int session, int width, int height, int format, int flags) implements Message {
        public int type() { return CREATE_BUFFER; }
    }

    record DestroyBuffer(int session, int buffer) implements Message {
        public int type() { return DESTROY_BUFFER; }
    }

    /** Pixels for the rectangle x,y w x h of the buffer: h rows of w pixels, tightly packed. */
    record Write(int session, int buffer, int x, int y, int w, int h, byte[] data) implements Message {
        public int type() { return WRITE; }

        @Override
        public boolean equals(Object o) {
            return o instanceof Write && ((Write) o).session == session && ((Write) o).buffer == buffer && ((Write) o).x == x
                    && ((Write) o).y == y && ((Write) o).w == w && ((Write) o).h == h && Arrays.equals(((Write) o).data, data);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(data) ^ session ^ buffer << 8;
        }

        @Override
        public String toString() {
            return "Write[session=" + session + ", buffer=" + buffer + ", " + w + "x" + h + "+" + x + "+" + y + ", " + data.length + " bytes]";
        }
    }

    record Flush(int session, int buffer, List<Region> rects) implements Message {
        public Flush {
            rects = List.copyOf(rects);
        }

        public int type() { return FLUSH; }
    }

    record Flip(int session, int buffer) implements Message {
        public int type() { return FLIP; }
    }

    record SetProperty(int session, String name, long value) implements Message {
        public int type() { return SET_PROPERTY; }
    }

    record Subscribe(int mask) implements Message {
        public int type() { return SUBSCRIBE; }
    }

    record AcquireOwnership(int session) implements Message {
        public int type() { return ACQUIRE_OWNERSHIP; }
    }

    record ReleaseOwnership(int session) implements Message {
        public int type() { return RELEASE_OWNERSHIP; }
    }

    /** The client's socket now reads file descriptors: send the buffer's fd. */
    record FdReady(int buffer) implements Message {
        public int type() { return FD_READY; }
    }

    /** The client got the fd and reads bytes again. */
    record FdReceived(int buffer) implements Message {
        public int type() { return FD_RECEIVED; }
    }

    record AdminStatus() implements Message {
        public int type() { return ADMIN_STATUS; }
    }

    /** Virtual touch controllers: press (or move) the emulated finger at x, y in display pixels, or lift it. */
    record AdminTouch(String device, int action, int x, int y) implements Message {
        public int type() { return ADMIN_TOUCH; }
    }

    /** Replaces a display's touch calibration: {@code [a, b, c, d, e, f, scale]} (7 numbers). */
    record AdminCalibrate(String device, List<Long> calibration) implements Message {
        public AdminCalibrate {
            calibration = List.copyOf(calibration);
            if (calibration.size() != 7) {
                throw new IllegalArgumentException("a calibration has 7 numbers, got " + calibration.size());
            }
        }

        public int type() { return ADMIN_CALIBRATE; }
    }

    /** ADMIN_BIND, ADMIN_UNBIND, ADMIN_UNPLUG, ADMIN_REPLUG or ADMIN_SNAPSHOT of one device. */
    record AdminDevice(int type, String device) implements Message {
        public AdminDevice {
            if (type < ADMIN_BIND || type > ADMIN_SNAPSHOT) {
                throw new IllegalArgumentException("not an admin device request: 0x" + Integer.toHexString(type));
            }
        }
    }

    // ------------------------------------------------------------------ replies

    /** A reply without fields to the request of type {@code requestType}. */
    record Ok(int requestType) implements Message {
        public int type() { return requestType | REPLY; }
    }

    record HelloReply(int version, int flags, int maxFrame, int maxRects, long maxBufferBytes, int maxSessions,
                      int maxBuffers, long maxConnectionBytes, String server) implements Message {
        public int type() { return HELLO | REPLY; }
    }

    record DeviceEntry(String name, String driver, int width, int height, int flags) {
    }

    record DeviceList(List<DeviceEntry> devices) implements Message {
        public DeviceList {
            devices = List.copyOf(devices);
        }

        public int type() { return LIST_DEVICES | REPLY; }
    }

    record Property(String name, long min, long max, long value) {
    }

    record Info(String name, String driver, int width, int height, int widthMm, int heightMm, int rotation, int flags,
                String panelFormat, String updateClass, List<Integer> formats, List<Property> properties) implements Message {
        public Info {
            formats = List.copyOf(formats);
            properties = List.copyOf(properties);
        }

        public int type() { return DEVICE_INFO | REPLY; }
    }

    record Opened(int session, int flags, int width, int height) implements Message {
        public int type() { return OPEN | REPLY; }
    }

    record BufferCreated(int buffer, int stride, long size, int flags) implements Message {
        public int type() { return CREATE_BUFFER | REPLY; }
    }

    record Status(List<String> lines) implements Message {
        public Status {
            lines = List.copyOf(lines);
        }

        public int type() { return ADMIN_STATUS | REPLY; }
    }

    /** Pixels as 0x00RRGGBB, row-major. */
    record Snapshot(int width, int height, int[] rgb) implements Message {
        public int type() { return ADMIN_SNAPSHOT | REPLY; }

        @Override
        public boolean equals(Object o) {
            return o instanceof Snapshot && ((Snapshot) o).width == width && ((Snapshot) o).height == height
                    && Arrays.equals(((Snapshot) o).rgb, rgb);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(rgb);
        }

        @Override
        public String toString() {
            return "Snapshot[" + width + "x" + height + "]";
        }
    }

    /** The error answer to request of type {@code requestType} (0 when unknown). */
    record Error(ErrorCode code, int requestType, String message) implements Message {
        public int type() { return ERROR; }
    }

    // ------------------------------------------------------------------ events (id 0)

    record DeviceAdded(String device) implements Message {
        public int type() { return EV_DEVICE_ADDED; }
    }

    record DeviceRemoved(String device) implements Message {
        public int type() { return EV_DEVICE_REMOVED; }
    }

    record Unplugged(int session, String device) implements Message {
        public int type() { return EV_UNPLUGGED; }
    }

    /** {@code error} is null on success. */
    record FlipComplete(int session, int buffer, int flipId, ErrorCode error) implements Message {
        public int type() { return EV_FLIP_COMPLETE; }
    }

    record Ownership(int session, boolean owner) implements Message {
        public int type() { return EV_OWNERSHIP; }
    }

    record Shutdown(String reason) implements Message {
        public int type() { return EV_SHUTDOWN; }
    }

    /**
     * One touch report on the display of {@code session}: {@code kind} TOUCH_DOWN/MOVE/UP,
     * contact {@code slot}, display pixels {@code x}, {@code y}, the controller's raw sample,
     * pressure 0..255, flags TOUCH_OWNER/TOUCH_DROPPED, CLOCK_MONOTONIC microseconds.
     */
    record Touch(int session, int kind, int slot, int x, int y, int rawX, int rawY, int pressure, int flags,
                 long timestampMicros) implements Message {
        public int type() { return EV_TOUCH; }

        /** The same event with {@code extra} flags set. */
        public Touch withFlags(int extra) {
            return new Touch(session, kind, slot, x, y, rawX, rawY, pressure, flags | extra, timestampMicros);
        }

        /** "down", "move" or "up" (or the number). */
        public String kindName() {
            return kind == TOUCH_DOWN ? "down" : kind == TOUCH_MOVE ? "move" : kind == TOUCH_UP ? "up" : Integer.toString(kind);
        }
    }
}
