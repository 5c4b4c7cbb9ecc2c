package org.paneld.drivers.virtual;

/**
 * The Pervasive Displays films (panel plus COG G2) that {@link VirtualRepaper} plays, as the
 * emulator knows them from the COG G2 interface document and the kernel's
 * drivers/gpu/drm/tiny/repaper.c: glass size, the 8 channel-select bytes of COG register 0x01,
 * the nominal stage time at room temperature, and how a line written to register 0x0a is laid
 * out (scan bytes, data-scan-data or scan-data-scan, a leading 0x00, a trailing border byte).
 * The emulator's own table: it shares nothing with the driver. Immutable; any thread.
 */
public enum RepaperFilm {
    /** 1.44", 128x96: data-scan-data, trailing 0x00 border byte. */
    E1144CS021("e1144cs021", 128, 96, new int[] {0x00, 0x00, 0x00, 0x00, 0x00, 0x0f, 0xff, 0x00}, 480, 24,
            true, false, true, false, false),
    /** 1.9", 144x128: scan-data-scan (16 scan bytes each side), trailing border byte (0xaa drives the border white). */
    E1190CS021("e1190cs021", 144, 128, new int[] {0x00, 0x00, 0x00, 0x03, 0xfc, 0x00, 0x00, 0xff}, 480, 16,
            false, false, true, true, false),
    /** 2.0", 200x96: data-scan-data after a leading 0x00, no border byte. */
    E2200CS021("e2200cs021", 200, 96, new int[] {0x00, 0x00, 0x00, 0x00, 0x01, 0xff, 0xe0, 0x00}, 480, 24,
            true, true, false, false, false),
    /** 2.7", 264x176: data-scan-data after a leading 0x00, no border byte, a border line instead; stages 630 ms. */
    E2271CS021("e2271cs021", 264, 176, new int[] {0x00, 0x00, 0x00, 0x7f, 0xff, 0xfe, 0x00, 0x00}, 630, 44,
            true, true, false, false, true);

    private final String configName;
    private final int width, height;
    private final int[] channelSelect;
    private final int stageTimeMs, scanBytes;
    private final boolean dataScanData, leadingZero, borderByte, borderByteDrives, borderLine;

    RepaperFilm(String configName, int width, int height, int[] channelSelect, int stageTimeMs, int scanBytes,
                boolean dataScanData, boolean leadingZero, boolean borderByte, boolean borderByteDrives, boolean borderLine) {
        this.configName = configName;
        this.width = width;
        this.height = height;
        this.channelSelect = channelSelect;
        this.stageTimeMs = stageTimeMs;
        this.scanBytes = scanBytes;
        this.dataScanData = dataScanData;
        this.leadingZero = leadingZero;
        this.borderByte = borderByte;
        this.borderByteDrives = borderByteDrives;
        this.borderLine = borderLine;
    }

    /** The name a config uses (key {@code panel}). */
    public String configName() { return configName; }
    public int width() { return width; }
    public int height() { return height; }
    /** Nominal stage time at room temperature, in ms. */
    public int stageTimeMs() { return stageTimeMs; }
    /** Scan bytes per line in each scan block (one block for data-scan-data, two for scan-data-scan). */
    public int scanBytes() { return scanBytes; }
    public boolean dataScanData() { return dataScanData; }
    public boolean leadingZero() { return leadingZero; }
    /** Whether a line ends with a border byte. */
    public boolean borderByte() { return borderByte; }
    /** Whether the border byte drives the border (0xaa: white) rather than being a plain 0x00. */
    public boolean borderByteDrives() { return borderByteDrives; }
    /** Whether the border is driven by its own GPIO line (2.7"). */
    public boolean borderLine() { return borderLine; }

    /** The channel-select bytes the COG expects in register 0x01. */
    public byte[] channelSelect() {
        byte[] b = new byte[channelSelect.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) channelSelect[i];
        }
        return b;
    }

    /** Bytes of one line: [0x00] + even data + scan + odd data (or scan + data + scan) + [border]. */
    public int lineBytes() {
        int data = width / 4; // two bits per pixel
        return (leadingZero ? 1 : 0) + data + (dataScanData ? scanBytes : 2 * scanBytes) + (borderByte ? 1 : 0);
    }

    /** The film a config names, or null. */
    public static RepaperFilm byConfigName(String name) {
        for (RepaperFilm f : values()) {
            if (f.configName.equals(name)) {
                return f;
            }
        }
        return null;
    }

    /**
     * How much longer (×10) a stage must drive at {@code celsius} than at room temperature: the
     * particles slow down in the cold (the kernel's repaper_get_temperature: 17 at -10 °C and
     * below, 12 to -5, 8 to 5, 4 to 10, 3 to 15, 2 to 20, 1 to 40, 0.7 above).
     */
    public static int slowdown10x(int celsius) {
        int[][] bands = {{-10, 170}, {-5, 120}, {5, 80}, {10, 40}, {15, 30}, {20, 20}, {40, 10}};
        for (int[] band : bands) {
            if (celsius <= band[0]) {
                return band[1];
            }
        }
        return 7;
    }

    /** The shortest time a stage must drive this film at {@code celsius}, in ms. */
    public int stageTimeMs(int celsius) {
        return stageTimeMs * slowdown10x(celsius) / 10;
    }
}
