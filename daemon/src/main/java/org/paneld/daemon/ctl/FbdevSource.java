package org.paneld.daemon.ctl;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A legacy framebuffer ({@code /dev/fbN}) as a frame source: its geometry comes from
 * {@code SYSFS/class/graphics/fbN/} ({@code virtual_size} "W,H", {@code bits_per_pixel} 16, 24 or
 * 32, {@code stride} bytes per line; the visible size from {@code modes} "U:WxHp-0" when present),
 * and the whole visible picture is read with a positional read at a fixed rate ({@code --fps},
 * default 30). 16 bpp is RGB565, 24 bpp RGB888 (B, G, R bytes), 32 bpp XRGB8888 (B, G, R, X), the
 * layouts of the kernel's fbdev emulation. Live: a frame the panel could not take in time is
 * dropped. Never ends (stop it with Ctrl-C, or {@code --frames}). Lifetime: one stream.
 * Threads: the reader thread.
 */
final class FbdevSource implements FrameSource {
    private static final Pattern FB = Pattern.compile("fb([0-9]+)");
    private static final Pattern MODE = Pattern.compile("[A-Za-z]*:?([0-9]+)x([0-9]+).*");

    private final FileChannel ch;
    private final int width;
    private final int height;
    private final int stride;
    private final StreamFormat format;
    private final long periodNanos;
    private long next;
    private long frames;

    private FbdevSource(FileChannel ch, int width, int height, int stride, StreamFormat format, double fps) {
        this.ch = ch;
        this.width = width;
        this.height = height;
        this.stride = stride;
        this.format = format;
        this.periodNanos = (long) (1e9 / fps);
        this.next = System.nanoTime();
    }

    /** The sysfs directory of {@code input} when its name is fbN and that directory exists, else null. */
    static Path sysfsDir(Path input, Path sysfsRoot) {
        Path name = input.getFileName();
        if (name == null) {
            return null;
        }
        Matcher m = FB.matcher(name.toString());
        if (!m.matches()) {
            return null;
        }
        Path dir = sysfsRoot.resolve("class/graphics/fb" + m.group(1));
        return Files.isDirectory(dir) ? dir : null;
    }

    /** Opens {@code input} with the geometry in {@code dir}; IllegalArgumentException naming the file when it is unusable. */
    static FbdevSource open(Path input, Path dir, double fps) throws IOException {
        int[] vs = pair(dir.resolve("virtual_size"), ",");
        int bpp = number(dir.resolve("bits_per_pixel"));
        int stride = number(dir.resolve("stride"));
        int w = vs[0], h = vs[1];
        Path modes = dir.resolve("modes");
        if (Files.isRegularFile(modes)) {
            String first = Files.readString(modes, StandardCharsets.US_ASCII).strip().split("\\R", 2)[0];
            Matcher m = MODE.matcher(first);
            if (m.matches()) {
                w = Math.min(w, Integer.parseInt(m.group(1)));
                h = Math.min(h, Integer.parseInt(m.group(2)));
            }
        }
        StreamFormat f = bpp == 16 ? StreamFormat.RGB565 : bpp == 24 ? StreamFormat.RGB888 : bpp == 32 ? StreamFormat.XRGB8888 : null;
        if (f == null) {
            throw new IllegalArgumentException(dir.resolve("bits_per_pixel") + ": " + bpp + " bits per pixel is not supported (16, 24 or 32)");
        }
        if (w < 1 || h < 1 || stride < w * f.bytesPerPixel) {
            throw new IllegalArgumentException(dir + ": unusable geometry " + w + "x" + h + " stride " + stride + " at " + bpp + " bpp");
        }
        return new FbdevSource(FileChannel.open(input, StandardOpenOption.READ), w, h, stride, f, fps);
    }

    private static int number(Path p) throws IOException {
        String s = read(p);
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(p + ": expected a number, got '" + s + "'");
        }
    }

    private static int[] pair(Path p, String sep) throws IOException {
        String s = read(p);
        String[] a = s.split(sep);
        try {
            return new int[] {Integer.parseInt(a[0].trim()), Integer.parseInt(a[1].trim())};
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(p + ": expected 'W" + sep + "H', got '" + s + "'");
        }
    }

    private static String read(Path p) throws IOException {
        if (!Files.isRegularFile(p)) {
            throw new IllegalArgumentException(p + ": missing (is this a framebuffer device?)");
        }
        return Files.readString(p, StandardCharsets.US_ASCII).strip();
    }

    String describe() {
        return width + "x" + height + " " + format.name() + " stride " + stride;
    }

    @Override
    public boolean live() {
        return true;
    }

    @Override
    public boolean read(Frame f) throws IOException, MalformedStreamException {
        long now = System.nanoTime();
        if (now < next) {
            java.util.concurrent.locks.LockSupport.parkNanos(next - now); // the fixed sampling rate
        }
        next = Math.max(next + periodNanos, System.nanoTime() - periodNanos);
        int bytes = stride * (height - 1) + width * format.bytesPerPixel;
        ByteBuffer b = ByteBuffer.wrap(f.ensure(bytes), 0, bytes);
        long pos = 0;
        while (b.hasRemaining()) {
            int r = ch.read(b, pos);
            if (r < 0) {
                throw new MalformedStreamException(frames + 1, pos, "the framebuffer ended after " + pos + " of " + bytes + " bytes");
            }
            pos += r;
        }
        f.width = width;
        f.height = height;
        f.stride = stride;
        f.format = format;
        f.number = ++frames;
        return true;
    }

    void close() throws IOException {
        ch.close();
    }
}
