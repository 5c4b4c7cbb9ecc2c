package org.paneld.drivers.repaper;

import java.util.ArrayList;
import java.util.List;

/**
 * The Pervasive Displays panels the repaper driver knows (config key {@code panel}), with the
 * geometry of their COG line format: size, channel-select bytes, nominal stage time, scan bytes,
 * where the scan bytes sit in a line, the border byte and whether a border GPIO is wired.
 * Values as in the kernel's drivers/gpu/drm/tiny/repaper.c (COG G2). Immutable; any thread.
 */
public enum RepaperPanel {
    /** 1.44", 128x96. */
    E1144CS021("e1144cs021", 128, 96, 29, 22, new int[] {0x00, 0x00, 0x00, 0x00, 0x00, 0x0f, 0xff, 0x00},
            480, 96 / 4, true, false, BorderByte.ZERO, false),
    /** 1.9", 144x128. */
    E1190CS021("e1190cs021", 144, 128, 36, 32, new int[] {0x00, 0x00, 0x00, 0x03, 0xfc, 0x00, 0x00, 0xff},
            480, 128 / 4 / 2, false, false, BorderByte.SET, false),
    /** 2.0", 200x96. */
    E2200CS021("e2200cs021", 200, 96, 46, 22, new int[] {0x00, 0x00, 0x00, 0x00, 0x01, 0xff, 0xe0, 0x00},
            480, 96 / 4, true, true, BorderByte.NONE, false),
    /** 2.7", 264x176, with a border control GPIO. */
    E2271CS021("e2271cs021", 264, 176, 57, 38, new int[] {0x00, 0x00, 0x00, 0x7f, 0xff, 0xfe, 0x00, 0x00},
            630, 176 / 4, true, true, BorderByte.NONE, true);

    /** What trails each line: nothing, a zero byte, or a byte that drives the border white in the normal stage. */
    public enum BorderByte { NONE, ZERO, SET }

    private final String configName;
    private final int width;
    private final int height;
    private final int widthMm;
    private final int heightMm;
    private final byte[] channelSelect;
    private final int stageTimeMs;
    private final int bytesPerScan;
    private final boolean middleScan;
    private final boolean preBorderByte;
    private final BorderByte borderByte;
    private final boolean borderGpio;

    RepaperPanel(String configName, int width, int height, int widthMm, int heightMm, int[] cs, int stageTimeMs,
                 int bytesPerScan, boolean middleScan, boolean preBorderByte, BorderByte borderByte, boolean borderGpio) {
        this.configName = configName;
        this.width = width;
        this.height = height;
        this.widthMm = widthMm;
        this.heightMm = heightMm;
        this.channelSelect = new byte[cs.length];
        for (int i = 0; i < cs.length; i++) {
            channelSelect[i] = (byte) cs[i];
        }
        this.stageTimeMs = stageTimeMs;
        this.bytesPerScan = bytesPerScan;
        this.middleScan = middleScan;
        this.preBorderByte = preBorderByte;
        this.borderByte = borderByte;
        this.borderGpio = borderGpio;
    }

    public String configName() { return configName; }
    public int width() { return width; }
    public int height() { return height; }
    public int widthMm() { return widthMm; }
    public int heightMm() { return heightMm; }
    /** The 8 channel-select bytes written to COG register 0x01. */
    public byte[] channelSelect() { return channelSelect.clone(); }
    /** Nominal time one stage is repeated for at room temperature, in ms. */
    public int stageTimeMs() { return stageTimeMs; }
    public int bytesPerScan() { return bytesPerScan; }
    /** True for data-scan-data lines, false for scan-data-scan. */
    public boolean middleScan() { return middleScan; }
    /** True when a line starts with an extra 0x00 byte. */
    public boolean preBorderByte() { return preBorderByte; }
    public BorderByte borderByte() { return borderByte; }
    /** True when the panel's border is driven by a separate GPIO (2.7"). */
    public boolean hasBorderGpio() { return borderGpio; }
    /** Bytes of pixel data per line (2 bits per pixel). */
    public int dataBytesPerLine() { return width / 4; }

    /** Bytes of one line written to register 0x0a. */
    public int lineBytes() {
        return (preBorderByte ? 1 : 0) + dataBytesPerLine() + (middleScan ? bytesPerScan : 2 * bytesPerScan)
                + (borderByte == BorderByte.NONE ? 0 : 1);
    }

    /** The panel for a config name, or null. */
    public static RepaperPanel byName(String name) {
        for (RepaperPanel p : values()) {
            if (p.configName.equals(name)) {
                return p;
            }
        }
        return null;
    }

    public static List<String> configNames() {
        List<String> out = new ArrayList<>();
        for (RepaperPanel p : values()) {
            out.add(p.configName);
        }
        return out;
    }
}
