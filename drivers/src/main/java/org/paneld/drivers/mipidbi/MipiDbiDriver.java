package org.paneld.drivers.mipidbi;

import java.io.IOException;
import java.util.Set;
import org.paneld.drivers.core.ConfigException;
import org.paneld.drivers.core.Device;
import org.paneld.drivers.core.DeviceConfig;
import org.paneld.drivers.core.Driver;
import org.paneld.drivers.core.VirtualHardwareRegistry;
import org.paneld.drivers.display.Display;
import org.paneld.drivers.spi.DbiBus;
import org.paneld.drivers.spi.DbiWiring;
import org.paneld.drivers.spi.EdgeInput;
import org.paneld.drivers.spi.GpioOutput;
import org.paneld.drivers.spi.Pi4jHardware;
import org.paneld.drivers.spi.Sleeper;
import org.paneld.drivers.spi.SpiArbiter;
import org.paneld.drivers.spi.SpiPort;
import org.paneld.drivers.touch.Touch;
import org.paneld.drivers.touch.TouchConfig;

/**
 * The common part of the MIPI DBI panel drivers (the kernel's drm_mipi_dbi.c users): config
 * parsing and checking ({@link PanelConfig}), opening the bus (a {@link DbiWiring} attached to
 * the bus device if any, else Pi4J for backend "spi", for backend "virtual" the wires that
 * {@link VirtualHardwareRegistry} finds for the attached emulator), the transfer thread, and the
 * display functions ({@link MipiDbiDisplay}). A driver supplies its defaults, its init sequence,
 * its MADCTL per rotation and RAM offsets; it does not know its emulator.
 *
 * <p>The waits (reset, sleep-out …) come from a {@link Sleeper} attached to the bus device when
 * there is one (tests attach a recording one), else real waits. Stateless; any thread.
 */
public abstract class MipiDbiDriver implements Driver {
    /** MADCTL bits. */
    protected static final int MY = 0x80, MX = 0x40, MV = 0x20, BGR = 0x08;

    /** Buffers of the transfer thread's pool (one on the wire, one queued, one being filled). */
    static final int PIPELINE_BUFFERS = 3;

    /** Defaults for the driver name or alias the config asks for. */
    protected abstract PanelConfig.Defaults defaults(String requestedName);

    /** Keys this driver reads beyond {@link PanelConfig#COMMON_KEYS}. */
    protected Set<String> extraKeys() {
        return Set.of();
    }

    /** Reads and checks a config (no hardware). */
    public PanelConfig panelConfig(DeviceConfig config) throws ConfigException {
        String requested = config.has("driver") ? config.string("driver") : name();
        if (!requested.equals(name()) && !aliases().contains(requested)) {
            requested = name();
        }
        PanelConfig pc = PanelConfig.parse(TouchConfig.withoutTouch(config), defaults(requested), extraKeys());
        check(pc, config);
        touchConfig(config, pc);
        return pc;
    }

    /**
     * The panel's touch controller settings (its {@code touch.} keys), checked against the
     * panel's chip select and GPIO lines; empty when none is configured. No hardware.
     */
    public java.util.Optional<TouchConfig> touchConfig(DeviceConfig config, PanelConfig pc) throws ConfigException {
        java.util.Map<String, Integer> lines = new java.util.LinkedHashMap<>();
        lines.put("dc_gpio", pc.dcGpio());
        lines.put("reset_gpio", pc.resetGpio());
        lines.put("backlight_gpio", pc.backlightGpio());
        lines.put("te_gpio", pc.teGpio());
        java.util.Optional<TouchConfig> tc = TouchConfig.parse(config, pc.spiCs(), lines);
        if (tc.isPresent() && tc.get().backlight() && (pc.backlightGpio() != PanelConfig.NONE || pc.backlightPwm() != PanelConfig.NONE)) {
            throw config.error("touch.backlight", "the panel already has a backlight line (backlight_gpio/backlight_pwm): choose one");
        }
        return tc;
    }

    /**
     * The rotation of the picture the client draws at the configured rotation, in DRM's
     * convention (content turned counter-clockwise), for the touch coordinates; drivers whose
     * kernel MADCTL table turns the other way round override it.
     */
    protected int pictureRotation(PanelConfig c) {
        return c.rotation();
    }

    /** Driver-specific checks after parsing (no hardware). */
    protected void check(PanelConfig pc, DeviceConfig config) throws ConfigException {
    }

    @Override
    public void validate(DeviceConfig config) throws ConfigException {
        panelConfig(config);
    }

