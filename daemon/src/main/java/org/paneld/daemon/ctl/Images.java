package org.paneld.daemon.ctl;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * Image handling of panelctl (client side, JDK only): reading PNG/JPEG/GIF/BMP, fitting an image
 * to a panel — scaled to fit preserving its aspect ratio, centred, letterboxed in black (an image
 * of exactly the panel's size is copied pixel for pixel) — and writing snapshots as PNG.
 * Stateless.
 */
public final class Images {
    private Images() {
    }

    /** Reads an image; IOException naming the file when it cannot. */
    public static BufferedImage read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": no such file");
        }
        BufferedImage img = ImageIO.read(file.toFile());
        if (img == null) {
            throw new IOException(file + ": not an image panelctl can read (PNG, JPEG, GIF, BMP)");
        }
        return img;
    }

    /** The image fitted to {@code width x height} as 0xRRGGBB pixels, row-major. */
    public static int[] fit(BufferedImage src, int width, int height) {
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setColor(Color.BLACK);
            g.fillRect(0, 0, width, height);
            int sw = src.getWidth(), sh = src.getHeight();
            int w, h;
            if ((long) sw * height > (long) sh * width) { // wider than the panel: bars top and bottom
                w = width;
                h = (int) Math.max(1, Math.round((double) sh * width / sw));
            } else {
                h = height;
                w = (int) Math.max(1, Math.round((double) sw * height / sh));
            }
            int x = (width - w) / 2, y = (height - h) / 2;
            if (w == sw && h == sh) {
                g.drawImage(src, x, y, null);
            } else {
                g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
                g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
                g.drawImage(src, x, y, w, h, null);
            }
        } finally {
            g.dispose();
        }
        int[] px = out.getRGB(0, 0, width, height, null, 0, width);
        for (int i = 0; i < px.length; i++) {
            px[i] &= 0xFFFFFF;
        }
        return px;
    }

    /** Writes 0xRRGGBB pixels as a PNG. */
    public static void writePng(int width, int height, int[] rgb, Path file) throws IOException {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, width, height, rgb, 0, width);
        if (!ImageIO.write(img, "png", file.toFile())) {
            throw new IOException("no PNG writer available");
        }
    }
}
