package org.paneld.daemon.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.paneld.client.PaneldClient;
import org.paneld.daemon.config.HttpConfig;
import org.paneld.daemon.server.PaneldServer;
import org.paneld.daemon.server.ServerOptions;
import org.paneld.drivers.core.BusDevice;
import org.paneld.drivers.core.VirtualHardware;
import org.paneld.drivers.pixel.RgbImage;
import org.paneld.drivers.testkit.LifecycleKit;

/**
 * An in-process paneld with {@code [http]}: the kit's virtual-fb panels "fb0" (64x48) and "fb1"
 * (32x16), a real {@link PaneldServer} on a Unix socket, and the {@link HttpView} on its event
 * loops, wired as the daemon wires them. Lifetime: one test. Test helper.
 */
final class HttpRig implements AutoCloseable {
    final LifecycleKit kit;
    final Path dir;
    final PaneldServer server;
    final HttpMetrics metrics;
    final HttpView view;
    private final List<PaneldClient> clients = new ArrayList<>();

    HttpRig(LifecycleKit kit, HttpConfig http, long requestTimeoutMs) throws Exception {
        this.kit = kit;
        kit.addVirtual("fb0", "virtual-fb", "width", 64, "height", 48);
        kit.addVirtual("fb1", "virtual-fb", "width", 32, "height", 16);
        kit.bind("fb0");
        kit.bind("fb1");
        dir = Files.createTempDirectory(Path.of("/tmp"), "paneld-http-");
        server = new PaneldServer(ServerOptions.defaults().withSocketPath(dir.resolve("paneld.sock")), kit.bus(), null);
        server.start();
        metrics = new HttpMetrics(server::stats, () -> new long[] {server.budget().used(), server.budget().total()});
        kit.bus().bindings().forEach(metrics::deviceBound);
        kit.bus().addListener(metrics);
        server.sessions().setFlushObserver(metrics);
        view = new HttpView(http, server.acceptorLoops(), server.connectionLoops(), new PanelDirectory() {
            @Override
            public List<Row> panels() {
                List<Row> rows = new ArrayList<>();
                for (BusDevice bd : kit.bus().devices()) {
                    boolean bound = kit.bus().binding(bd.name()).isPresent();
                    rows.add(new Row(bd.name(), bd.driverName(), "virtual", 0, 0, bound ? "bound" : "unbound", null));
                }
                return rows;
            }

            @Override
            public RgbImage picture(String name) {
                return kit.bus().device(name).flatMap(d -> d.attachment(VirtualHardware.class)).map(VirtualHardware::snapshot).orElse(null);
            }
        }, metrics, requestTimeoutMs);
        view.start();
    }

    PaneldClient client() throws IOException {
        PaneldClient c = PaneldClient.connect(dir.resolve("paneld.sock"));
        c.setTimeout(10_000);
        clients.add(c);
        return c;
    }

    /** An HTTP exchange over a plain socket: the raw answer, read until the server closes. */
    String raw(String request) throws IOException {
        return raw(request.getBytes(StandardCharsets.ISO_8859_1));
    }

    String raw(byte[] request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", view.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request);
            s.getOutputStream().flush();
            return new String(readAll(s.getInputStream()), StandardCharsets.ISO_8859_1);
        }
    }

    static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toByteArray();
    }

    static int status(String response) {
        if (!response.startsWith("HTTP/1.1 ")) {
            throw new AssertionError("not an HTTP answer: " + response);
        }
        return Integer.parseInt(response.substring(9, 12));
    }

    static String body(String response) {
        int i = response.indexOf("\r\n\r\n");
        return i < 0 ? "" : response.substring(i + 4);
    }

    String get(String path) throws IOException {
        return raw("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + view.port() + "\r\n\r\n");
    }

    @Override
    public void close() throws IOException {
        for (PaneldClient c : clients) {
            c.close();
        }
        view.close();
        kit.bus().removeListener(metrics);
        server.close();
        try (var s = Files.list(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Files.deleteIfExists(p);
            }
        }
        Files.deleteIfExists(dir);
    }
}
