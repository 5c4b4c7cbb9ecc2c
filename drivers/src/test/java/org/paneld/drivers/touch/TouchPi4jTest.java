package org.paneld.drivers.touch;

import static org.junit.jupiter.api.Assertions.*;

import com.pi4j.context.Context;
import com.pi4j.io.spi.SpiConfig;
import com.pi4j.io.spi.SpiMode;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInput;
import com.pi4j.plugin.mock.provider.i2c.MockI2C;
import com.pi4j.plugin.mock.provider.i2c.MockI2CProviderImpl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.paneld.drivers.core.BusDevice;
import org.paneld.drivers.core.DeviceConfig;
import org.paneld.drivers.core.Driver;
import org.paneld.drivers.display.TouchEvent;
import org.paneld.drivers.display.TouchInput;
import org.paneld.drivers.mipidbi.MipiDbiDrivers;
import org.paneld.drivers.pixel.Framebuffer;
import org.paneld.drivers.pixel.PixelFormat;
import org.paneld.drivers.spi.MockPi4jWire;
import org.paneld.drivers.spi.Pi4jHardware;
import org.paneld.drivers.spi.Sleeper;
import org.paneld.drivers.testkit.LifecycleKit;
import org.paneld.drivers.virtual.DbiModel;
import org.paneld.drivers.virtual.VirtualDbiPanel;
import org.paneld.drivers.virtual.VirtualFt6236;
import org.paneld.drivers.virtual.VirtualStmpe610;
import org.paneld.drivers.virtual.VirtualXpt2046;

/**
 * The Pi4J path of a touch controller (backend "spi"): the Watterott RPi-Display's ADS7846 on
 * chip select 1 of the panel's Pi4J SPI bus at 2 MHz, its pen-down line a Pi4J digital input
 * (mock plugin) with the pull-up, edges through Pi4J's listener; Pi4J's MockSpi on CE1 is wired
 * to the XPT2046 emulator and the mock input follows its PENIRQ. Taps arrive where the finger
 * is, frames still arrive intact, every Pi4J call runs inside the device's guard, and unbind
 * takes the Pi4J objects out of the registry so a rebind opens them again. And the PiTFT
 * capacitive's FT6236 through Pi4J's I2C (a mock I2C device answering from the FT6236 emulator's
 * registers) on /dev/i2c-1 at 0x38. And the PiTFT resistive's STMPE610 on CE1 at 500 kHz in SPI
 * mode 0 (what the kernel's stmpe-spi gets from the pitft28-resistive overlay and writes into
 * the chip's SPI_CFG), its INT on GPIO 24, its GPIO2 the panel's backlight.
 */
class TouchPi4jTest {
    @RegisterExtension
    final LifecycleKit kit = new LifecycleKit(MipiDbiDrivers.all().toArray(new Driver[0]));

    @TempDir
    Path tmp;

    private MockPi4jWire wire;

    @AfterEach
    void shutdown() {
        if (wire != null) {
            for (String call : wire.calls()) {
                assertFalse(call.startsWith("UNGUARDED"), "a Pi4J call outside the device's guard: " + call);
            }
            wire.shutdown();
        }
    }

