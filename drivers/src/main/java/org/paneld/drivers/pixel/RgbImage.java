package org.paneld.drivers.pixel;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;

/**
 * A plain image: {@code width x height} pixels as 0xRRGGBB ints, row-major. Used for what virtual
 * panels show and for test images. Mutable pixel array; confine to one thread or copy.
 */
public record RgbImage(int width, int height, int[] rgb) {

    public RgbImage {
        if (width <= 0 || height <= 0 || rgb.length != width * height) {
            throw new IllegalArgumentException("image " + width + "x" + height + " needs " + (long) width * height
                    + " pixels, got " + rgb.length);
        }
    }

    public static RgbImage blank(int width, int height) {
        return new RgbImage(width, height, new int[width * height]);
    }

    public int get(int x, int y) {
        return rgb[y * width + x];
    }

    public void set(int x, int y, int value) {
        rgb[y * width + x] = value & 0xFFFFFF;
    }

    public RgbImage copy() {
        return new RgbImage(width, height, rgb.clone());
    }

    public BufferedImage toBufferedImage() {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, width, height, rgb, 0, width);
        return img;
    }

    public static RgbImage from(BufferedImage img) {
        int w = img.getWidth(), h = img.getHeight();
        int[] px = img.getRGB(0, 0, w, h, null, 0, w);
        for (int i = 0; i < px.length; i++) {
            px[i] &= 0xFFFFFF;
        }
        return new RgbImage(w, h, px);
    }

    /** Writes the image as PNG. */
    public void writePng(Path file) throws IOException {
        if (!ImageIO.write(toBufferedImage(), "png", file.toFile())) {
            throw new IOException("no PNG writer available");
        }
    }

    /** Reads a PNG (or any format ImageIO knows); IOException naming the file when it is not an image. */
    public static RgbImage readImage(Path file) throws IOException {
        BufferedImage img = ImageIO.read(file.toFile());
        if (img == null) {
            throw new IOException(file + ": not an image ImageIO can read");
        }
        return from(img);
    }

    /** The first differing pixel as "x,y: expected 0x.. got 0x..", or null when equal in size and pixels. */
    public String firstDifference(RgbImage other) {
        if (other.width != width || other.height != height) {
            return "size " + other.width + "x" + other.height + " instead of " + width + "x" + height;
        }
        for (int i = 0; i < rgb.length; i++) {
            if ((rgb[i] & 0xFFFFFF) != (other.rgb[i] & 0xFFFFFF)) {
                return (i % width) + "," + (i / width) + ": expected 0x" + Integer.toHexString(rgb[i] & 0xFFFFFF)
                        + " got 0x" + Integer.toHexString(other.rgb[i] & 0xFFFFFF);
            }
        }
        return null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RgbImage && firstDifference((RgbImage) o) == null;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * width + height) + Arrays.hashCode(rgb);
    }
}
