package org.paneld.protocol;

import io.netty.buffer.ByteBuf;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.paneld.protocol.Message.*;

/**
 * Encodes and decodes frames of protocol version 1. All integers are little-endian; a string is a
 * u16 byte count then UTF-8. A frame is {@code u32 length | u16 type | u16 flags | u32 id | payload}
 * where {@code length} counts every byte after itself (so at least {@link #HEADER}). Stateless;
 * any thread.
 */
public final class Codec {
    /** Bytes of type + flags + id, counted by the length field. */
    public static final int HEADER = 8;
    /** Bytes of the whole fixed frame start: length + type + flags + id. */
    public static final int PREFIX = 12;

    private Codec() {
    }

    // ------------------------------------------------------------------ encode

    /** Appends the whole frame (length prefix included) to {@code out}. */
    public static void encode(Frame frame, ByteBuf out) {
        Message m = frame.message();
        int start = out.writerIndex();
        out.writeIntLE(0);
        out.writeShortLE(m.type());
        out.writeShortLE(0);
        out.writeIntLE(frame.id());
        payload(m, out);
        out.setIntLE(start, out.writerIndex() - start - 4);
    }

    private static void payload(Message m, ByteBuf b) {
        if (m instanceof Hello) {
            Hello h = (Hello) m;
            b.writeIntLE(MAGIC_VALUE);
            b.writeShortLE(h.minVersion());
            b.writeShortLE(h.maxVersion());
            b.writeIntLE(h.flags());
            str(b, h.client());
        } else if (m instanceof ListDevices || m instanceof AdminStatus || m instanceof Ok) {
            // no fields
        } else if (m instanceof DeviceInfo) {
            b.writeIntLE(((DeviceInfo) m).session());
            str(b, ((DeviceInfo) m).name());
        } else if (m instanceof Open) {
            b.writeIntLE(((Open) m).flags());
            str(b, ((Open) m).device());
        } else if (m instanceof Close) {
            b.writeIntLE(((Close) m).session());
        } else if (m instanceof CreateBuffer) {
            CreateBuffer c = (CreateBuffer) m;
            b.writeIntLE(c.session()).writeIntLE(c.width()).writeIntLE(c.height()).writeIntLE(c.format()).writeIntLE(c.flags());
        } else if (m instanceof DestroyBuffer) {
            b.writeIntLE(((DestroyBuffer) m).session()).writeIntLE(((DestroyBuffer) m).buffer());
        } else if (m instanceof Write) {
            Write w = (Write) m;
            b.writeIntLE(w.session()).writeIntLE(w.buffer()).writeIntLE(w.x()).writeIntLE(w.y()).writeIntLE(w.w()).writeIntLE(w.h());
            b.writeIntLE(w.data().length).writeBytes(w.data());
        } else if (m instanceof Flush) {
            Flush f = (Flush) m;
            b.writeIntLE(f.session()).writeIntLE(f.buffer()).writeIntLE(f.rects().size());
            for (Region r : f.rects()) {
                b.writeIntLE(r.x()).writeIntLE(r.y()).writeIntLE(r.w()).writeIntLE(r.h());
            }
        } else if (m instanceof Flip) {
            b.writeIntLE(((Flip) m).session()).writeIntLE(((Flip) m).buffer());
        } else if (m instanceof SetProperty) {
            b.writeIntLE(((SetProperty) m).session()).writeLongLE(((SetProperty) m).value());
            str(b, ((SetProperty) m).name());
        } else if (m instanceof Subscribe) {
            b.writeIntLE(((Subscribe) m).mask());
        } else if (m instanceof AcquireOwnership) {
            b.writeIntLE(((AcquireOwnership) m).session());
        } else if (m instanceof ReleaseOwnership) {
            b.writeIntLE(((ReleaseOwnership) m).session());
        } else if (m instanceof FdReady) {
            b.writeIntLE(((FdReady) m).buffer());
        } else if (m instanceof FdReceived) {
            b.writeIntLE(((FdReceived) m).buffer());
        } else if (m instanceof AdminDevice) {
            str(b, ((AdminDevice) m).device());
        } else if (m instanceof AdminTouch) {
            AdminTouch t = (AdminTouch) m;
            str(b, t.device());
            b.writeIntLE(t.action()).writeIntLE(t.x()).writeIntLE(t.y());
        } else if (m instanceof AdminCalibrate) {
            str(b, ((AdminCalibrate) m).device());
            ((AdminCalibrate) m).calibration().forEach(b::writeLongLE);
        } else if (m instanceof HelloReply) {
            HelloReply h = (HelloReply) m;
            b.writeShortLE(h.version()).writeShortLE(0).writeIntLE(h.flags()).writeIntLE(h.maxFrame()).writeIntLE(h.maxRects());
            b.writeLongLE(h.maxBufferBytes()).writeIntLE(h.maxSessions()).writeIntLE(h.maxBuffers()).writeLongLE(h.maxConnectionBytes());
            str(b, h.server());
        } else if (m instanceof DeviceList) {
            List<DeviceEntry> ds = ((DeviceList) m).devices();
            b.writeIntLE(ds.size());
            for (DeviceEntry d : ds) {
                str(b, d.name());
                str(b, d.driver());
                b.writeIntLE(d.width()).writeIntLE(d.height()).writeIntLE(d.flags());
            }
        } else if (m instanceof Info) {
            Info i = (Info) m;
            str(b, i.name());
            str(b, i.driver());
            b.writeIntLE(i.width()).writeIntLE(i.height()).writeIntLE(i.widthMm()).writeIntLE(i.heightMm());
            b.writeIntLE(i.rotation()).writeIntLE(i.flags());
            str(b, i.panelFormat());
            str(b, i.updateClass());
            b.writeShortLE(i.formats().size());
            for (int f : i.formats()) {
                b.writeIntLE(f);
            }
            b.writeShortLE(i.properties().size());
            for (Property p : i.properties()) {
                str(b, p.name());
                b.writeLongLE(p.min()).writeLongLE(p.max()).writeLongLE(p.value());
            }
        } else if (m instanceof Opened) {
            Opened o = (Opened) m;
            b.writeIntLE(o.session()).writeIntLE(o.flags()).writeIntLE(o.width()).writeIntLE(o.height());
        } else if (m instanceof BufferCreated) {
            BufferCreated c = (BufferCreated) m;
            b.writeIntLE(c.buffer()).writeIntLE(c.stride()).writeLongLE(c.size()).writeIntLE(c.flags());
        } else if (m instanceof Status) {
            List<String> lines = ((Status) m).lines();
            b.writeIntLE(lines.size());
            for (String l : lines) {
                str(b, l);
            }
        } else if (m instanceof Snapshot) {
            Snapshot s = (Snapshot) m;
            b.writeIntLE(s.width()).writeIntLE(s.height());
            for (int px : s.rgb()) {
                b.writeIntLE(px & 0xFFFFFF);
            }
        } else if (m instanceof Message.Error) {
            Message.Error e = (Message.Error) m;
            b.writeIntLE(e.code().code()).writeShortLE(e.requestType()).writeShortLE(0);
            str(b, e.message());
        } else if (m instanceof DeviceAdded) {
            str(b, ((DeviceAdded) m).device());
        } else if (m instanceof DeviceRemoved) {
            str(b, ((DeviceRemoved) m).device());
        } else if (m instanceof Unplugged) {
            b.writeIntLE(((Unplugged) m).session());
            str(b, ((Unplugged) m).device());
        } else if (m instanceof FlipComplete) {
            FlipComplete f = (FlipComplete) m;
            b.writeIntLE(f.session()).writeIntLE(f.buffer()).writeIntLE(f.flipId()).writeIntLE(f.error() == null ? 0 : f.error().code());
        } else if (m instanceof Ownership) {
            b.writeIntLE(((Ownership) m).session()).writeIntLE(((Ownership) m).owner() ? 1 : 0);
        } else if (m instanceof Shutdown) {
            str(b, ((Shutdown) m).reason());
        } else if (m instanceof Touch) {
            Touch t = (Touch) m;
            b.writeIntLE(t.session()).writeShortLE(t.kind()).writeShortLE(t.slot()).writeIntLE(t.x()).writeIntLE(t.y());
            b.writeIntLE(t.rawX()).writeIntLE(t.rawY()).writeShortLE(t.pressure()).writeShortLE(t.flags()).writeLongLE(t.timestampMicros());
        } else {
            throw new IllegalArgumentException("no encoding for " + m);
        }
    }

