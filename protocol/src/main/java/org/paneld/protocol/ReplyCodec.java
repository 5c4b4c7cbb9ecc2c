package org.paneld.protocol;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import org.paneld.protocol.Message.*;

import static org.paneld.protocol.Codec.str;

/**
 * The payloads of the server's replies (type | REPLY; a reply without fields is an
 * {@link Ok}) and of ERROR, both ways. {@link Codec} writes and reads the frame around them.
 * Stateless; any thread.
 */
final class ReplyCodec {
    private ReplyCodec() {
    }

    /** Writes the payload of {@code m} if it is a reply or an ERROR; false when it is neither. */
    static boolean encode(Message m, ByteBuf b) {
        if (m instanceof Ok) {
            // no fields
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
            info((Info) m, b);
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
        } else {
            return false;
        }
        return true;
    }

    private static void info(Info i, ByteBuf b) {
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
    }

    /**
     * Reads a reply's or an ERROR's payload; any other type that is neither a request nor an
     * event ends here too ({@link FieldReader#unknownType}).
     */
    static Message decode(FieldReader r) {
        switch (r.type()) {
            case Message.HELLO | Message.REPLY: {
                int v = r.u16("version");
                r.u16("reserved");
                return new HelloReply(v, r.u32("flags"), r.u32("max_frame"), r.u32("max_rects"), r.u64("max_buffer_bytes"),
                        r.u32("max_sessions"), r.u32("max_buffers"), r.u64("max_connection_bytes"), r.str("server"));
            }
            case Message.LIST_DEVICES | Message.REPLY: {
                int n = r.count("count", 16); // two empty strs (2 + 2) and three u32s
                List<DeviceEntry> ds = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    ds.add(new DeviceEntry(r.str("name"), r.str("driver"), r.u32("width"), r.u32("height"), r.u32("flags")));
                }
                return new DeviceList(ds);
            }
            case Message.DEVICE_INFO | Message.REPLY: return info(r);
            case Message.OPEN | Message.REPLY: return new Opened(r.u32("session"), r.u32("flags"), r.u32("width"), r.u32("height"));
            case Message.CREATE_BUFFER | Message.REPLY:
                return new BufferCreated(r.u32("buffer"), r.u32("stride"), r.u64("size"), r.u32("flags"));
            case Message.ADMIN_STATUS | Message.REPLY: {
                int n = r.count("count", 2);
                List<String> lines = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    lines.add(r.str("line"));
                }
                return new Status(lines);
            }
            case Message.ADMIN_SNAPSHOT | Message.REPLY: {
                int w = r.u32("width"), h = r.u32("height");
                ByteBuf b = r.bytes();
                if (w <= 0 || h <= 0 || (long) w * h * 4 != b.readableBytes()) {
                    throw r.bad("snapshot " + w + "x" + h + " does not match the " + b.readableBytes() + " pixel bytes");
                }
                int[] px = new int[w * h];
                for (int i = 0; i < px.length; i++) {
                    px[i] = b.readIntLE() & 0xFFFFFF;
                }
                return new Snapshot(w, h, px);
            }
            case Message.ERROR: {
                ErrorCode c = ErrorCode.of(r.u32("code"));
                int rt = r.u16("request_type");
                r.u16("reserved");
                return new Message.Error(c, rt, r.str("message"));
            }
            default:
                return r.unknownType();
        }
    }

    private static Info info(FieldReader r) {
        String name = r.str("name"), driver = r.str("driver");
        int w = r.u32("width"), h = r.u32("height"), wmm = r.u32("width_mm"), hmm = r.u32("height_mm");
        int rot = r.u32("rotation"), flags = r.u32("flags");
        String pf = r.str("panel_format"), uc = r.str("update_class");
        int nf = r.u16("format count");
        List<Integer> fs = new ArrayList<>();
        for (int i = 0; i < nf; i++) {
            fs.add(r.u32("format"));
        }
        int np = r.u16("property count");
        List<Property> ps = new ArrayList<>();
        for (int i = 0; i < np; i++) {
            ps.add(new Property(r.str("property name"), r.u64("min"), r.u64("max"), r.u64("value")));
        }
        return new Info(name, driver, w, h, wmm, hmm, rot, flags, pf, uc, fs, ps);
    }
}
