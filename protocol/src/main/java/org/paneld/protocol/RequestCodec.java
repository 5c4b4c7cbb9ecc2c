package org.paneld.protocol;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import org.paneld.protocol.Message.*;

import static org.paneld.protocol.Codec.str;

/**
 * The payloads of the requests a client sends (HELLO … FD_RECEIVED, ADMIN_*), both ways, with the
 * decode-time limits (FLUSH rectangles, CREATE_BUFFER size). {@link Codec} writes and reads the
 * frame around them. Stateless; any thread.
 */
final class RequestCodec {
    private RequestCodec() {
    }

    /** Writes the payload of {@code m} if it is a request; false when it is not one. */
    static boolean encode(Message m, ByteBuf b) {
        if (m instanceof Hello) {
            Hello h = (Hello) m;
            b.writeIntLE(Message.MAGIC);
            b.writeShortLE(h.minVersion());
            b.writeShortLE(h.maxVersion());
            b.writeIntLE(h.flags());
            str(b, h.client());
        } else if (m instanceof ListDevices || m instanceof AdminStatus) {
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
        } else {
            return false;
        }
        return true;
    }

    /** Reads a request's payload ({@code r.type()} satisfies {@link Codec#isRequest}). */
    static Message decode(FieldReader r, DecodeLimits limits) {
        int type = r.type();
        switch (type) {
            case Message.HELLO: {
                int magic = r.u32("magic");
                if (magic != Message.MAGIC) {
                    throw r.bad("bad magic 0x" + Integer.toHexString(magic) + " (expected 0x" + Integer.toHexString(Message.MAGIC) + ", \"PNLD\")");
                }
                return new Hello(r.u16("min_version"), r.u16("max_version"), r.u32("flags"), r.str("client"));
            }
            case Message.LIST_DEVICES: return new ListDevices();
            case Message.DEVICE_INFO: return new DeviceInfo(r.u32("session"), r.str("name"));
            case Message.OPEN: return new Open(r.u32("flags"), r.str("device"));
            case Message.CLOSE: return new Close(r.u32("session"));
            case Message.CREATE_BUFFER: return createBuffer(r, limits);
            case Message.DESTROY_BUFFER: return new DestroyBuffer(r.u32("session"), r.u32("buffer"));
            case Message.WRITE: {
                int s = r.u32("session"), buf = r.u32("buffer"), x = r.u32("x"), y = r.u32("y"), w = r.u32("width"), h = r.u32("height");
                int n = r.u32("length");
                ByteBuf b = r.bytes();
                if (n < 0 || n != b.readableBytes()) {
                    throw r.bad("length " + Integer.toUnsignedString(n) + " does not match the " + b.readableBytes() + " data bytes in the frame");
                }
                byte[] data = new byte[n];
                b.readBytes(data);
                return new Write(s, buf, x, y, w, h, data);
            }
            case Message.FLUSH: {
                int s = r.u32("session"), buf = r.u32("buffer");
                int n = r.count("count", 16);
                ByteBuf b = r.bytes();
                if (n > limits.maxRects()) {
                    b.skipBytes(n * 16); // count() checked they are there; bytes after them are EPROTO
                    throw r.invalid("FLUSH: " + n + " rectangles, more than the limit of " + limits.maxRects());
                }
                List<Region> rects = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    rects.add(new Region(b.readIntLE(), b.readIntLE(), b.readIntLE(), b.readIntLE()));
                }
                return new Flush(s, buf, rects);
            }
            case Message.FLIP: return new Flip(r.u32("session"), r.u32("buffer"));
            case Message.SET_PROPERTY: {
                int s = r.u32("session");
                long v = r.u64("value");
                return new SetProperty(s, r.str("name"), v);
            }
            case Message.SUBSCRIBE: return new Subscribe(r.u32("mask"));
            case Message.ACQUIRE_OWNERSHIP: return new AcquireOwnership(r.u32("session"));
            case Message.RELEASE_OWNERSHIP: return new ReleaseOwnership(r.u32("session"));
            case Message.FD_READY: return new FdReady(r.u32("buffer"));
            case Message.FD_RECEIVED: return new FdReceived(r.u32("buffer"));
            case Message.ADMIN_STATUS: return new AdminStatus();
            case Message.ADMIN_BIND: case Message.ADMIN_UNBIND: case Message.ADMIN_UNPLUG:
            case Message.ADMIN_REPLUG: case Message.ADMIN_SNAPSHOT:
                return new AdminDevice(type, r.str("device"));
            case Message.ADMIN_TOUCH: return new AdminTouch(r.str("device"), r.u32("action"), r.u32("x"), r.u32("y"));
            case Message.ADMIN_CALIBRATE: {
                String device = r.str("device");
                List<Long> cal = new ArrayList<>(7);
                for (int i = 0; i < 7; i++) {
                    cal.add(r.u64("calibration[" + i + "]"));
                }
                return new AdminCalibrate(device, cal);
            }
            default:
                return r.unknownType();
        }
    }

    /** CREATE_BUFFER, its size positive, its format known and its bytes within the limit (EINVAL otherwise). */
    private static CreateBuffer createBuffer(FieldReader r, DecodeLimits limits) {
        CreateBuffer c = new CreateBuffer(r.u32("session"), r.u32("width"), r.u32("height"), r.u32("format"), r.u32("flags"));
        int bpp = Message.bytesPerPixel(c.format());
        if (c.width() <= 0 || c.height() <= 0) {
            throw r.invalid("CREATE_BUFFER: size " + Integer.toUnsignedString(c.width()) + "x" + Integer.toUnsignedString(c.height())
                    + " is not positive (width and height must be 1..2^31-1)");
        }
        if (bpp == 0) {
            throw r.invalid("CREATE_BUFFER: unknown format 0x" + Integer.toHexString(c.format())
                    + " (XRGB8888 = 0x34325258, RGB565 = 0x36314752)");
        }
        long size = (long) c.width() * c.height() * bpp; // < 2^64 (two positive i32s, bpp <= 4): unsigned
        if (Long.compareUnsigned(size, Math.min(limits.maxBufferBytes(), Integer.MAX_VALUE)) > 0) {
            throw r.invalid("CREATE_BUFFER: " + c.width() + "x" + c.height() + " " + Message.formatName(c.format()) + " needs "
                    + Long.toUnsignedString(size) + " bytes, more than the limit of "
                    + Math.min(limits.maxBufferBytes(), Integer.MAX_VALUE) + " bytes");
        }
        return c;
    }
}