    private static final int MAGIC_VALUE = Message.MAGIC;

    /** Writes a string: u16 byte count, UTF-8 bytes (truncated to 65535 bytes). */
    public static void str(ByteBuf b, String s) {
        byte[] bytes = (s == null ? "" : s).getBytes(StandardCharsets.UTF_8);
        int n = Math.min(bytes.length, 0xFFFF);
        b.writeShortLE(n);
        b.writeBytes(bytes, 0, n);
    }

    // ------------------------------------------------------------------ decode

    /**
     * Decodes one frame body: {@code body} holds exactly the {@code length} bytes after the length
     * field (type, flags, id, payload). Throws {@link ProtocolException}: fatal EPROTO for a
     * short or over-long payload, a bad string or an unknown reply/event type; non-fatal
     * EOPNOTSUPP for an unknown request type and EINVAL for a FLUSH over {@code maxRects} or a
     * CREATE_BUFFER over {@code maxBufferBytes} (the frame was read whole, so the connection
     * stays usable). {@code offset} is the stream offset of the frame, used in messages.
     */
    public static Frame decode(ByteBuf body, DecodeLimits limits, long offset) {
        if (body.readableBytes() < HEADER) {
            throw new ProtocolException(ErrorCode.EPROTO, 0, "frame at byte " + offset + " is " + body.readableBytes()
                    + " bytes long, shorter than the 8-byte header", true);
        }
        int type = body.readUnsignedShortLE();
        body.readUnsignedShortLE(); // flags: reserved, ignored
        int id = body.readIntLE();
        Reader r = new Reader(body, id, type, offset);
        Message m;
        try {
            m = r.message(limits);
        } catch (ProtocolException e) {
            if (!e.fatal() && body.isReadable()) { // a malformed frame is EPROTO even when a field was also invalid
                throw r.bad(body.readableBytes() + " bytes left after the fields of " + typeName(type));
            }
            throw e;
        }
        if (body.isReadable()) {
            throw r.bad(body.readableBytes() + " bytes left after the fields of " + typeName(type));
        }
        return new Frame(id, m);
    }

