package org.paneld.drivers.spi;

import static org.junit.jupiter.api.Assertions.*;

import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInput;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.paneld.drivers.core.BusDevice;
import org.paneld.drivers.core.Device;
import org.paneld.drivers.core.DeviceConfig;
import org.paneld.drivers.core.Driver;
import org.paneld.drivers.core.Errno;
import org.paneld.drivers.core.LifecycleTracker;
import org.paneld.drivers.core.NoDeviceException;

/**
 * The Pi4J backend on Pi4J's mock providers: writes are split to the max transfer size, inputs
 * read the line, every object is in the hardware scope and leaves Pi4J's registry at release, and
 * after unplug every call fails with ENODEV before reaching Pi4J.
 */
class Pi4jHardwareTest {
    private final List<byte[]> written = new ArrayList<>();
    private final MockPi4jWire wire = new MockPi4jWire(new MockPi4jWire.Target() {
        @Override
        public void write(boolean dcHigh, byte[] bytes) {
            written.add(bytes);
        }

        @Override
        public void writeOption1(byte[] packed) {
        }

        @Override
        public void reset(boolean high) {
        }

        @Override
        public void backlight(int percent) {
        }

        @Override
        public byte[] read(int cmd, int len) {
            return new byte[len];
        }
    });

    @AfterEach
    void shutdown() {
        wire.shutdown();
    }

    private Device device() {
        Driver none = new Driver() {
            @Override
            public String name() {
                return "none";
            }

            @Override
            public org.paneld.drivers.display.Display probe(Device d) {
                return null;
            }
        };
        return new Device(new BusDevice("epd0", "none", DeviceConfig.of("test")), none, new LifecycleTracker(), "test");
    }

    @Test
    void writesAreSplitAndObjectsLiveInTheHardwareScope() throws Exception {
        Device d = device();
        Pi4jHardware hw = new Pi4jHardware(d, wire.context());
        SpiPort spi = hw.openSpi(0, 1, 8_000_000, 0, 64);
        GpioOutput dc = hw.openOutput("dc", 22, false);
        GpioInput busy = hw.openInput("busy", 17);
        assertEquals(4, d.hardware().pending(), "spi, its private Pi4J context, dc, busy");
        byte[] data = new byte[1000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) i;
        }
        spi.write(data, 0, data.length);
        assertEquals(16, written.size());
        int total = 0;
        for (byte[] b : written) {
            assertTrue(b.length <= 64);
            for (byte x : b) {
                assertEquals((byte) total++, x);
            }
        }
        assertEquals(1000, total);
        MockDigitalInput in = wire.context().registry().get("paneld.epd0.busy");
        in.mockState(DigitalState.HIGH);
        assertTrue(busy.isHigh());
        in.mockState(DigitalState.LOW);
        assertFalse(busy.isHigh());
        dc.set(true);

        int calls = wire.callCount();
        d.guard().unplug();
        assertEquals(Errno.ENODEV, assertThrows(NoDeviceException.class, () -> spi.write(data, 0, 10)).errno());
        assertThrows(NoDeviceException.class, () -> dc.set(false));
        assertThrows(NoDeviceException.class, busy::isHigh);
        assertEquals(calls, wire.callCount(), "no Pi4J call after unplug");
        d.hardware().release();
        assertEquals(1, wire.spiClosed());
        assertTrue(wire.context().registry().all().isEmpty());
    }

    /**
     * Pi4J 2.8 takes an SPI device's chip select from its registry address, and its registry keeps
     * one address set for all I/O types: the chip select must survive, and SPI0.CE0 must coexist
     * with PWM channel 0 (GPIO 18, the usual backlight), BCM line 0, and a panel on SPI1.CE0.
     */
    @Test
    void theChipSelectReachesPi4jAndCe0CoexistsWithPwm0Bcm0AndAnotherBus() throws Exception {
        Device d = device();
        Pi4jHardware hw = new Pi4jHardware(d, wire.context());
        hw.openSpi(0, 0, 8_000_000, 0, 4096);
        com.pi4j.io.spi.SpiConfig first = wire.lastSpiConfig();
        assertEquals(0, first.bus().getBus());
        assertEquals(0, first.getChipSelect().getChipSelect(), "linuxfs opens /dev/spidev<bus>.<getChipSelect()>");
        hw.openPwm("backlight", 0);
        Device other = device();
        Pi4jHardware otherHw = new Pi4jHardware(other, wire.context());
        otherHw.openSpi(1, 0, 8_000_000, 0, 4096);
        otherHw.openOutput("dc", 1, false);
        assertEquals(1, wire.lastSpiConfig().bus().getBus());
        assertEquals(0, wire.lastSpiConfig().getChipSelect().getChipSelect());
        d.guard().unplug();
        d.hardware().release();
        other.guard().unplug();
        other.hardware().release();
        Device third = device();
        Pi4jHardware thirdHw = new Pi4jHardware(third, wire.context());
        thirdHw.openSpi(0, 0, 8_000_000, 0, 4096);
        thirdHw.openOutput("dc", 0, false); // BCM line 0 beside SPI0.CE0 (both address 0 to Pi4J)
        third.guard().unplug();
        third.hardware().release();
        assertEquals(3, wire.spiClosed());
        assertTrue(wire.context().registry().all().isEmpty());
    }

    @Test
    void aMissingContextIsENODEV() {
        Device d = device();
        assertEquals(Errno.ENODEV, assertThrows(org.paneld.drivers.core.DeviceException.class,
                () -> Pi4jHardware.contextOf(d)).errno());
    }

    @Test
    void theDaemonsContextHasExactlyLinuxfsSpiGpiodLinesAndLinuxfsPwmNeverPigpio() throws Exception {
        com.pi4j.context.Context c = Pi4jHardware.newContext();
        try {
            assertEquals(java.util.Set.of("linuxfs-spi", "gpiod-digital-output", "gpiod-digital-input", "linuxfs-pwm"),
                    c.providers().all().keySet());
            assertEquals("linuxfs-spi", c.provider(com.pi4j.io.IOType.SPI).id());
            assertEquals("gpiod-digital-output", c.provider(com.pi4j.io.IOType.DIGITAL_OUTPUT).id());
            assertEquals("gpiod-digital-input", c.provider(com.pi4j.io.IOType.DIGITAL_INPUT).id());
            assertEquals("linuxfs-pwm", c.provider(com.pi4j.io.IOType.PWM).id());
            assertTrue(c.providers().all().keySet().stream().noneMatch(id -> id.contains("pigpio")));
        } finally {
            c.shutdown();
        }
    }
}
