package org.paneld.daemon.ctl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The parts of {@code panelctl stream}: frame readers, the scaler, the hand-over, /dev/fbN geometry. */
class StreamPartsTest {
    static FrameReader reader(byte[] bytes, StreamFormat raw, int w, int h, boolean sizeGiven) {
        return new FrameReader(new BufferedInputStream(new ByteArrayInputStream(bytes)), true, raw, w, h, sizeGiven);
    }

    static byte[] ppm(int w, int h, int seed) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(("P6\n# a comment\n" + w + " " + h + "\n255\n").getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < w * h * 3; i++) {
            o.write(i * 7 + seed);
        }
        return o.toByteArray();
    }

    static byte[] cat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            o.writeBytes(p);
        }
        return o.toByteArray();
    }

    @Test
    void rawFramesBackToBackThenACleanEnd() throws Exception {
        byte[] in = new byte[2 * 3 * 2 * 4];
        for (int i = 0; i < in.length; i++) {
            in[i] = (byte) i;
        }
        FrameReader r = reader(in, StreamFormat.XRGB8888, 3, 2, true);
        Frame f = new Frame();
        assertTrue(r.read(f));
        assertEquals(1, f.number);
        assertEquals(12, f.stride);
        assertTrue(r.read(f));
        assertEquals(24, f.data[0]);
        assertFalse(r.read(f));
        assertEquals(FrameReader.Kind.RAW, r.kind());
    }

    @Test
    void ppmAndPamAreDetectedAndEachFrameHasItsHeader() throws Exception {
        byte[] pam = cat("P7\nWIDTH 2\nHEIGHT 1\nDEPTH 4\nMAXVAL 255\nTUPLTYPE RGB_ALPHA\nENDHDR\n".getBytes(StandardCharsets.US_ASCII),
                new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        FrameReader r = reader(cat(pam, pam), null, 99, 99, false);
        Frame f = new Frame();
        assertTrue(r.read(f));
        assertEquals(StreamFormat.RGBA_PAM, f.format);
        assertEquals(2, f.width);
        assertTrue(r.read(f));
        assertEquals(5, f.data[4]);
        assertFalse(r.read(f));

        FrameReader p = reader(cat(ppm(4, 3, 0), ppm(4, 3, 1)), null, 320, 240, false);
        assertTrue(p.read(f));
        assertEquals(FrameReader.Kind.PPM, p.kind());
        assertEquals(StreamFormat.BGR888, f.format);
        assertTrue(p.read(f));
        assertEquals(1, f.data[0]);
        assertFalse(p.read(f));
    }

    @Test
    void aForcedFormatIsRawEvenWhenItLooksLikePpm() throws Exception {
        byte[] in = "P6P6".getBytes(StandardCharsets.US_ASCII);
        FrameReader r = reader(in, StreamFormat.RGB565, 2, 1, true);
        assertTrue(r.read(new Frame()));
        assertEquals(FrameReader.Kind.RAW, r.kind());
    }

    @Test
    void badStreamsNameTheFrameAndTheByteOffset() {
        byte[] one = ppm(4, 3, 0); // 15-byte header ("P6\n# a comment\n" is 15) + "4 3\n255\n" + 36
        int len = one.length;
        MalformedStreamException trunc = assertThrows(MalformedStreamException.class,
                () -> readAll(reader(cat(one, java.util.Arrays.copyOf(one, len - 5)), null, 0, 0, false)));
        assertTrue(trunc.getMessage().startsWith("frame 2 at byte " + (2 * len - 5) + ": truncated frame: the input ended after 31 of 36"),
                trunc.getMessage());

        MalformedStreamException garbage = assertThrows(MalformedStreamException.class,
                () -> readAll(reader(cat(one, "xq garbage".getBytes(StandardCharsets.US_ASCII)), null, 0, 0, false)));
        assertTrue(garbage.getMessage().startsWith("frame 2 at byte " + len + ": not a PPM header: expected 'P6', got 'xq'"),
                garbage.getMessage());

        MalformedStreamException size = assertThrows(MalformedStreamException.class,
                () -> readAll(reader(cat(one, ppm(5, 3, 0)), null, 0, 0, false)));
        assertTrue(size.getMessage().startsWith("frame 2 at byte " + len + ": wrong size: 5x3, the stream is 4x3"), size.getMessage());

        MalformedStreamException given = assertThrows(MalformedStreamException.class, () -> readAll(reader(one, null, 8, 8, true)));
        assertTrue(given.getMessage().startsWith("frame 1 at byte 0: wrong size: 4x3, the stream is 8x8 (--size)"), given.getMessage());

        MalformedStreamException header = assertThrows(MalformedStreamException.class,
                () -> readAll(reader("P6\n4 3\n".getBytes(StandardCharsets.US_ASCII), null, 0, 0, false)));
        assertTrue(header.getMessage().startsWith("frame 1 at byte 7: truncated"), header.getMessage());

        MalformedStreamException huge = assertThrows(MalformedStreamException.class,
                () -> readAll(reader("P6\n16000 16000\n255\n".getBytes(StandardCharsets.US_ASCII), null, 0, 0, false)));
        assertTrue(huge.getMessage().startsWith("frame 1 at byte 0: 16000x16000 frames of 768000000 bytes: more than panelctl holds"),
                huge.getMessage());

        MalformedStreamException rawShort = assertThrows(MalformedStreamException.class,
                () -> readAll(reader(new byte[10], StreamFormat.RGB565, 2, 2, true)));
        assertTrue(rawShort.getMessage().startsWith("frame 2 at byte 10: truncated frame: the input ended after 2 of 8"), rawShort.getMessage());
    }

    static void readAll(FrameReader r) throws Exception {
        Frame f = new Frame();
        while (r.read(f)) {
            // next
        }
    }

    /** 0xRRGGBB of the RGB565 little-endian destination pixel. */
    static int at565(ByteBuffer b, int stride, int x, int y) {
        int v = b.order(ByteOrder.LITTLE_ENDIAN).getShort(y * stride + x * 2) & 0xFFFF;
        return (v >> 11) << 19 | (v >> 5 & 0x3F) << 10 | (v & 0x1F) << 3;
    }

    static Frame frame(StreamFormat f, int w, int h, byte[] data) {
        Frame fr = new Frame();
        fr.width = w;
        fr.height = h;
        fr.format = f;
        fr.stride = w * f.bytesPerPixel;
        fr.data = data;
        return fr;
    }

    @Test
    void eachLayoutLandsInTheRightChannels() {
        // one pure-red pixel in every source layout, by its documented byte order
        Object[][] cases = {
            {StreamFormat.XRGB8888, new byte[] {0, 0, (byte) 0xF8, 0}},
            {StreamFormat.RGB888, new byte[] {0, 0, (byte) 0xF8}},
            {StreamFormat.BGR888, new byte[] {(byte) 0xF8, 0, 0}},
            {StreamFormat.RGBA_PAM, new byte[] {(byte) 0xF8, 0, 0, 9}},
            {StreamFormat.RGB565, new byte[] {0, (byte) 0xF8}},
        };
        for (Object[] c : cases) {
            StreamFormat f = (StreamFormat) c[0];
            ByteBuffer out = ByteBuffer.allocate(2);
            new Scaler(1, 1, f, 1, 1, true).scale(frame(f, 1, 1, (byte[]) c[1]), out, 2);
            assertEquals(0xF80000, at565(out, 2, 0, 0), f.name());
            ByteBuffer out32 = ByteBuffer.allocate(4);
            new Scaler(1, 1, f, 1, 1, false).scale(frame(f, 1, 1, (byte[]) c[1]), out32, 4);
            // RGB565 widens 5 bits to 8 as the kernel does (r << 3 | r >> 2): 0x1F is 0xFF
            byte red = f == StreamFormat.RGB565 ? (byte) 0xFF : (byte) 0xF8;
            assertArrayEquals(new byte[] {0, 0, red, 0}, out32.array(), f.name());
        }
    }

    @Test
    void aWideSourceIsLetterboxedTopAndBottomNearestNeighbour() {
        // 4x1 source (R, G, B, W) onto 8x6: scaled 2x to 8x2, centred: bars on rows 0-1 and 4-5
        byte[] src = {(byte) 255, 0, 0, 0, (byte) 255, 0, 0, 0, (byte) 255, (byte) 255, (byte) 255, (byte) 255};
        ByteBuffer out = ByteBuffer.allocate(8 * 6 * 2);
        java.util.Arrays.fill(out.array(), (byte) 0x55);
        new Scaler(4, 1, StreamFormat.BGR888, 8, 6, true).scale(frame(StreamFormat.BGR888, 4, 1, src), out, 16);
        int[] expect = {0xF80000, 0xF80000, 0x00FC00, 0x00FC00, 0x0000F8, 0x0000F8, 0xF8FCF8, 0xF8FCF8};
        for (int y = 0; y < 6; y++) {
            for (int x = 0; x < 8; x++) {
                int want = y == 2 || y == 3 ? expect[x] : 0;
                assertEquals(want, at565(out, 16, x, y), "pixel " + x + "," + y);
            }
        }
    }

    @Test
    void aTallSourceGetsBarsLeftAndRightAndStrideIsHonoured() {
        // 1x2 source (white over red, B G R X bytes) onto 4x2 with a 20-byte stride: the picture is
        // 1 wide, at x = (4 - 1) / 2 = 1; the 4 padding bytes of each line stay untouched
        byte[] src = {(byte) 255, (byte) 255, (byte) 255, 0, 0, 0, (byte) 255, 0};
        Frame f = frame(StreamFormat.XRGB8888, 1, 2, src);
        ByteBuffer out = ByteBuffer.allocate(2 * 20).order(ByteOrder.LITTLE_ENDIAN);
        java.util.Arrays.fill(out.array(), (byte) 7);
        new Scaler(1, 2, StreamFormat.XRGB8888, 4, 2, false).scale(f, out, 20);
        assertEquals(0xFFFFFF, out.getInt(4));
        assertEquals(0xFF0000, out.getInt(20 + 4));
        assertEquals(0, out.getInt(0));
        assertEquals(0, out.getInt(8));
        assertEquals(0, out.getInt(20 + 12));
        assertEquals(0x07070707, out.getInt(16));
    }

    @Test
    void aLiveSourceKeepsOnlyTheNewestFrameAndCountsTheDropped() throws Exception {
        LatestFrame s = new LatestFrame(true);
        Frame a = s.free();
        s.publish(a);
        Frame b = s.free();
        s.publish(b);
        Frame c = s.free();
        s.publish(c);
        assertSame(c, s.take(null));
        assertEquals(3, s.read());
        assertEquals(2, s.dropped());
        s.end(null);
        assertNull(s.take(c));
        assertNull(s.error());
    }

    @Test
    void aFileSourceWaitsForTheTakerInsteadOfDropping() throws Exception {
        LatestFrame s = new LatestFrame(false);
        Thread t = new Thread(() -> {
            try {
                for (int i = 0; i < 50; i++) {
                    Frame f = s.free();
                    f.number = i;
                    s.publish(f);
                }
                s.end(null);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        t.start();
        Frame f = null;
        int n = 0;
        while ((f = s.take(f)) != null) {
            assertEquals(n++, f.number);
        }
        assertEquals(50, n);
        assertEquals(0, s.dropped());
        t.join();
    }

    @Test
    void fbdevGeometryComesFromSysfs(@TempDir Path dir) throws Exception {
        Path sys = dir.resolve("sys/class/graphics/fb3");
        Files.createDirectories(sys);
        Files.writeString(sys.resolve("virtual_size"), "4,6\n");
        Files.writeString(sys.resolve("bits_per_pixel"), "16\n");
        Files.writeString(sys.resolve("stride"), "10\n");
        Files.writeString(sys.resolve("modes"), "U:4x3p-0\n");
        Path fb = dir.resolve("fb3");
        byte[] mem = new byte[60];
        mem[10] = 0x1F; // line 1, pixel 0: blue in RGB565
        Files.write(fb, mem);
        Path found = FbdevSource.sysfsDir(fb, dir.resolve("sys"));
        assertEquals(sys, found);
        assertNull(FbdevSource.sysfsDir(dir.resolve("video0"), dir.resolve("sys")));
        FbdevSource s = FbdevSource.open(fb, found, 1000);
        assertEquals("4x3 RGB565 stride 10", s.describe());
        Frame f = new Frame();
        assertTrue(s.read(f));
        assertTrue(s.read(f));
        assertEquals(2, f.number);
        ByteBuffer out = ByteBuffer.allocate(4 * 3 * 2);
        new Scaler(4, 3, f.format, 4, 3, true).scale(f, out, 8);
        assertEquals(0x0000F8, at565(out, 8, 0, 1));
        s.close();
        Files.writeString(sys.resolve("bits_per_pixel"), "8\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FbdevSource.open(fb, found, 30));
        assertTrue(e.getMessage().contains("8 bits per pixel is not supported"), e.getMessage());
    }

    @Test
    void formatsAndSizesParseOrSayWhatIsWrong() {
        assertEquals(StreamFormat.RGB888, StreamFormat.parse("rgb888"));
        assertThrows(IllegalArgumentException.class, () -> StreamFormat.parse("RGBA_PAM"));
        assertArrayEquals(new int[] {320, 240}, StreamCmd.parseSize("320x240"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StreamCmd.parseSize("320"));
        assertTrue(e.getMessage().contains("WxH"));
    }
}