    /**
     * Decodes one frame body sent to the server (see {@link #decode}): a request id 0 (reserved
     * for events) is a fatal EPROTO; a type that is not a request (a reply, an event, ERROR, or
     * unknown) is a non-fatal EOPNOTSUPP without its payload being parsed (the frame is skipped).
     */
    public static Frame decodeRequest(ByteBuf body, DecodeLimits limits, long offset) {
        if (body.readableBytes() >= HEADER) {
            int at = body.readerIndex();
            int type = body.getUnsignedShortLE(at);
            int id = body.getIntLE(at + 4);
            if (id == 0) {
                throw new ProtocolException(ErrorCode.EPROTO, 0, type, typeName(type) + " frame at byte " + offset
                        + ": request id 0 is reserved for events (use any other u32)", true);
            }
            if (!isRequest(type)) {
                body.skipBytes(body.readableBytes());
                throw new ProtocolException(ErrorCode.EOPNOTSUPP, id, type, ((type & REPLY_BIT) != 0 || type == Message.ERROR
                        || (type >= Message.EV_DEVICE_ADDED && type <= Message.EV_TOUCH)
                        ? typeName(type) + " (type 0x" + Integer.toHexString(type) + ") is not a request"
                        : "unknown message type 0x" + Integer.toHexString(type)) + "; the frame at byte " + offset + " was skipped", false);
            }
        }
        return decode(body, limits, offset);
    }

    /** True for the types a client may send (HELLO … FD_RECEIVED, ADMIN_*). */
    public static boolean isRequest(int type) {
        return type >= Message.HELLO && type <= Message.FD_RECEIVED || type >= Message.ADMIN_STATUS && type <= Message.ADMIN_CALIBRATE;
    }

