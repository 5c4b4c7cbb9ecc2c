package org.paneld.drivers.spi;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.io.IO;
import com.pi4j.io.IOType;
import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalInputConfig;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalOutputConfig;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.gpio.digital.PullResistance;
import com.pi4j.io.pwm.Pwm;
import com.pi4j.io.pwm.PwmConfig;
import com.pi4j.io.pwm.PwmType;
import com.pi4j.io.spi.Spi;
import com.pi4j.io.spi.SpiBus;
import com.pi4j.io.spi.SpiChipSelect;
import com.pi4j.io.spi.SpiConfig;
import com.pi4j.io.spi.SpiMode;
import com.pi4j.provider.Provider;
import java.io.IOException;
import java.util.Objects;
import org.paneld.drivers.core.Device;
import org.paneld.drivers.core.DeviceException;
import org.paneld.drivers.core.Errno;

/**
 * Opens the Pi4J 2.8 objects of one device (linuxfs SPI on /dev/spidevB.C, gpiod digital lines
 * by BCM number, linuxfs PWM) and wraps them in our {@link SpiPort} / {@link GpioOutput} /
 * {@link GpioInput}. Every Pi4J object is created here, at probe, and registered in the device's
 * hardware scope with its release (an SPI device is closed — Pi4J 2.8's shutdown leaves its file
 * open — and every object is shut down with {@code context.shutdown(id)}, which takes it out of
 * Pi4J's registry so a rebind can create it again) as the release action; every later Pi4J call runs
 * inside the device's unplug guard.
 *
 * <p>Providers: the real ids ({@value #SPI_PROVIDER}, {@value #OUTPUT_PROVIDER},
 * {@value #INPUT_PROVIDER}, {@value #PWM_PROVIDER}) when the context has them; otherwise the
 * context's provider of that I/O type (tests build a context with Pi4J's mock providers, so the
 * same code runs). Lifetime: used during probe only; the objects it makes live in the hardware
 * scope. Threads: the probing thread.
 */
