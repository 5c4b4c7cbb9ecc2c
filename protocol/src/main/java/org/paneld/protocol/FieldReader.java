package org.paneld.protocol;

import io.netty.buffer.ByteBuf;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads the fields of one frame's payload, each bounds-checked: a field the payload is too short
 * for, a count that cannot fit, or a string that is not UTF-8 is a fatal EPROTO naming the field,
 * its payload byte, the type and the frame's stream offset. Lifetime: one frame's decode
 * ({@link Codec#decode}); threads: the decoding thread.
 */
final class FieldReader {
    private final ByteBuf b;
    private final int id;
    private final int type;
    private final long offset;
    private final int start;

    FieldReader(ByteBuf b, int id, int type, long offset) {
        this.b = b;
        this.id = id;
        this.type = type;
        this.offset = offset;
        this.start = b.readerIndex();
    }

    /** The payload, for bulk reads of bytes a count already checked. */
    ByteBuf bytes() {
        return b;
    }

    int type() {
        return type;
    }

    ProtocolException bad(String what) {
        return new ProtocolException(ErrorCode.EPROTO, id, type, Codec.typeName(type) + " frame at byte " + offset + ": " + what, true);
    }

    /** A non-fatal EINVAL: the frame was read whole, so the connection stays usable. */
    ProtocolException invalid(String message) {
        return new ProtocolException(ErrorCode.EINVAL, id, type, message, false);
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

    /**
     * A type no decoder knows: a reply to a request type is an {@link Message.Ok} (a reply without
     * fields); anything else skips the payload and throws a non-fatal EOPNOTSUPP.
     */
    Message unknownType() {
        if ((type & Message.REPLY) != 0 && (type & ~Message.REPLY) <= Message.ADMIN_CALIBRATE && (type & ~Message.REPLY) >= 1) {
            return new Message.Ok(type & ~Message.REPLY);
        }
        b.skipBytes(b.readableBytes());
        throw new ProtocolException(ErrorCode.EOPNOTSUPP, id, type, "unknown message type 0x" + Integer.toHexString(type)
                + " in the frame at byte " + offset, false);
    }
}
