package org.paneld.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import org.paneld.protocol.Message.*;

/** The worked example of PROTOCOL.md as frames, and a hex formatter (also used to write the doc). */
final class Examples {
    private Examples() {
    }

    static final byte[] RED_2X2 = {
        0, 0, (byte) 0xFF, 0, 0, 0, (byte) 0xFF, 0,
        0, 0, (byte) 0xFF, 0, 0, 0, (byte) 0xFF, 0,
    };

    /** open -> create buffer -> write -> flush, with the replies, in wire order. */
    static List<Frame> workedExample() {
        return List.of(
                new Frame(1, new Hello(1, 1, 0, "demo")),
                new Frame(1, new HelloReply(1, 0, 16 << 20, 256, 64L << 20, 16, 64, 256L << 20, "paneld")),
                new Frame(2, new Open(Message.OPEN_OWNER, "lcd0")),
                new Frame(2, new Opened(1, Message.OPEN_OWNER, 320, 240)),
                new Frame(3, new CreateBuffer(1, 320, 240, Message.FOURCC_XRGB8888, 0)),
                new Frame(3, new BufferCreated(1, 1280, 307200, 0)),
                new Frame(4, new Write(1, 1, 10, 20, 2, 2, RED_2X2)),
                new Frame(4, new Ok(Message.WRITE)),
                new Frame(5, new Flush(1, 1, List.of(new Region(10, 20, 2, 2)))),
                new Frame(5, new Ok(Message.FLUSH)));
    }

    static byte[] encode(Frame f) {
        ByteBuf b = Unpooled.buffer();
        Codec.encode(f, b);
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        return out;
    }

    /** "0d000000 0100 0000 01000000 | 50 4e 4c 44 …" : length, type, flags, id, then the payload bytes. */
    static String hex(byte[] frame) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < frame.length; i++) {
            if (i == 4 || i == 6 || i == 8) {
                sb.append(' ');
            } else if (i == 12) {
                sb.append(" |");
            }
            if (i >= 12) {
                sb.append((i - 12) % 16 == 0 && i > 12 ? "\n                             " : " ");
            }
            sb.append(String.format("%02x", frame[i] & 0xFF));
        }
        return sb.toString();
    }

    public static void main(String[] args) {
        for (Frame f : workedExample()) {
            System.out.println(f);
            System.out.println(hex(encode(f)));
        }
    }
}