public final class Pi4jHardware {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Pi4jHardware.class);
    public static final String SPI_PROVIDER = "linuxfs-spi";
    public static final String OUTPUT_PROVIDER = "gpiod-digital-output";
    public static final String INPUT_PROVIDER = "gpiod-digital-input";
    public static final String PWM_PROVIDER = "linuxfs-pwm";
    /** Backlight PWM frequency. */
    public static final int PWM_FREQUENCY_HZ = 1000;

    private final Device device;
    private final Context context;
    private final String idPrefix;

    public Pi4jHardware(Device device, Context context) {
        this.device = Objects.requireNonNull(device);
        this.context = Objects.requireNonNull(context);
        this.idPrefix = "paneld." + device.name().replaceAll("[^A-Za-z0-9_.-]", "_") + ".";
    }

    /**
     * Where spidev's transfer buffer size is read (the module parameter {@code bufsiz}, default
     * 4096, raised with {@code spidev.bufsiz=65536} on the kernel command line). The default is
     * {@link #SYSFS}; tests attach another to the bus device. Immutable.
     */
    public record SpidevBufsiz(java.nio.file.Path file) {
        public static final SpidevBufsiz SYSFS = new SpidevBufsiz(java.nio.file.Path.of("/sys/module/spidev/parameters/bufsiz"));

        /** The one attached to {@code device}'s bus device, else {@link #SYSFS}. */
        public static SpidevBufsiz of(Device device) {
            return device.busDevice().attachment(SpidevBufsiz.class).orElse(SYSFS);
        }
    }

    /** spidev's default bufsiz, used when the module parameter cannot be found. */
    public static final int SPIDEV_DEFAULT_BUFSIZ = 4096;

    /**
     * The largest single transfer for {@code device}: the configured {@code spi_max_transfer}
     * ({@code configured > 0}) or spidev's bufsiz (even, at most 65536), logged. Pi4J 2.8's
     * linuxfs SPI sends a write as one SPI_IOC_MESSAGE, which the kernel refuses (EMSGSIZE, which
     * Pi4J turns into "0 bytes written") when it is longer than bufsiz: so a configured value
     * above bufsiz is refused here.
     *
     * @throws DeviceException EINVAL naming the file when it holds no number, or naming the key
     *                         when the configured value exceeds bufsiz
     */
    public static int maxTransfer(Device device, int configured) throws DeviceException {
        java.nio.file.Path f = SpidevBufsiz.of(device).file();
        int bufsiz;
        String text;
        try {
            text = java.nio.file.Files.readString(f).trim();
        } catch (java.nio.file.NoSuchFileException e) {
            LOG.warn("{}: {} does not exist (spidev not loaded?); assuming spidev's default bufsiz {}", device.name(),
                    f, SPIDEV_DEFAULT_BUFSIZ);
            text = null;
        } catch (IOException e) {
            throw new DeviceException(Errno.EIO, device.name() + ": cannot read spidev's buffer size from " + f + ": " + e);
        }
        if (text == null) {
            bufsiz = SPIDEV_DEFAULT_BUFSIZ;
        } else {
            try {
                bufsiz = Integer.parseInt(text);
            } catch (NumberFormatException e) {
                bufsiz = -1;
            }
            if (bufsiz < 2) {
                throw new DeviceException(Errno.EINVAL, device.name() + ": " + f + " holds '" + abbreviate(text)
                        + "', not spidev's buffer size (a positive number of bytes)");
            }
        }
        if (configured > 0) {
            if (configured > bufsiz) {
                throw new DeviceException(Errno.EINVAL, device.name() + ": spi_max_transfer = " + configured
                        + " exceeds spidev's buffer (bufsiz = " + bufsiz + " in " + f + "): lower spi_max_transfer, or"
                        + " raise the buffer with spidev.bufsiz=" + Math.max(65536, configured)
                        + " on the kernel command line (/boot/firmware/cmdline.txt)");
            }
            LOG.info("{}: spidev bufsiz {} ({}), spi_max_transfer {} (configured)", device.name(), bufsiz, f, configured);
            return configured;
        }
        int max = Math.min(65536, bufsiz) & ~1;
        LOG.info("{}: spidev bufsiz {} ({}), spi_max_transfer {}", device.name(), bufsiz, f, max);
        return max;
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }

    /**
     * The daemon's Pi4J context, its providers chosen explicitly: linuxfs SPI
     * ({@value #SPI_PROVIDER}), gpiod digital lines ({@value #OUTPUT_PROVIDER},
     * {@value #INPUT_PROVIDER}; the gpiod plugin uses the first GPIO chip whose label contains
     * "pinctrl", never a chip number, so the Pi 5's RP1 header chip is found whether the kernel
     * calls it gpiochip4 or gpiochip0) and linuxfs PWM ({@value #PWM_PROVIDER}, pwmchip of the
     * RP1 on a Pi 5, else the legacy one). No auto-detection: on a Pi 0–4 Pi4J's auto-detection
     * would prefer pigpio's SPI (priority 100 over linuxfs's 50) when its jar is present, and
     * pigpio needs root. Threads: the starting thread; the context then lives until shutdown.
     */
    public static Context newContext() {
        int pwmChip = com.pi4j.boardinfo.util.BoardInfoHelper.usesRP1()
                ? com.pi4j.plugin.linuxfs.internal.LinuxPwm.DEFAULT_RP1_PWM_CHIP
                : com.pi4j.plugin.linuxfs.internal.LinuxPwm.DEFAULT_LEGACY_PWM_CHIP;
        return Pi4J.newContextBuilder().noAutoDetect()
                .add(com.pi4j.plugin.linuxfs.provider.spi.LinuxFsSpiProvider.newInstance(),
                        com.pi4j.plugin.gpiod.provider.gpio.digital.GpioDDigitalOutputProvider.newInstance(),
                        com.pi4j.plugin.gpiod.provider.gpio.digital.GpioDDigitalInputProvider.newInstance(),
                        com.pi4j.plugin.linuxfs.provider.pwm.LinuxFsPwmProvider.newInstance(
                                com.pi4j.plugin.linuxfs.internal.LinuxPwm.DEFAULT_SYSTEM_PATH, pwmChip))
                .disableShutdownHook() // the daemon shuts the context down itself, after its panels
                .build();
    }

    /** The Pi4J context attached to the bus device by the daemon (backend = "spi"). */
    public static Context contextOf(Device device) throws DeviceException {
        return device.busDevice().attachment(Context.class).orElseThrow(() -> new DeviceException(Errno.ENODEV,
                device.name() + ": no Pi4J context attached (backend \"spi\" needs the daemon's Pi4J context)"));
    }

    private String provider(String real, IOType type) {
        if (context.hasProvider(real)) {
            return real;
        }
        return context.provider(type).id();
    }

    private <T extends IO> T register(String what, String id, T io) throws Exception {
        return register(what, id, io, context);
    }

    private <T extends IO> T register(String what, String id, T io, Context owner) throws Exception {
        device.hardware().addOrReset("pi4j " + what + " (" + id + ")", () -> {
            try {
                if (io instanceof Spi) {
                    ((Spi) io).close(); // Pi4J 2.8's shutdown does not close an SPI device's file
                }
            } finally {
                if (owner.registry().exists(id)) {
                    owner.shutdown(id);
                }
            }
        });
        return io;
    }

    private static DeviceException failed(String what, RuntimeException e) {
        return new DeviceException(Errno.EIO, "cannot open " + what + ": " + e.getMessage(), e);
    }

    /** Opens /dev/spidev{@code bus}.{@code cs} with one clock, {@code speedHz}, for every transfer. */
    public SpiPort openSpi(int bus, int cs, int speedHz, int mode, int maxTransfer) throws Exception {
        return openSpi(bus, cs, speedHz, mode, maxTransfer, new int[0]);
    }

    /**
     * Opens /dev/spidev{@code bus}.{@code cs}, once per distinct clock of {@code speedHz} (pixel
     * data) and {@code slowerClocks} (commands, reads): Pi4J 2.8's linuxfs SPI puts its config's
     * baud into {@code speed_hz} of every {@code SPI_IOC_MESSAGE} it sends, and spidev honours a
     * transfer's own {@code speed_hz} (the {@code SPI_IOC_WR_MAX_SPEED_HZ} each open sets is only
     * the default for transfers that carry none). So one Pi4J handle per clock on the same
     * chip select gives per-transfer clocks, as the kernel's mipi_dbi does; the port picks the
     * handle by the clock a transfer asks for.
     *
     * <p>Pi4J 2.8 derives an SPI device's chip select from its registry address, and its registry
     * keeps one address set for every I/O type: SPI0.CE0 (address 0) would collide with PWM
     * channel 0 (GPIO 18, the usual backlight), with BCM line 0, with a second panel on SPI1.CE0
     * and with this device's other handles. So each handle gets a private Pi4J context (its own
     * registry) holding a fresh instance of the shared context's SPI provider, and is created
     * there at address = chip select. The private contexts are shut down with the device, in the
     * hardware scope.
     *
     * @param maxTransfer  largest single transfer (spidev bufsiz), rounded down to even
     * @param slowerClocks further clocks the port may be asked for (each at most {@code speedHz})
     */
    public SpiPort openSpi(int bus, int cs, int speedHz, int mode, int maxTransfer, int... slowerClocks)
            throws Exception {
        String what = "spi /dev/spidev" + bus + "." + cs;
        java.util.TreeSet<Integer> distinct = new java.util.TreeSet<>(java.util.Comparator.reverseOrder());
        distinct.add(speedHz);
        for (int hz : slowerClocks) {
            if (hz <= 0 || hz > speedHz) {
                throw new DeviceException(Errno.EINVAL, what + ": clock " + hz + " Hz is not within 1.." + speedHz);
            }
            distinct.add(hz);
        }
        int[] clocks = new int[distinct.size()];
        Spi[] handles = new Spi[clocks.length];
        int i = 0;
        for (int hz : distinct) {
            clocks[i] = hz;
            handles[i] = openSpiHandle(what, i == 0 ? idPrefix + "spi" : idPrefix + "spi@" + hz, bus, cs, hz, mode);
            i++;
        }
        return new Pi4jSpiPort(device.guard(), handles, clocks, what, maxTransfer);
    }

    private Spi openSpiHandle(String what, String id, int bus, int cs, int hz, int mode) throws Exception {
        Context spiContext = privateSpiContext(what);
        Spi spi;
        try {
            SpiConfig config = Spi.newConfigBuilder(spiContext)
                    .id(id)
                    .name(device.name() + " " + what + " at " + hz + " Hz")
                    .bus(SpiBus.getByNumber(bus))
                    .chipSelect(SpiChipSelect.getByNumber(cs)) // also the registry address
                    .baud(hz)
                    .mode(SpiMode.getByNumber(mode))
                    .provider(spiContext.provider(IOType.SPI).id())
                    .build();
            if (config.getChipSelect() == null || config.getChipSelect().getChipSelect() != cs) {
                throw new IllegalStateException("Pi4J lost the chip select of " + what);
            }
            spi = spiContext.create(config);
        } catch (RuntimeException e) {
            throw failed(what, e);
        }
        register(what, id, spi, spiContext);
        return spi;
    }

    /**
     * A context of its own for one SPI device, with a fresh instance of the shared context's SPI
     * provider (linuxfs on a Pi, the mock plugin's in tests), made by its public no-argument
     * constructor, or by the provider itself when it is a {@code Supplier<Provider>}; registered
     * in the hardware scope.
     */
    private Context privateSpiContext(String what) throws Exception {
        Provider shared = context.provider(provider(SPI_PROVIDER, IOType.SPI));
        Provider fresh;
        try {
            if (shared instanceof java.util.function.Supplier) {
                // a provider that makes its own fresh instances (the tests' wired mocks)
                fresh = (Provider) ((java.util.function.Supplier<?>) shared).get();
            } else {
                fresh = shared.getClass().getConstructor().newInstance();
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new DeviceException(Errno.EIO, "cannot open " + what + ": the SPI provider "
                    + shared.getClass().getName() + " cannot be instantiated (" + e + ")", e);
        }
        Context spiContext = Pi4J.newContextBuilder().noAutoDetect().add(fresh).build();
        device.hardware().addOrReset("pi4j context of " + what, spiContext::shutdown);
        return spiContext;
    }
    /** Opens BCM line {@code bcm} as an output driven to {@code initialHigh}. */
    public GpioOutput openOutput(String role, int bcm, boolean initialHigh) throws Exception {
        String what = "gpio " + bcm + " (" + role + ")";
        String id = idPrefix + role;
        DigitalOutput out;
        try {
            DigitalOutputConfig config = DigitalOutput.newConfigBuilder(context)
                    .id(id)
                    .name(device.name() + " " + what)
                    .address(bcm)
                    .initial(initialHigh ? DigitalState.HIGH : DigitalState.LOW)
                    .provider(provider(OUTPUT_PROVIDER, IOType.DIGITAL_OUTPUT))
                    .build();
            out = context.create(config);
        } catch (RuntimeException e) {
            throw failed(what, e);
        }
        register(what, id, out);
        return new Pi4jGpioOutput(device.guard(), out, what);
    }

    /** Opens BCM line {@code bcm} as an input (no pull). */
    public GpioInput openInput(String role, int bcm) throws Exception {
        String what = "gpio " + bcm + " (" + role + ")";
        return new Pi4jGpioInput(device.guard(), createInput(role, bcm, PullResistance.OFF), what);
    }

    /**
     * Opens BCM line {@code bcm} as an active-low interrupt line with the pull-up on (a touch
     * controller's open-drain PENIRQ/INT); edges reach {@link IrqLine#awaitActive} through
     * Pi4J's state listener.
     */
    public IrqLine openIrq(String role, int bcm) throws Exception {
        String what = "gpio " + bcm + " (" + role + ")";
        return new Pi4jIrqLine(device.guard(), createInput(role, bcm, PullResistance.PULL_UP), what);
    }

    private DigitalInput createInput(String role, int bcm, PullResistance pull) throws Exception {
        String what = "gpio " + bcm + " (" + role + ")";
        String id = idPrefix + role;
        DigitalInput in;
        try {
            DigitalInputConfig config = DigitalInput.newConfigBuilder(context)
                    .id(id)
                    .name(device.name() + " " + what)
                    .address(bcm)
                    .pull(pull)
                    .provider(provider(INPUT_PROVIDER, IOType.DIGITAL_INPUT))
                    .build();
            in = context.create(config);
        } catch (RuntimeException e) {
            throw failed(what, e);
        }
        return register(what, id, in);
    }

    /**
     * Opens BCM line {@code bcm} as a time-stamped input for a controller's TE output (pull-down,
     * no debounce): a Pi4J listener (gpiod edge events on a Pi; the mock plugin's
     * {@code mockState} in tests) stamps each edge with {@link System#nanoTime()}.
     */
    public EdgeInput openEdgeInput(String role, int bcm) throws Exception {
        String what = "gpio " + bcm + " (" + role + ")";
        String id = idPrefix + role;
        DigitalInput in;
        try {
            DigitalInputConfig config = DigitalInput.newConfigBuilder(context)
                    .id(id)
                    .name(device.name() + " " + what)
                    .address(bcm)
                    .pull(PullResistance.PULL_DOWN) // an unwired pin stays low instead of floating into false edges
                    .debounce(0L)
                    .provider(provider(INPUT_PROVIDER, IOType.DIGITAL_INPUT))
                    .build();
            in = context.create(config);
        } catch (RuntimeException e) {
            throw failed(what, e);
        }
        register(what, id, in);
        Pi4jEdgeInput edge = new Pi4jEdgeInput(device.guard(), in, what);
        in.addListener(edge::changed);
        return edge;
    }

    /** Opens hardware PWM channel {@code channel} (pwmchip0/pwmN), initially off. */
    public GpioOutput openPwm(String role, int channel) throws Exception {
        String what = "pwm " + channel + " (" + role + ")";
        String id = idPrefix + role;
        Pwm pwm;
        try {
            PwmConfig config = Pwm.newConfigBuilder(context)
                    .id(id)
                    .name(device.name() + " " + what)
                    .address(channel)
                    .pwmType(PwmType.HARDWARE)
                    .frequency(PWM_FREQUENCY_HZ)
                    .initial(0)
                    .provider(provider(PWM_PROVIDER, IOType.PWM))
                    .build();
            pwm = context.create(config);
        } catch (RuntimeException e) {
            throw failed(what, e);
        }
        register(what, id, pwm);
        return new Pi4jPwmOutput(device.guard(), pwm, what);
    }

    /** The EIO a Pi4J failure inside the guard becomes, for the Pi4j* ports and lines. */
    static DeviceException ioError(String what, String op, RuntimeException e) {
        return new DeviceException(Errno.EIO, what + ": " + op + " failed: " + e.getMessage(), e);
    }
}
