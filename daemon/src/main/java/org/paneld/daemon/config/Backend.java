package org.paneld.daemon.config;

/** How a configured panel is reached: real SPI through Pi4J, or an emulator. Immutable. */
public enum Backend {
    /** A real panel on /dev/spidevB.C with GPIO lines, through Pi4J. */
    SPI("spi"),
    /** The emulated panel registered for the driver ({@code VirtualHardwareRegistry}); no hardware. */
    VIRTUAL("virtual");

    private final String key;

    Backend(String key) {
        this.key = key;
    }

    /** The name used in the config file. */
    public String key() {
        return key;
    }
}