    @Test
    void theWatterottAds7846OnChipSelect1() throws Exception {
        VirtualDbiPanel panel = new VirtualDbiPanel(DbiModel.mi0283qt());
        VirtualXpt2046 chip = new VirtualXpt2046(320, 240, 10, 5);
        wire = new MockPi4jWire(panelTarget(panel));
        Context ctx = wire.context();
        ChipOnCe1 penirq = new ChipOnCe1(wire, chip::lineActive, chip::wire);
        wire.requireGuard(() -> kit.bus().binding("lcd0").map(b -> b.device().guard()).orElse(null));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("driver", "mi0283qt");
        m.put("dc_gpio", 24);
        m.put("reset_gpio", 23);
        m.put("backlight_gpio", 18);
        m.put("touch.driver", "ads7846");
        m.put("touch.spi_cs", 1);
        m.put("touch.irq_gpio", 25);
        BusDevice bd = new BusDevice("lcd0", "mi0283qt", new DeviceConfig("test watterott", m));
        bd.attach(Context.class, ctx);
        Path bufsiz = tmp.resolve("bufsiz");
        Files.writeString(bufsiz, "4096\n");
        bd.attach(Pi4jHardware.SpidevBufsiz.class, new Pi4jHardware.SpidevBufsiz(bufsiz));
        bd.attach(Sleeper.class, us -> panel.elapse(us * 1000)); // the waits the panel's timing checks expect
        kit.add(bd);
        for (int round = 0; round < 2; round++) { // the second round: a rebind opens the same Pi4J objects again
            kit.bind("lcd0");
            assertEquals(DigitalState.HIGH, penirq.attach(ctx), "pen up: PENIRQ high");
            TouchInput input = kit.device("lcd0").display().touch().orElseThrow();
            TouchRig rig = new TouchRig(input, penirq.finger(chip::press, chip::release));
            rig.calibrate(TouchRig.fivePoints(320, 240));
            rig.tap(200, 100);
            if (round == 0) { // panel and touch on one bus (enable blanks the whole panel through MockSpi: slow)
                kit.device("lcd0").enable();
                Framebuffer f = Framebuffer.allocate(320, 240, PixelFormat.XRGB8888);
                kit.device("lcd0").flush(f, new org.paneld.drivers.pixel.Rect(0, 0, 320, 16));
            }
            rig.swipe(20, 20, 300, 220, 5);
            assertEquals(2_000_000, penirq.hz, "the touch controller is clocked at 2 MHz");
            TouchEvent down = rig.down(160, 120);
            TouchRig.near(down, 160, 120);
            kit.bus().unbind("lcd0"); // finger still down: no UP
            chip.release();
            for (TouchEvent e : rig.events) {
                assertNotEquals(TouchEvent.Kind.UP, e.kind(), "an UP invented at unbind: " + e);
            }
            assertFalse(ctx.registry().exists("paneld.lcd0.touch-irq"), "the PENIRQ input left Pi4J's registry");
        }
        chip.assertNoViolations();
        panel.assertNoViolations();
    }

    @Test
    void thePitftCapacitiveFt6236OnI2c1() throws Exception {
        VirtualDbiPanel panel = new VirtualDbiPanel(DbiModel.mi0283qt());
        VirtualFt6236 chip = new VirtualFt6236(0x36, 320, 240, 1, 9);
        int[] opened = {-1, -1};
        MockI2CProviderImpl i2cProvider = new MockI2CProviderImpl() {
            @Override
            public com.pi4j.io.i2c.I2C create(com.pi4j.io.i2c.I2CConfig config) {
                opened[0] = config.bus();
                opened[1] = config.device();
                MockI2C i2c = new MockI2C(this, config) {
                    @Override
                    public int readRegister(int register, byte[] buffer, int offset, int length) {
                        chip.registerRead(register, buffer, offset, length);
                        return length;
                    }

                    @Override
                    public int writeRegister(int register, byte b) {
                        chip.registerWrite(register, b & 0xFF);
                        return 1;
                    }
                };
                this.context.registry().add(i2c);
                return i2c;
            }
        };
        wire = new MockPi4jWire(panelTarget(panel), i2cProvider);
        Context ctx = wire.context();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("driver", "mi0283qt");
        m.put("dc_gpio", 25);
        m.put("touch.driver", "ft6236");
        m.put("touch.irq_gpio", 24);
        BusDevice bd = new BusDevice("lcd0", "mi0283qt", new DeviceConfig("test pitft capacitive", m));
        bd.attach(Context.class, ctx);
        Path bufsiz = tmp.resolve("bufsiz");
        Files.writeString(bufsiz, "4096\n");
        bd.attach(Pi4jHardware.SpidevBufsiz.class, new Pi4jHardware.SpidevBufsiz(bufsiz));
        bd.attach(Sleeper.class, us -> panel.elapse(us * 1000));
        kit.add(bd);
        kit.bind("lcd0");
        assertArrayEquals(new int[] {1, 0x38}, opened, "/dev/i2c-1, address 0x38 by default");
        MockDigitalInput irq = (MockDigitalInput) ctx.registry().get("paneld.lcd0.touch-irq");
        Runnable mirror = () -> irq.mockState(chip.lineActive() ? DigitalState.LOW : DigitalState.HIGH);
        mirror.run();
        TouchInput input = kit.device("lcd0").display().touch().orElseThrow();
        TouchRig rig = new TouchRig(input, new TouchRig.Finger() {
            @Override
            public void press(int x, int y) {
                chip.press(x, y);
                mirror.run();
            }

            @Override
            public void lift() {
                chip.release();
                mirror.run();
            }
        });
        rig.calibrate(TouchRig.fivePoints(320, 240));
        rig.tap(100, 200);
        rig.swipe(300, 10, 10, 230, 4);
        kit.bus().unbind("lcd0");
        assertFalse(ctx.registry().exists("paneld.lcd0.touch-i2c"), "the I2C device left Pi4J's registry");
        chip.assertNoViolations();
    }

