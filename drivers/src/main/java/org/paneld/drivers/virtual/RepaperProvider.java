package org.paneld.drivers.virtual;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntSupplier;
import org.paneld.drivers.core.ConfigException;
import org.paneld.drivers.core.DeviceConfig;
import org.paneld.drivers.core.VirtualHardware;
import org.paneld.drivers.core.VirtualHardwareProvider;
import org.paneld.drivers.spi.SpiWiring;

/**
 * The virtual e-paper panel ({@link VirtualRepaper}) for driver "repaper": the film named by
 * {@code panel}, a COG G2 ({@code cog = "g1"} makes a G1, which answers 0x00 to the id read), the
 * viewer's {@code rotation}, the SPI clock logical time charges ({@code spi_speed_hz}, 8 MHz), and
 * the film's ambient temperature: the {@code temperature_sensor} file (milli-°C) when it reads,
 * else {@code temperature} (25 °C), asked at every stage, so a driver that ignored the
 * temperature would under-drive the film in the cold. Drivers reach the panel as an
 * {@link SpiWiring}.
 *
 * <p>Registered in META-INF/services. Stateless; any thread.
 */
public final class RepaperProvider implements VirtualHardwareProvider {

    @Override
    public Set<String> drivers() {
        return Set.of("repaper");
    }

    @Override
    public VirtualHardware create(String driver, DeviceConfig c) throws ConfigException {
        List<String> names = new ArrayList<>();
        for (RepaperFilm f : RepaperFilm.values()) {
            names.add(f.configName());
        }
        if (!c.has("panel")) {
            throw c.error("panel", "missing; must be one of " + String.join(", ", names));
        }
        RepaperFilm film = RepaperFilm.byConfigName(c.oneOf("panel", null, names));
        boolean g2 = c.oneOf("cog", "g2", List.of("g2", "g1")).equals("g2");
        int rotation = (int) c.oneOf("rotation", 0, 0, 90, 180, 270);
        int spiHz = c.intValue("spi_speed_hz", 8_000_000, 100_000, 20_000_000);
        int fallback = c.intValue("temperature", 25, -40, 85);
        Path sensor = c.has("temperature_sensor") ? Path.of(c.string("temperature_sensor")) : null;
        IntSupplier ambient = sensor == null ? () -> fallback : () -> {
            try {
                return Integer.parseInt(new String(Files.readAllBytes(sensor), StandardCharsets.US_ASCII).trim()) / 1000;
            } catch (IOException | NumberFormatException e) {
                return fallback;
            }
        };
        return new VirtualRepaper(film, g2, rotation, spiHz, ambient);
    }

    @Override
    public <T> Optional<T> wiring(VirtualHardware hardware, Class<T> kind) {
        if (kind == SpiWiring.class && hardware instanceof VirtualRepaper) {
            return Optional.of(kind.cast(((VirtualRepaper) hardware).wiring()));
        }
        return Optional.empty();
    }
}
