package org.paneld.daemon.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.paneld.client.PaneldClient;
import org.paneld.drivers.core.Binding;
import org.paneld.drivers.core.DeviceException;
import org.paneld.drivers.core.Errno;
import org.paneld.drivers.core.VirtualHardware;
import org.paneld.drivers.pixel.RgbImage;
import org.paneld.drivers.testkit.LifecycleKit;

/**
 * An in-process paneld for tests: the kit's virtual bus with virtual-fb panels "fb0" (64x48) and
 * "fb1" (32x16), a real {@link PaneldServer} on a Unix socket in a fresh temp dir and on TCP
 * loopback, and an admin service over the bus. Lifetime: one test ({@link #close()} before the
 * kit's end-of-test checks).
 */
final class TestDaemon implements AutoCloseable {
    final LifecycleKit kit;
    final Path dir;
    final Path socket;
    final PaneldServer server;
    private final List<PaneldClient> clients = new ArrayList<>();

    TestDaemon(LifecycleKit kit) throws Exception {
        this(kit, ServerOptions.defaults());
    }

    TestDaemon(LifecycleKit kit, ServerOptions base) throws Exception {
        this.kit = kit;
        kit.addVirtual("fb0", "virtual-fb", "width", 64, "height", 48);
        kit.addVirtual("fb1", "virtual-fb", "width", 32, "height", 16);
        kit.bind("fb0");
        kit.bind("fb1");
        dir = Files.createTempDirectory(Path.of("/tmp"), "paneld-test-");
        socket = dir.resolve("paneld.sock");
        server = new PaneldServer(base.withSocketPath(socket).withTcp("127.0.0.1", 0), kit.bus(), new KitAdmin(kit));
        server.start();
    }

    PaneldClient unix() throws IOException {
        PaneldClient c = PaneldClient.connect(socket);
        c.setTimeout(10_000);
        clients.add(c);
        return c;
    }

    PaneldClient tcp() throws IOException {
        PaneldClient c = PaneldClient.connectTcp("127.0.0.1", server.tcpPort());
        c.setTimeout(10_000);
        clients.add(c);
        return c;
    }

    PaneldClient client(boolean unix) throws IOException {
        return unix ? unix() : tcp();
    }

    RgbImage snapshot(String name) {
        return kit.bus().device(name).orElseThrow().attachment(VirtualHardware.class).orElseThrow().snapshot();
    }

    @Override
    public void close() throws IOException {
        for (PaneldClient c : clients) {
            c.close();
        }
        server.close();
        try (var s = Files.list(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Files.deleteIfExists(p);
            }
        }
        Files.deleteIfExists(dir);
    }

    /** Admin over the kit's bus: unplug = surprise removal of the binding, replug = bind again. */
    static final class KitAdmin implements AdminService {
        private final LifecycleKit kit;

        KitAdmin(LifecycleKit kit) {
            this.kit = kit;
        }

        @Override
        public List<String> status() {
            List<String> out = new ArrayList<>(kit.tracker().listing());
            for (Binding b : kit.bus().bindings()) {
                out.add("binding " + b.device().id() + " " + b.driver().name());
            }
            return out;
        }

        @Override
        public void bind(String device) throws DeviceException {
            kit.bus().bind(device);
        }

        @Override
        public void unbind(String device) throws DeviceException {
            kit.bus().unbind(device);
        }

        @Override
        public void unplug(String device) throws DeviceException {
            kit.bus().binding(device).orElseThrow(() -> new DeviceException(Errno.ENOENT, device + " is not bound")).yank();
        }

        @Override
        public void replug(String device) throws DeviceException {
            kit.bus().bind(device);
        }

        @Override
        public RgbImage snapshot(String device) throws DeviceException {
            return kit.bus().device(device).flatMap(d -> d.attachment(VirtualHardware.class))
                    .orElseThrow(() -> new DeviceException(Errno.ENOENT, "no virtual device " + device)).snapshot();
        }
    }
}