    @Test
    void thePitftResistiveStmpe610OnChipSelect1() throws Exception {
        VirtualDbiPanel panel = new VirtualDbiPanel(DbiModel.mi0283qt());
        VirtualStmpe610 chip = new VirtualStmpe610(320, 240, 10, 7);
        chip.setGpioListener(levels -> panel.setBacklight((levels & 0x04) != 0 ? 100 : 0)); // the board: GPIO2 drives the LED
        wire = new MockPi4jWire(panelTarget(panel));
        Context ctx = wire.context();
        ChipOnCe1 irq = new ChipOnCe1(wire, chip::lineActive, chip::wire);
        wire.requireGuard(() -> kit.bus().binding("lcd0").map(b -> b.device().guard()).orElse(null));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("driver", "mi0283qt");
        m.put("spi_speed_hz", 32_000_000);
        m.put("dc_gpio", 25); // no reset line, no backlight_gpio: the STMPE drives the backlight
        m.put("touch.driver", "stmpe610");
        m.put("touch.spi_cs", 1);
        m.put("touch.spi_speed_hz", 500_000);
        m.put("touch.irq_gpio", 24);
        m.put("touch.backlight", true);
        BusDevice bd = new BusDevice("lcd0", "mi0283qt", new DeviceConfig("test pitft resistive", m));
        bd.attach(Context.class, ctx);
        Path bufsiz = tmp.resolve("bufsiz");
        Files.writeString(bufsiz, "4096\n");
        bd.attach(Pi4jHardware.SpidevBufsiz.class, new Pi4jHardware.SpidevBufsiz(bufsiz));
        bd.attach(Sleeper.class, us -> panel.elapse(us * 1000));
        kit.add(bd);
        kit.bind("lcd0");
        SpiConfig cs1 = wire.spiConfigs().stream()
                .filter(c -> c.getChipSelect() != null && c.getChipSelect().getChipSelect() == 1)
                .reduce((a, b) -> fail("two Pi4J SPI devices on CE1: " + a + ", " + b)).orElseThrow();
        assertEquals(SpiMode.MODE_0, cs1.mode(), "the STMPE610 in SPI mode 0 (as the kernel and Adafruit drive it)");
        assertEquals(500_000, cs1.baud(), "the STMPE610's Pi4J SPI device at the configured 500 kHz");
        assertEquals(DigitalState.HIGH, irq.attach(ctx), "idle: INT high");
        TouchInput input = kit.device("lcd0").display().touch().orElseThrow();
        assertEquals("stmpe610", input.driver());
        TouchRig rig = new TouchRig(input, irq.finger(chip::press, chip::release));
        rig.calibrate(TouchRig.fivePoints(320, 240));
        rig.tap(200, 100);
        rig.tap(15, 225);
        rig.swipe(300, 20, 20, 220, 5);
        assertEquals(500_000, irq.hz, "the touch controller is clocked at 500 kHz");

        kit.device("lcd0").enable(); // the backlight: GPIO2 through the same Pi4J SPI device
        assertEquals(0x04, chip.gpioLevels() & 0x04, "enable: GPIO2 high, backlight on");
        assertEquals(100, panel.backlight());
        kit.device("lcd0").setProperty("backlight", 0);
        assertEquals(0, chip.gpioLevels() & 0x04, "backlight 0: GPIO2 low");
        kit.device("lcd0").setProperty("backlight", 40);
        assertEquals(0x04, chip.gpioLevels() & 0x04, "a GPIO backlight is on for any level above 0");
        rig.tap(160, 120); // touch still right after the panel's own traffic on CE0
        kit.device("lcd0").disable();
        assertEquals(0, chip.gpioLevels() & 0x04, "disable switches the backlight off");
        assertTrue(wire.calls().stream().anyMatch(c -> c.startsWith("spi cs1 ")), "the STMPE610's traffic went through Pi4J");

        TouchRig.near(rig.down(80, 60), 80, 60);
        kit.bus().unbind("lcd0"); // finger still down: no UP
        chip.release();
        for (TouchEvent e : rig.events) {
            assertNotEquals(TouchEvent.Kind.UP, e.kind(), "an UP invented at unbind: " + e);
        }
        assertFalse(ctx.registry().exists("paneld.lcd0.touch-irq"), "the INT input left Pi4J's registry");
        chip.assertNoViolations();
        panel.assertNoViolations();
    }

