package org.paneld.drivers.mipidbi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.paneld.drivers.core.ConfigException;
import org.paneld.drivers.core.Errno;
import org.paneld.drivers.mipidbi.InitFile.Delay;
import org.paneld.drivers.mipidbi.InitFile.Entry;

/** The kernel's panel-mipi-dbi firmware format and the mipi-dbi-cmd text form. */
class InitFileTest {

    static byte[] file(int... body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("MIPI DBI".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(new byte[7]);
        out.write(1);
        for (int b : body) {
            out.write(b);
        }
        return out.toByteArray();
    }

    /** The example in the kernel's panel-mipi-dbi.c comment. */
    static final int[] KERNEL_EXAMPLE = {0x11, 0x00, 0x00, 0x01, 0x78, 0xb1, 0x03, 0x01, 0x2c, 0x2d, 0x29, 0x00};

    @Test
    void parsesTheKernelsExample() throws Exception {
        InitFile f = InitFile.parse("panel.bin", file(KERNEL_EXAMPLE));
        assertEquals(List.of(new Entry(16, 0x11, new byte[0]), new Delay(18, 120),
                new Entry(21, 0xb1, new byte[] {0x01, 0x2c, 0x2d}), new Entry(26, 0x29, new byte[0])), f.steps());
        assertEquals(16, f.steps().get(0).offset());
        assertEquals(21, f.steps().get(2).offset());
        assertEquals(3, f.entries().size());
        assertArrayEquals(file(KERNEL_EXAMPLE), f.toBinary());
        assertEquals("command 0x11\ndelay 120\ncommand 0xb1 0x01 0x2c 0x2d\ncommand 0x29\n", f.toText());
    }

    @Test
    void nopWithoutOrWithSeveralParametersIsACommandNotADelay() throws Exception {
        InitFile f = InitFile.parse("p.bin", file(0x00, 0x00, 0x00, 0x02, 0x05, 0x06));
        assertEquals(List.of(new Entry(16, 0, new byte[0]), new Entry(18, 0, new byte[] {5, 6})), f.steps());
    }

    static String refused(byte[] data) {
        ConfigException e = assertThrows(ConfigException.class, () -> InitFile.parse("panel.bin", data));
        assertEquals(Errno.EINVAL, e.errno());
        return e.getMessage();
    }

    @Test
    void emptyFile() {
        assertEquals("panel.bin: byte 0: file is empty (expected the 15-byte \"MIPI DBI\" magic, a version byte and "
                + "at least one entry)", refused(new byte[0]));
    }

    @Test
    void wrongMagic() {
        byte[] b = file(KERNEL_EXAMPLE);
        b[4] = '-';
        String m = refused(b);
        assertTrue(m.startsWith("panel.bin: byte 4: bad magic: expected \"MIPI DBI\" and 7 zero bytes, found 4d 49 50 49 2d"), m);
        b = file(KERNEL_EXAMPLE);
        b[12] = 1;
        assertTrue(refused(b).startsWith("panel.bin: byte 12: bad magic"), refused(b));
        assertEquals("panel.bin: byte 5: file ends inside the 15-byte \"MIPI DBI\" magic (5 bytes)",
                refused("MIPI ".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void wrongVersion() {
        byte[] b = file(KERNEL_EXAMPLE);
        b[15] = 2;
        assertEquals("panel.bin: byte 15: file format version 2 is not supported (only 1)", refused(b));
        assertEquals("panel.bin: byte 15: file ends before the version byte", refused(Arrays.copyOf(b, 15)));
    }

    @Test
    void headerOnlyHasNoEntries() {
        assertEquals("panel.bin: byte 16: no entries after the header (an init file needs at least one command)",
                refused(file()));
    }

    @Test
    void truncatedEntry() {
        assertEquals("panel.bin: byte 17: entry 0x36 declares 3 parameters but the file ends after 1",
                refused(file(0x36, 0x03, 0x48)));
        assertEquals("panel.bin: byte 21: entry 0xe0 declares 15 parameters but the file ends after 0",
                refused(file(0x11, 0x00, 0x29, 0x00, 0xe0, 0x0f)));
        assertEquals("panel.bin: byte 17: entry 0x00 declares 1 parameter but the file ends after 0",
                refused(file(0x00, 0x01)));
    }

    @Test
    void trailingByte() {
        assertEquals("panel.bin: byte 18: 1 trailing byte 0x29 after the last entry (an entry is a command byte "
                + "and a parameter count)", refused(file(0x11, 0x00, 0x29)));
        assertEquals("panel.bin: byte 16: 1 trailing byte 0x11 after the last entry (an entry is a command byte "
                + "and a parameter count)", refused(file(0x11)));
    }

    @Test
    void readNamesTheFile(@TempDir Path dir) throws Exception {
        Path p = dir.resolve("mypanel.bin");
        Files.write(p, file(0x36, 0x03, 0x48));
        ConfigException e = assertThrows(ConfigException.class, () -> InitFile.read(p));
        assertTrue(e.getMessage().startsWith(p + ": byte 17: entry 0x36"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> InitFile.read(dir.resolve("missing.bin")));
        assertTrue(e.getMessage().contains("missing.bin: cannot read init file"), e.getMessage());
        Files.write(p, file(KERNEL_EXAMPLE));
        assertEquals(4, InitFile.read(p).steps().size());
    }

    // ------------------------------------------------------------ text form

    @Test
    void textFormAsMipiDbiCmdReadsIt() throws Exception {
        String text = "# ST7789V 240x240\n"
                + "command 0x01   # software reset\n"
                + "delay 150\n"
                + "\n"
                + "command 0x11\n"
                + "delay 255\n"
                + "command 0x36 0x00\n"
                + "command 0x3A 85\n"          // decimal works (int(x, 0))
                + "command 0xb2 0x0C 0x0c 0 0x33 0b00110011\n"
                + "command 0x21\r\n"
                + "command 0x29\n";
        InitFile f = InitFile.parseText("st7789.txt", text);
        assertEquals(List.of(new Entry(-1, 0x01, new byte[0]), new Delay(-1, 150), new Entry(-1, 0x11, new byte[0]),
                new Delay(-1, 255), new Entry(-1, 0x36, new byte[] {0}), new Entry(-1, 0x3a, new byte[] {0x55}),
                new Entry(-1, 0xb2, new byte[] {0x0c, 0x0c, 0, 0x33, 0x33}), new Entry(-1, 0x21, new byte[0]),
                new Entry(-1, 0x29, new byte[0])), f.steps());
        // text -> binary -> parse -> text is the identity on the steps
        InitFile back = InitFile.parse("st7789.bin", f.toBinary());
        assertEquals(f, back);
        assertEquals(f, InitFile.parseText("again.txt", back.toText()));
        assertEquals(16, back.steps().get(0).offset());
    }

    static String textRefused(String text) {
        ConfigException e = assertThrows(ConfigException.class, () -> InitFile.parseText("init.txt", text));
        return e.getMessage();
    }

    @Test
    void textErrorsNameTheLine() {
        assertEquals("init.txt: line 2: unknown keyword 'comand' (expected 'command' or 'delay') (in 'comand 0x29')",
                textRefused("command 0x11\ncomand 0x29\n"));
        assertEquals("init.txt: line 1: not a number: 0xZZ (in 'command 0xZZ')", textRefused("command 0xZZ"));
        assertEquals("init.txt: line 1: not a number: 017 (in 'command 017')", textRefused("command 017"));
        assertEquals("init.txt: line 3: value out of bounds: 0x100 (must be 0..255) (in 'command 0x36 0x100')",
                textRefused("\n# c\ncommand 0x36 0x100"));
        assertEquals("init.txt: line 1: 'delay' takes exactly one argument (milliseconds, 0..255) (in 'delay 1 2')",
                textRefused("delay 1 2"));
        assertEquals("init.txt: line 1: value out of bounds: 300 (must be 0..255) (in 'delay 300')",
                textRefused("delay 300"));
        assertEquals("init.txt: line 1: 'command' needs a command byte (in 'command')", textRefused("command # x"));
        assertTrue(textRefused("command 0 5").contains("write 'delay 5'"));
        assertEquals("init.txt: no commands (an init sequence needs at least one)", textRefused("# nothing\n\n"));
    }

    @Property(tries = 200)
    void binaryRoundTrip(@ForAll @Size(min = 1, max = 20) List<@IntRange(min = 0, max = 300) Integer> spec,
                         @ForAll long seed) throws Exception {
        java.util.Random rnd = new java.util.Random(seed);
        java.util.List<InitFile.Step> steps = new java.util.ArrayList<>();
        for (int s : spec) {
            if (s > 255) {
                steps.add(new Delay(-1, s - 256));
            } else {
                byte[] params = new byte[rnd.nextInt(5) == 0 ? rnd.nextInt(256) : rnd.nextInt(4)];
                rnd.nextBytes(params);
                if (s == 0 && params.length == 1) {
                    params = new byte[0];
                }
                steps.add(new Entry(-1, s, params));
            }
        }
        InitFile f = InitFile.of("gen", steps);
        byte[] bin = f.toBinary();
        InitFile parsed = InitFile.parse("gen.bin", bin);
        assertEquals(f, parsed);
        assertArrayEquals(bin, parsed.toBinary());
        assertEquals(f, InitFile.parseText("gen.txt", f.toText()));
        // any truncation of a valid file is refused (never silently shortened)
        if (bin.length > 17) {
            int cut = 16 + rnd.nextInt(bin.length - 16);
            byte[] shorter = Arrays.copyOf(bin, cut);
            boolean ok;
            try {
                InitFile g = InitFile.parse("cut.bin", shorter);
                ok = g.steps().size() < f.steps().size() || cut == bin.length;
                // a cut at an entry boundary is a valid, shorter file
                assertEquals(f.steps().subList(0, g.steps().size()), g.steps());
            } catch (ConfigException e) {
                ok = e.getMessage().startsWith("cut.bin: byte ");
            }
            assertTrue(ok);
        }
    }
}
