package org.paneld.protocol;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Encodes and decodes frames of protocol version 1. All integers are little-endian; a string is a
 * u16 byte count then UTF-8. A frame is {@code u32 length | u16 type | u16 flags | u32 id | payload}
 * where {@code length} counts every byte after itself (so at least {@link #HEADER}). Stateless;
 * any thread.
 *
 * <p>This class frames and dispatches; the payloads are in {@link RequestCodec},
 * {@link ReplyCodec} (with ERROR) and {@link EventCodec}, read through a bounds-checking
 * {@link FieldReader}.
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
        if (!RequestCodec.encode(m, b) && !ReplyCodec.encode(m, b) && !EventCodec.encode(m, b)) {
            throw new IllegalArgumentException("no encoding for " + m);
        }
    }

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
        FieldReader r = new FieldReader(body, id, type, offset);
        Message m;
        try {
            m = isRequest(type) ? RequestCodec.decode(r, limits)
                    : EventCodec.isEvent(type) ? EventCodec.decode(r) : ReplyCodec.decode(r);
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
                        || EventCodec.isEvent(type)
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
}