    /**
     * A touch chip on CE1 through MockSpi, its interrupt line mirrored into Pi4J's mock input
     * (the board's pull-up: high while idle) after every transfer and every finger move.
     */
    static final class ChipOnCe1 {
        final java.util.function.BooleanSupplier lineActive;
        volatile MockDigitalInput irq;
        volatile int hz;

        ChipOnCe1(MockPi4jWire wire, java.util.function.BooleanSupplier lineActive, MockPi4jWire.SecondChip chip) {
            this.lineActive = lineActive;
            wire.chipSelect1((tx, rx, len, clock) -> {
                hz = clock;
                chip.transfer(tx, rx, len, clock);
                mirror();
            });
        }

        void mirror() {
            MockDigitalInput in = irq;
            if (in != null) {
                in.mockState(lineActive.getAsBoolean() ? DigitalState.LOW : DigitalState.HIGH);
            }
        }

        /** The driver's interrupt input, once bound: mirrored from now on; its state. */
        DigitalState attach(Context ctx) {
            irq = (MockDigitalInput) ctx.registry().get("paneld.lcd0.touch-irq");
            mirror();
            return irq.state();
        }

        interface Press {
            void at(int x, int y);
        }

        TouchRig.Finger finger(Press press, Runnable release) {
            return new TouchRig.Finger() {
                @Override
                public void press(int x, int y) {
                    press.at(x, y);
                    mirror();
                }

                @Override
                public void lift() {
                    release.run();
                    mirror();
                }
            };
        }
    }

    /** The panel on CE0: MockPi4jWire's decoded wire into the emulated panel (every board here). */
    private static MockPi4jWire.Target panelTarget(VirtualDbiPanel panel) {
        return new MockPi4jWire.Target() {
            @Override
            public void write(boolean dcHigh, byte[] bytes) {
                panel.write(dcHigh, bytes, 0, bytes.length);
            }

            @Override
            public void writeOption1(byte[] packed) {
                panel.writeOption1(packed, 0, packed.length);
            }

            @Override
            public void reset(boolean high) {
                panel.setReset(!high);
            }

            @Override
            public void backlight(int percent) {
                panel.setBacklight(percent);
            }

            @Override
            public byte[] read(int cmd, int len) {
                return panel.read(cmd, len);
            }
        };
    }
}