    /** The pixel format on the wire. */
    protected WireFormat wireFormat(PanelConfig c) {
        return WireFormat.RGB565_BE;
    }

    /** Physical size in mm at rotation 0 (width, height); {0, 0} when unknown. */
    protected int[] sizeMm(PanelConfig c) {
        return new int[] {0, 0};
    }

    /** Column offset of the visible area in controller RAM at the configured rotation. */
    protected int leftOffset(PanelConfig c) {
        return c.leftOffset() != null ? c.leftOffset() : 0;
    }

    /** Row offset of the visible area in controller RAM at the configured rotation. */
    protected int topOffset(PanelConfig c) {
        return c.topOffset() != null ? c.topOffset() : 0;
    }

    /** Whether enable skips the init when the panel reads back as on (mipi_dbi_poweron_conditional_reset). */
    protected boolean conditionalReset(PanelConfig c) {
        return true;
    }

    /** Whether DCS reads are wired (MISO connected); false makes the conditional reset always reset. */
    protected boolean readable(PanelConfig c) {
        return !c.writeOnly();
    }

    /** MADCTL for the configured rotation and colour order. */
    protected abstract int madctl(PanelConfig c);

    /** The init sequence, after the hardware reset, SWRESET and its wait. */
    protected abstract void init(DbiBus bus, PanelConfig c) throws IOException;

    /** What enable sends when the init was skipped (the panel was on): MADCTL, as the kernel does. */
    protected void initSkipped(DbiBus bus, PanelConfig c) throws IOException {
        bus.command(DbiBus.SET_ADDRESS_MODE, madctl(c));
    }

    /** Sends the inversion command the config asks for. */
    protected static void inversion(DbiBus bus, PanelConfig c) throws IOException {
        bus.command(c.invert() ? DbiBus.INVERT_ON : DbiBus.INVERT_OFF);
    }

    @Override
    public Display probe(Device device) throws Exception {
        DeviceConfig config = device.config();
        if (!config.has("driver")) {
            config = config.with("driver", device.busDevice().driverName()); // the variant the bus device asks for
        }
        PanelConfig cfg = panelConfig(config);
        Sleeper sleeper = device.busDevice().attachment(Sleeper.class).orElse(Sleeper.SYSTEM);
        DbiWiring wiring = device.busDevice().attachment(DbiWiring.class).orElse(null);
        if (wiring == null && cfg.virtual()) {
            // the emulator's wires, found through the registry: this driver does not know its emulator
            wiring = VirtualHardwareRegistry.standard().wiring(device, DbiWiring.class);
        }
        TouchConfig tc = touchConfig(config, cfg).orElse(null);
        // the panel and an SPI touch controller share the bus: every transfer of either holds it
        SpiArbiter arbiter = tc == null || !tc.spi() ? null
                : wiring != null ? new SpiArbiter(device.id() + " spi") : SpiArbiter.forBus(cfg.spiBus());
        Touch.Opened touch = tc == null ? null : Touch.open(device, tc, new Touch.Panel(cfg.spiBus(), arbiter,
                cfg.width(), cfg.height(), pictureRotation(cfg), wiring != null));
        GpioOutput touchBacklight = touch == null ? null : touch.backlight().orElse(null);
        DbiBus bus;
        EdgeInput te = null;
        if (wiring != null) {
            DbiWiring.Lines l = wiring.open(device, cfg.maxTransfer(), cfg.dbiOption() == 1);
            bus = new DbiBus(arbiter != null ? arbiter.share(l.spi()) : l.spi(), l.dc(), l.reset(),
                    touchBacklight != null ? touchBacklight : l.backlight(),
                    cfg.dbiOption() == 1 ? DbiBus.Option.NINE_BIT : DbiBus.Option.D_C_GPIO, cfg.shift16(), readable(cfg),
                    wiring.sleeper(sleeper)).clocks(cfg.spiSpeedHz(), cfg.spiCmdSpeedHz(), cfg.spiReadSpeedHz());
            if (cfg.teGpio() != PanelConfig.NONE) {
                te = wiring.openTearing(device, cfg.teGpio());
            }
        } else {
            Pi4jHardware hw = new Pi4jHardware(device, Pi4jHardware.contextOf(device));
            bus = openPi4j(device, cfg, sleeper, hw, arbiter, touchBacklight);
            if (cfg.teGpio() != PanelConfig.NONE) {
                te = hw.openEdgeInput("te", cfg.teGpio());
            }
        }
        WireFormat wire = wireFormat(cfg);
        int chunk = WindowWriter.chunkBytes(bus, wire);
        TransferPipeline pipeline = new TransferPipeline(device.id(), device.guard(), bus::writeData, chunk,
                PIPELINE_BUFFERS);
        device.hardware().addOrReset("dbi transfer thread", pipeline::close);
        MipiDbiDisplay display = newDisplay(cfg, bus, pipeline, chunk);
        if (touch != null) {
            display.setTouch(touch.controller());
        }
        if (te != null) {
            display.tearing(new TearingSync(te, bus.sleeper(), device.name(), leftOffset(cfg), topOffset(cfg),
                    cfg.visibleWidth(), cfg.visibleHeight(), madctlOrUnknown(cfg), refreshOrderBit(cfg),
                    scanLines(cfg), wire.bytesPerPixel(), bus.pixelHz()));
        }
        return display;
    }

