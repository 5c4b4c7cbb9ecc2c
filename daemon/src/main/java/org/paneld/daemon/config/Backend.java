package org.paneld.daemon.config;

/** How a configured panel is reached: real SPI through Pi4J, or an emulator. Immutable. */
public enum Backend {
    /** A real panel on /dev/spidevB.C with GPIO lines, through Pi4J. */
    SPI("spi"),
    /** The driver's emulated panel ({@code Driver.createVirtual}); no hardware. */
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
