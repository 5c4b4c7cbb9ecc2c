package org.paneld.protocol;

import static org.junit.jupiter.api.Assertions.*;

import io.netty.buffer.Unpooled;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The worked byte-level example in PROTOCOL.md is what the real codec produces, and decodes back. */
class ProtocolDocTest {
    private static final Pattern START = Pattern.compile("^([0-9a-f]{8}) ([0-9a-f]{4}) ([0-9a-f]{4}) ([0-9a-f]{8})( \\|((?: [0-9a-f]{2})+))?\\s*$");
    private static final Pattern MORE = Pattern.compile("^\\s+((?:[0-9a-f]{2} ?)+)\\s*$");

    static List<byte[]> docFrames() throws Exception {
        String doc = Files.readString(Path.of("PROTOCOL.md"));
        int a = doc.indexOf("<!-- worked-example:begin -->"), b = doc.indexOf("<!-- worked-example:end -->");
        assertTrue(a > 0 && b > a, "PROTOCOL.md has the worked-example markers");
        List<StringBuilder> frames = new ArrayList<>();
        for (String line : doc.substring(a, b).split("\n")) {
            var m = START.matcher(line);
            if (m.matches()) {
                frames.add(new StringBuilder(m.group(1) + m.group(2) + m.group(3) + m.group(4) + (m.group(6) == null ? "" : m.group(6))));
                continue;
            }
            var c = MORE.matcher(line);
            if (c.matches() && !frames.isEmpty()) {
                frames.get(frames.size() - 1).append(c.group(1));
            }
        }
        List<byte[]> out = new ArrayList<>();
        for (StringBuilder sb : frames) {
            out.add(HexFormat.of().parseHex(sb.toString().replace(" ", "")));
        }
        return out;
    }

    @Test
    void workedExampleMatchesTheCodec() throws Exception {
        List<byte[]> doc = docFrames();
        List<Frame> frames = Examples.workedExample();
        assertEquals(frames.size(), doc.size(), "frames in the worked example");
        for (int i = 0; i < frames.size(); i++) {
            byte[] want = Examples.encode(frames.get(i));
            assertArrayEquals(want, doc.get(i), "frame " + i + " (" + frames.get(i) + ") should be\n" + Examples.hex(want));
            Frame back = Codec.decode(Unpooled.wrappedBuffer(doc.get(i), 4, doc.get(i).length - 4), DecodeLimits.client(), 0);
            assertEquals(frames.get(i), back);
        }
    }
}