    /** A readable name of a type code, e.g. "FLUSH" or "FLUSH reply". */
    public static String typeName(int type) {
        String base;
        switch (type & ~REPLY_BIT) {
            case Message.HELLO: base = "HELLO"; break;
            case Message.LIST_DEVICES: base = "LIST_DEVICES"; break;
            case Message.DEVICE_INFO: base = "DEVICE_INFO"; break;
            case Message.OPEN: base = "OPEN"; break;
            case Message.CLOSE: base = "CLOSE"; break;
            case Message.CREATE_BUFFER: base = "CREATE_BUFFER"; break;
            case Message.DESTROY_BUFFER: base = "DESTROY_BUFFER"; break;
            case Message.WRITE: base = "WRITE"; break;
            case Message.FLUSH: base = "FLUSH"; break;
            case Message.FLIP: base = "FLIP"; break;
            case Message.SET_PROPERTY: base = "SET_PROPERTY"; break;
            case Message.SUBSCRIBE: base = "SUBSCRIBE"; break;
            case Message.ACQUIRE_OWNERSHIP: base = "ACQUIRE_OWNERSHIP"; break;
            case Message.RELEASE_OWNERSHIP: base = "RELEASE_OWNERSHIP"; break;
            case Message.FD_READY: base = "FD_READY"; break;
            case Message.FD_RECEIVED: base = "FD_RECEIVED"; break;
            case Message.ADMIN_STATUS: base = "ADMIN_STATUS"; break;
            case Message.ADMIN_BIND: base = "ADMIN_BIND"; break;
            case Message.ADMIN_UNBIND: base = "ADMIN_UNBIND"; break;
            case Message.ADMIN_UNPLUG: base = "ADMIN_UNPLUG"; break;
            case Message.ADMIN_REPLUG: base = "ADMIN_REPLUG"; break;
            case Message.ADMIN_SNAPSHOT: base = "ADMIN_SNAPSHOT"; break;
            case Message.ADMIN_TOUCH: base = "ADMIN_TOUCH"; break;
            case Message.ADMIN_CALIBRATE: base = "ADMIN_CALIBRATE"; break;
            case Message.EV_DEVICE_ADDED: base = "DEVICE_ADDED"; break;
            case Message.EV_DEVICE_REMOVED: base = "DEVICE_REMOVED"; break;
            case Message.EV_UNPLUGGED: base = "UNPLUGGED"; break;
            case Message.EV_FLIP_COMPLETE: base = "FLIP_COMPLETE"; break;
            case Message.EV_OWNERSHIP: base = "OWNERSHIP"; break;
            case Message.EV_SHUTDOWN: base = "SHUTDOWN"; break;
            case Message.EV_TOUCH: base = "TOUCH"; break;
            case Message.ERROR: base = "ERROR"; break;
            default: base = "type 0x" + Integer.toHexString(type & ~REPLY_BIT);
        }
        return (type & REPLY_BIT) != 0 ? base + " reply" : base;
    }

    private static final int REPLY_BIT = Message.REPLY;

    private static final class Reader {
        private final ByteBuf b;
        private final int id;
        private final int type;
        private final long offset;
        private final int start;

        Reader(ByteBuf b, int id, int type, long offset) {
            this.b = b;
            this.id = id;
            this.type = type;
            this.offset = offset;
            this.start = b.readerIndex();
        }

        ProtocolException bad(String what) {
            return new ProtocolException(ErrorCode.EPROTO, id, type, typeName(type) + " frame at byte " + offset + ": " + what, true);
        }

        private void need(int n, String field) {
            if (b.readableBytes() < n) {
                throw bad("too short for field '" + field + "' at payload byte " + (b.readerIndex() - start)
                        + " (needs " + n + " bytes, " + b.readableBytes() + " left)");
            }
        }

        int u32(String field) {
            need(4, field);
            return b.readIntLE();
        }

        long u64(String field) {
            need(8, field);
            return b.readLongLE();
        }

        int u16(String field) {
            need(2, field);
            return b.readUnsignedShortLE();
        }

        String str(String field) {
            int n = u16(field + " length");
            need(n, field);
            byte[] bytes = new byte[n];
            b.readBytes(bytes);
            try {
                return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(bytes)).toString();
            } catch (CharacterCodingException e) {
                throw bad("field '" + field + "' is not UTF-8");
            }
        }

        int count(String field, int perItem) {
            int n = u32(field);
            if (n < 0 || (long) n * perItem > b.readableBytes()) {
                throw bad("count '" + field + "' = " + Integer.toUnsignedString(n) + " does not fit the " + b.readableBytes()
                        + " bytes left");
            }
            return n;
        }

