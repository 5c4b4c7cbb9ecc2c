package org.paneld.daemon.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.paneld.daemon.server.AdminService;
import org.paneld.daemon.server.PaneldServer;
import org.paneld.daemon.server.ServerOptions;
import org.paneld.drivers.core.Bus;
import org.paneld.drivers.core.BusDevice;
import org.paneld.drivers.core.DeviceConfig;
import org.paneld.drivers.core.LifecycleTracker;
import org.paneld.drivers.core.VirtualHardware;
import org.paneld.drivers.core.VirtualHardwareRegistry;
import org.paneld.drivers.virtual.VirtualFbDriver;

/** An in-process paneld with {@code n} virtual-fb panels "fb0".."fbN-1" (320x240) on a Unix socket in a temp dir. */
final class BenchRig implements AutoCloseable {
    final Bus bus;
    final Path dir;
    final Path socket;
    final PaneldServer server;

    BenchRig(int panels) throws Exception {
        bus = new Bus("bench", new LifecycleTracker());
        VirtualFbDriver driver = new VirtualFbDriver();
        bus.registerDriver(driver);
        for (int i = 0; i < panels; i++) {
            DeviceConfig cfg = new DeviceConfig("bench panel " + i, Map.of("name", "fb" + i, "driver", "virtual-fb",
                    "backend", "virtual", "width", 320, "height", 240));
            BusDevice bd = new BusDevice("fb" + i, "virtual-fb", cfg);
            bd.attach(VirtualHardware.class, VirtualHardwareRegistry.standard().create(driver, cfg));
            bus.addAndBind(bd);
        }
        dir = Files.createTempDirectory(Path.of("/tmp"), "paneld-bench-");
        socket = dir.resolve("paneld.sock");
        server = new PaneldServer(ServerOptions.defaults().withSocketPath(socket), bus, AdminService.unsupported());
        server.start();
    }

    @Override
    public void close() throws Exception {
        server.close();
        bus.close();
        Files.deleteIfExists(socket);
        Files.deleteIfExists(dir);
    }

    /** The daemon logs through java.util.logging (slf4j-jdk14): keep the benchmark's output to its result lines. */
    static void quietLogs() {
        java.util.logging.LogManager.getLogManager().reset();
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.SEVERE);
    }

    static long percentile(long[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.floor(p * sorted.length))];
    }
}