    /** MADCTL for the configured rotation, or -1 when the driver does not send one (panel-mipi-dbi). */
    private int madctlOrUnknown(PanelConfig c) {
        try {
            return madctl(c);
        } catch (UnsupportedOperationException e) {
            return -1;
        }
    }

    /**
     * The gate lines the controller scans per refresh (for {@link TearingSync}'s scan model): by
     * default the visible lines along the scan axis plus that axis's RAM offset, which is right when
     * the glass covers the controller's lines; a driver whose glass shows fewer says how many.
     */
    protected int scanLines(PanelConfig c) {
        int m = madctlOrUnknown(c);
        boolean mv = m >= 0 && (m & MV) != 0;
        return mv ? c.visibleWidth() + leftOffset(c) : c.visibleHeight() + topOffset(c);
    }

    /**
     * Whether the controller has MADCTL's ML bit (vertical refresh order, 0x10), which
     * {@link TearingSync} sets with {@code te_gpio} so the refresh runs the way the rows are written.
     * The Ilitek, Sitronix and Himax parts here all have it.
     */
    protected boolean refreshOrderBit(PanelConfig c) {
        return true;
    }

    /** Makes the display functions. */
    MipiDbiDisplay newDisplay(PanelConfig cfg, DbiBus bus, TransferPipeline pipeline, int chunk) throws Exception {
        return new MipiDbiDisplay(this, cfg, bus, pipeline, chunk);
    }

    private DbiBus openPi4j(Device device, PanelConfig cfg, Sleeper sleeper, Pi4jHardware hw, SpiArbiter arbiter,
                            GpioOutput touchBacklight) throws Exception {
        int max = Pi4jHardware.maxTransfer(device, cfg.maxTransferSet() ? cfg.maxTransfer() : 0);
        SpiPort spi = hw.openSpi(cfg.spiBus(), cfg.spiCs(), cfg.spiSpeedHz(), cfg.spiMode(), max,
                cfg.spiCmdSpeedHz(), cfg.spiReadSpeedHz());
        GpioOutput dc = cfg.dcGpio() != PanelConfig.NONE ? hw.openOutput("dc", cfg.dcGpio(), false) : null;
        GpioOutput reset = cfg.resetGpio() != PanelConfig.NONE ? hw.openOutput("reset", cfg.resetGpio(), true) : null;
        if (arbiter != null) {
            spi = arbiter.share(spi);
        }
        GpioOutput backlight = touchBacklight;
        if (cfg.backlightPwm() != PanelConfig.NONE) {
            backlight = hw.openPwm("backlight", cfg.backlightPwm());
        } else if (cfg.backlightGpio() != PanelConfig.NONE) {
            backlight = hw.openOutput("backlight", cfg.backlightGpio(), false);
        }
        DbiBus.Option option = cfg.dbiOption() == 1 ? DbiBus.Option.NINE_BIT : DbiBus.Option.D_C_GPIO;
        return new DbiBus(spi, dc, reset, backlight, option, cfg.shift16(), readable(cfg), sleeper)
                .clocks(cfg.spiSpeedHz(), cfg.spiCmdSpeedHz(), cfg.spiReadSpeedHz());
    }

    /** Picks the MADCTL orientation bits of a driver's table for {@code rotation} (0, 90, 180, 270). */
    protected static int rotationBits(int rotation, int r0, int r90, int r180, int r270) {
        switch (rotation) {
            case 90:
                return r90;
            case 180:
                return r180;
            case 270:
                return r270;
            default:
                return r0;
        }
    }
}