        Message message(DecodeLimits limits) {
            switch (type) {
                case Message.HELLO: {
                    int magic = u32("magic");
                    if (magic != Message.MAGIC) {
                        throw bad("bad magic 0x" + Integer.toHexString(magic) + " (expected 0x" + Integer.toHexString(Message.MAGIC) + ", \"PNLD\")");
                    }
                    return new Hello(u16("min_version"), u16("max_version"), u32("flags"), str("client"));
                }
                case Message.LIST_DEVICES: return new ListDevices();
                case Message.DEVICE_INFO: return new DeviceInfo(u32("session"), str("name"));
                case Message.OPEN: return new Open(u32("flags"), str("device"));
                case Message.CLOSE: return new Close(u32("session"));
                case Message.CREATE_BUFFER: {
                    CreateBuffer c = new CreateBuffer(u32("session"), u32("width"), u32("height"), u32("format"), u32("flags"));
                    int bpp = Message.bytesPerPixel(c.format());
                    if (c.width() <= 0 || c.height() <= 0) {
                        throw new ProtocolException(ErrorCode.EINVAL, id, type, "CREATE_BUFFER: size "
                                + Integer.toUnsignedString(c.width()) + "x" + Integer.toUnsignedString(c.height())
                                + " is not positive (width and height must be 1..2^31-1)", false);
                    }
                    if (bpp == 0) {
                        throw new ProtocolException(ErrorCode.EINVAL, id, type, "CREATE_BUFFER: unknown format 0x"
                                + Integer.toHexString(c.format()) + " (XRGB8888 = 0x34325258, RGB565 = 0x36314752)", false);
                    }
                    long size = (long) c.width() * c.height() * bpp; // < 2^64 (two positive i32s, bpp <= 4): unsigned
                    if (Long.compareUnsigned(size, Math.min(limits.maxBufferBytes(), Integer.MAX_VALUE)) > 0) {
                        throw new ProtocolException(ErrorCode.EINVAL, id, type, "CREATE_BUFFER: " + c.width() + "x" + c.height() + " "
                                + Message.formatName(c.format()) + " needs " + Long.toUnsignedString(size) + " bytes, more than the limit of "
                                + Math.min(limits.maxBufferBytes(), Integer.MAX_VALUE) + " bytes", false);
                    }
                    return c;
                }
                case Message.DESTROY_BUFFER: return new DestroyBuffer(u32("session"), u32("buffer"));
                case Message.WRITE: {
                    int s = u32("session"), buf = u32("buffer"), x = u32("x"), y = u32("y"), w = u32("width"), h = u32("height");
                    int n = u32("length");
                    if (n < 0 || n != b.readableBytes()) {
                        throw bad("length " + Integer.toUnsignedString(n) + " does not match the " + b.readableBytes() + " data bytes in the frame");
                    }
                    byte[] data = new byte[n];
                    b.readBytes(data);
                    return new Write(s, buf, x, y, w, h, data);
                }
                case Message.FLUSH: {
                    int s = u32("session"), buf = u32("buffer");
                    int n = count("count", 16);
                    if (n > limits.maxRects()) {
                        b.skipBytes(n * 16); // count() checked they are there; bytes after them are EPROTO
                        throw new ProtocolException(ErrorCode.EINVAL, id, type, "FLUSH: " + n + " rectangles, more than the limit of "
                                + limits.maxRects(), false);
                    }
                    List<Region> rects = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        rects.add(new Region(b.readIntLE(), b.readIntLE(), b.readIntLE(), b.readIntLE()));
                    }
                    return new Flush(s, buf, rects);
                }
                case Message.FLIP: return new Flip(u32("session"), u32("buffer"));
                case Message.SET_PROPERTY: {
                    int s = u32("session");
                    long v = u64("value");
                    return new SetProperty(s, str("name"), v);
                }
                case Message.SUBSCRIBE: return new Subscribe(u32("mask"));
                case Message.ACQUIRE_OWNERSHIP: return new AcquireOwnership(u32("session"));
                case Message.RELEASE_OWNERSHIP: return new ReleaseOwnership(u32("session"));
                case Message.FD_READY: return new FdReady(u32("buffer"));
                case Message.FD_RECEIVED: return new FdReceived(u32("buffer"));
                case Message.ADMIN_STATUS: return new AdminStatus();
                case Message.ADMIN_BIND: case Message.ADMIN_UNBIND: case Message.ADMIN_UNPLUG:
                case Message.ADMIN_REPLUG: case Message.ADMIN_SNAPSHOT:
                    return new AdminDevice(type, str("device"));
                case Message.ADMIN_TOUCH: return new AdminTouch(str("device"), u32("action"), u32("x"), u32("y"));
                case Message.ADMIN_CALIBRATE: {
                    String device = str("device");
                    List<Long> cal = new ArrayList<>(7);
                    for (int i = 0; i < 7; i++) {
                        cal.add(u64("calibration[" + i + "]"));
                    }
                    return new AdminCalibrate(device, cal);
                }
                // replies
                case Message.HELLO | Message.REPLY: {
                    int v = u16("version");
                    u16("reserved");
                    return new HelloReply(v, u32("flags"), u32("max_frame"), u32("max_rects"), u64("max_buffer_bytes"),
                            u32("max_sessions"), u32("max_buffers"), u64("max_connection_bytes"), str("server"));
                }
                case Message.LIST_DEVICES | Message.REPLY: {
                    int n = count("count", 16); // two empty strs (2 + 2) and three u32s
                    List<DeviceEntry> ds = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        ds.add(new DeviceEntry(str("name"), str("driver"), u32("width"), u32("height"), u32("flags")));
                    }
                    return new DeviceList(ds);
                }
                case Message.DEVICE_INFO | Message.REPLY: {
                    String name = str("name"), driver = str("driver");
                    int w = u32("width"), h = u32("height"), wmm = u32("width_mm"), hmm = u32("height_mm");
                    int rot = u32("rotation"), flags = u32("flags");
                    String pf = str("panel_format"), uc = str("update_class");
                    int nf = u16("format count");
                    List<Integer> fs = new ArrayList<>();
                    for (int i = 0; i < nf; i++) {
                        fs.add(u32("format"));
                    }
                    int np = u16("property count");
                    List<Property> ps = new ArrayList<>();
                    for (int i = 0; i < np; i++) {
                        ps.add(new Property(str("property name"), u64("min"), u64("max"), u64("value")));
                    }
                    return new Info(name, driver, w, h, wmm, hmm, rot, flags, pf, uc, fs, ps);
                }
                case Message.OPEN | Message.REPLY: return new Opened(u32("session"), u32("flags"), u32("width"), u32("height"));
                case Message.CREATE_BUFFER | Message.REPLY: return new BufferCreated(u32("buffer"), u32("stride"), u64("size"), u32("flags"));
                case Message.ADMIN_STATUS | Message.REPLY: {
                    int n = count("count", 2);
                    List<String> lines = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        lines.add(str("line"));
                    }
                    return new Status(lines);
                }
                case Message.ADMIN_SNAPSHOT | Message.REPLY: {
                    int w = u32("width"), h = u32("height");
                    if (w <= 0 || h <= 0 || (long) w * h * 4 != b.readableBytes()) {
                        throw bad("snapshot " + w + "x" + h + " does not match the " + b.readableBytes() + " pixel bytes");
                    }
                    int[] px = new int[w * h];
                    for (int i = 0; i < px.length; i++) {
                        px[i] = b.readIntLE() & 0xFFFFFF;
                    }
                    return new Snapshot(w, h, px);
                }
                case Message.ERROR: {
                    ErrorCode c = ErrorCode.of(u32("code"));
                    int rt = u16("request_type");
                    u16("reserved");
                    return new Message.Error(c, rt, str("message"));
                }
                case Message.EV_DEVICE_ADDED: return new DeviceAdded(str("device"));
                case Message.EV_DEVICE_REMOVED: return new DeviceRemoved(str("device"));
                case Message.EV_UNPLUGGED: return new Unplugged(u32("session"), str("device"));
                case Message.EV_FLIP_COMPLETE: {
                    int s = u32("session"), buf = u32("buffer"), flip = u32("flip_id"), err = u32("error");
                    return new FlipComplete(s, buf, flip, err == 0 ? null : ErrorCode.of(err));
                }
                case Message.EV_OWNERSHIP: return new Ownership(u32("session"), u32("owner") != 0);
                case Message.EV_SHUTDOWN: return new Shutdown(str("reason"));
                case Message.EV_TOUCH: {
                    int s = u32("session"), kind = u16("kind"), slot = u16("slot"), x = u32("x"), y = u32("y");
                    int rx = u32("raw_x"), ry = u32("raw_y"), p = u16("pressure"), fl = u16("flags");
                    return new Touch(s, kind, slot, x, y, rx, ry, p, fl, u64("timestamp_us"));
                }
                default:
                    if ((type & Message.REPLY) != 0 && (type & ~Message.REPLY) <= Message.ADMIN_CALIBRATE && (type & ~Message.REPLY) >= 1) {
                        // a reply without fields
                        return new Ok(type & ~Message.REPLY);
                    }
                    b.skipBytes(b.readableBytes());
                    throw new ProtocolException(ErrorCode.EOPNOTSUPP, id, type, "unknown message type 0x" + Integer.toHexString(type)
                            + " in the frame at byte " + offset, false);
            }
        }
    }
}
