package org.paneld.protocol;

import io.netty.buffer.ByteBuf;
import org.paneld.protocol.Message.*;

import static org.paneld.protocol.Codec.str;

/**
 * The payloads of the events the server sends unasked (DEVICE_ADDED … TOUCH, request id 0), both
 * ways. {@link Codec} writes and reads the frame around them. Stateless; any thread.
 */
final class EventCodec {
    private EventCodec() {
    }

    /** True for the event type codes (DEVICE_ADDED … TOUCH). */
    static boolean isEvent(int type) {
        return type >= Message.EV_DEVICE_ADDED && type <= Message.EV_TOUCH;
    }

    /** Writes the payload of {@code m} if it is an event; false when it is not one. */
    static boolean encode(Message m, ByteBuf b) {
        if (m instanceof DeviceAdded) {
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
            return false;
        }
        return true;
    }

    /** Reads an event's payload ({@code r.type()} satisfies {@link #isEvent}). */
    static Message decode(FieldReader r) {
        switch (r.type()) {
            case Message.EV_DEVICE_ADDED: return new DeviceAdded(r.str("device"));
            case Message.EV_DEVICE_REMOVED: return new DeviceRemoved(r.str("device"));
            case Message.EV_UNPLUGGED: return new Unplugged(r.u32("session"), r.str("device"));
            case Message.EV_FLIP_COMPLETE: {
                int s = r.u32("session"), buf = r.u32("buffer"), flip = r.u32("flip_id"), err = r.u32("error");
                return new FlipComplete(s, buf, flip, err == 0 ? null : ErrorCode.of(err));
            }
            case Message.EV_OWNERSHIP: return new Ownership(r.u32("session"), r.u32("owner") != 0);
            case Message.EV_SHUTDOWN: return new Shutdown(r.str("reason"));
            case Message.EV_TOUCH: {
                int s = r.u32("session"), kind = r.u16("kind"), slot = r.u16("slot"), x = r.u32("x"), y = r.u32("y");
                int rx = r.u32("raw_x"), ry = r.u32("raw_y"), p = r.u16("pressure"), fl = r.u16("flags");
                return new Touch(s, kind, slot, x, y, rx, ry, p, fl, r.u64("timestamp_us"));
            }
            default:
                return r.unknownType();
        }
    }
}
