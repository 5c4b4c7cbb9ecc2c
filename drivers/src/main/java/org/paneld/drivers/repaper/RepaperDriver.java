package org.paneld.drivers.repaper;

import java.util.Optional;
import org.paneld.drivers.core.ConfigException;
import org.paneld.drivers.core.Device;
import org.paneld.drivers.core.DeviceConfig;
import org.paneld.drivers.core.DeviceException;
import org.paneld.drivers.core.Driver;
import org.paneld.drivers.core.Errno;
import org.paneld.drivers.core.VirtualHardware;
import org.paneld.drivers.display.Display;
import org.paneld.drivers.spi.GpioInput;
import org.paneld.drivers.spi.GpioOutput;
import org.paneld.drivers.spi.Pi4jHardware;
import org.paneld.drivers.spi.SpiPort;
import org.paneld.drivers.virtual.VirtualRepaper;

/**
 * The repaper driver ("repaper"): Pervasive Displays e-paper panels with a COG G2 (or G1)
 * driver chip — 1.44", 1.9", 2.0", 2.7" — as the kernel's drivers/gpu/drm/tiny/repaper.c drives
 * them. Config keys: see {@link RepaperConfig}. With backend "spi" it opens, through Pi4J, the
 * SPI device and the panel-on, discharge, reset, border (2.7") and BUSY lines; with backend
 * "virtual" it connects to the bus device's {@link VirtualRepaper} and runs on its logical
 * clock. With "spi" the refresh timing runs on the wall clock unless a {@link RepaperClock} is
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
    public Optional<VirtualHardware> createVirtual(DeviceConfig config) throws ConfigException {
        RepaperConfig c = RepaperConfig.parse(config);
        // the film's ambient temperature is what the driver is told (sensor file or config), so a
        // driver that ignored it would under-drive the virtual panel in the cold
        Temperature t = new Temperature(c.temperature(), c.temperatureSensor());
        return Optional.of(new VirtualRepaper(c.panel(), c.g2(), c.rotation(), c.spiSpeedHz(), t::celsius));
    }

    @Override
    public Display probe(Device device) throws Exception {
        RepaperConfig c = RepaperConfig.parse(device.config());
        SpiPort spi;
        GpioOutput panelOn, discharge, reset, border = null;
        GpioInput busy;
        RepaperClock clock;
        if (c.virtual()) {
            VirtualHardware vh = device.busDevice().attachment(VirtualHardware.class).orElseThrow(() -> new DeviceException(
                    Errno.ENODEV, device.name() + ": backend \"virtual\" but no virtual panel is attached"));
            if (!(vh instanceof VirtualRepaper)) {
                throw new DeviceException(Errno.ENODEV, device.name() + ": the attached virtual hardware is a "
                        + vh.getClass().getSimpleName() + ", not a virtual repaper");
            }
            VirtualRepaper v = (VirtualRepaper) vh;
            if (v.panel() != c.panel()) {
                throw new DeviceException(Errno.ENODEV, device.name() + ": the virtual panel is a " + v.panel().configName()
                        + ", the config says " + c.panel().configName());
            }
            VirtualRepaper.Connection conn = v.connect(device.guard());
            device.hardware().addOrReset("disconnect from the virtual repaper", conn::close);
            spi = conn.spi();
            panelOn = conn.panelOn();
            discharge = conn.discharge();
            reset = conn.reset();
            if (c.panel().hasBorderGpio()) {
                border = conn.border();
            }
            busy = conn.busy();
            clock = v.clock();
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
