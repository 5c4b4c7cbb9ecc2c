package org.paneld.drivers.repaper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The panel's temperature and the stage-time factor it implies (e-paper particles move slower
 * in the cold). The sensor file, when configured, holds milli-°C (a Linux thermal zone's
 * {@code temp}); it is read before every refresh; when it cannot be read the configured
 * {@code temperature} is used and a warning is logged. Lifetime: the hardware binding.
 * Threads: the refresh worker.
 */
public final class Temperature {
    private static final Logger LOG = LoggerFactory.getLogger(Temperature.class);
    private final int fallback;
    private final Path sensor;

    public Temperature(int fallbackCelsius, String sensorPath) {
        this.fallback = fallbackCelsius;
        this.sensor = sensorPath == null ? null : Path.of(sensorPath);
    }

    /** Reads the sensor file: an integer in milli-°C. */
    public static int readMilliCelsius(Path file) throws IOException {
        String s = new String(Files.readAllBytes(file), StandardCharsets.US_ASCII).trim();
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new IOException(file + ": not a temperature in milli-°C: '" + (s.length() > 20 ? s.substring(0, 20) + "…" : s) + "'");
        }
    }

    /** The temperature in °C now. */
    public int celsius() {
        if (sensor == null) {
            return fallback;
        }
        try {
            return readMilliCelsius(sensor) / 1000;
        } catch (IOException e) {
            LOG.warn("temperature sensor {}: {}; using {} °C", sensor, e.getMessage(), fallback);
            return fallback;
        }
    }

    /**
     * The stage-time factor ×10 for {@code celsius}, as the kernel's repaper_get_temperature:
     * ≤ -10: 17, ≤ -5: 12, ≤ 5: 8, ≤ 10: 4, ≤ 15: 3, ≤ 20: 2, ≤ 40: 1, above: 0.7.
     */
    public static int factor10x(int celsius) {
        if (celsius <= -10) return 170;
        if (celsius <= -5) return 120;
        if (celsius <= 5) return 80;
        if (celsius <= 10) return 40;
        if (celsius <= 15) return 30;
        if (celsius <= 20) return 20;
        if (celsius <= 40) return 10;
        return 7;
    }

    /** The factored stage time in ms for a panel's nominal one. */
    public static int stageTimeMs(int nominalMs, int celsius) {
        return nominalMs * factor10x(celsius) / 10;
    }
}
