package org.paneld.drivers.repaper;

import org.paneld.drivers.core.ConfigException;
import org.paneld.drivers.core.Device;
import org.paneld.drivers.core.DeviceConfig;
import org.paneld.drivers.core.Driver;
import org.paneld.drivers.core.VirtualHardwareRegistry;
import org.paneld.drivers.display.Display;
import org.paneld.drivers.spi.GpioInput;
import org.paneld.drivers.spi.GpioOutput;
import org.paneld.drivers.spi.Pi4jHardware;
import org.paneld.drivers.spi.Sleeper;
import org.paneld.drivers.spi.SpiPort;
import org.paneld.drivers.spi.SpiWiring;

/**
 * The repaper driver ("repaper"): Pervasive Displays e-paper panels with a COG G2 (or G1)
 * driver chip — 1.44", 1.9", 2.0", 2.7" — as the kernel's drivers/gpu/drm/tiny/repaper.c drives
 * them. Config keys: see {@link RepaperConfig}. With backend "spi" it opens, through Pi4J, the
 * SPI device and the panel-on, discharge, reset, border (2.7") and BUSY lines; with backend
 * "virtual" it opens the same lines by name from the {@link SpiWiring} that
 * {@link VirtualHardwareRegistry} finds for the attached emulator (this driver does not know it)
 * and runs on the wiring's clock (an emulator's is logical). With "spi" the refresh timing runs on the wall clock unless a {@link RepaperClock} is
 * attached to the bus device (how tests of the Pi4J path stay fast). Every hardware object and the refresh worker live in the device's hardware scope.
 * How refreshes, coalescing and unplug work: {@link RepaperDisplay}. Stateless; any thread.
 */
public final class RepaperDriver implements Driver {

    @Override
    public String name() {
        return "repaper";
    }

    @Override
    public void validate(DeviceConfig config) throws ConfigException {
        RepaperConfig.parse(config);
    }

    @Override
    public Display probe(Device device) throws Exception {
        RepaperConfig c = RepaperConfig.parse(device.config());
        SpiPort spi;
        GpioOutput panelOn, discharge, reset, border = null;
        GpioInput busy;
        RepaperClock clock;
        if (c.virtual()) {
            SpiWiring.Lines l = VirtualHardwareRegistry.standard().wiring(device, SpiWiring.class)
                    .open(device, c.spiMaxTransfer());
            spi = l.spi();
            panelOn = l.output("panel-on");
            discharge = l.output("discharge");
            reset = l.output("reset");
            if (c.panel().hasBorderGpio()) {
                border = l.output("border");
            }
            busy = l.input("busy");
            clock = new RepaperClock() {
                @Override
                public long nanoTime() {
                    return l.nanoTime();
                }

                @Override
                public Sleeper sleeper() {
                    return l.sleeper();
                }
            };
        } else {
            Pi4jHardware hw = new Pi4jHardware(device, Pi4jHardware.contextOf(device));
            spi = hw.openSpi(c.spiBus(), c.spiCs(), c.spiSpeedHz(), c.spiMode(), c.spiMaxTransfer());
            panelOn = hw.openOutput("panel-on", c.panelOnGpio(), false);
            discharge = hw.openOutput("discharge", c.dischargeGpio(), false);
            reset = hw.openOutput("reset", c.resetGpio(), false);
            if (c.borderGpio() != RepaperConfig.NONE) {
                border = hw.openOutput("border", c.borderGpio(), false);
            }
            busy = hw.openInput("busy", c.busyGpio());
            // tests (and tools) may attach another clock to the bus device; the wall clock otherwise
            clock = device.busDevice().attachment(RepaperClock.class).orElse(RepaperClock.SYSTEM);
        }
        RepaperCog cog = new RepaperCog(c.panel(), c.g2(), spi, panelOn, discharge, reset, border, busy, clock);
        RepaperDisplay display = new RepaperDisplay(device, c, cog);
        display.startWorker();
        device.hardware().addOrReset("stop the refresh worker", display::stopWorker);
        return display;
    }
}
