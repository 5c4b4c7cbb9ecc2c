package org.paneld.daemon;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.paneld.daemon.http.PanelDirectory;
import org.paneld.daemon.server.PaneldServer;
import org.paneld.drivers.core.Binding;
import org.paneld.drivers.core.Bus;
import org.paneld.drivers.core.BusDevice;
import org.paneld.drivers.core.DeviceException;
import org.paneld.drivers.core.VirtualHardware;
import org.paneld.drivers.display.DisplayInfo;
import org.paneld.drivers.pixel.RgbImage;

/**
 * The daemon's panels as the live view sees them: the bus's devices, then those unplugged by
 * request. {@link #picture} is the one place that decides what "what the panel shows" means:
 * the emulator's decoded image for a virtual panel, the device's copy of the picture it last
 * sent for a real one ({@link org.paneld.drivers.core.Device#shownPicture()}: for MIPI DBI and
 * ST7586 the shadow of the controller's memory, for GUD the shadow of the device's framebuffer,
 * for repaper the frame its last finished refresh drew). The real-backend path cannot be run
 * here without the hardware; the drivers' own tests check each display's
 * {@code copyShownPicture()} against its emulator's decoded picture (St7586ShownPictureTest,
 * GudShownPictureTest, RepaperShownPictureTest). Lifetime: the daemon's {@code [http]}
 * endpoint. Threads: the HTTP work thread.
 */
final class LiveSource implements PanelDirectory {
    private final Daemon daemon;
    private final DaemonAdmin admin;
    /** The last known size of each panel, for the ones unplugged (their display is gone). HTTP work thread only. */
    private final java.util.Map<String, int[]> sizes = new java.util.HashMap<>();

    LiveSource(Daemon daemon, DaemonAdmin admin) {
        this.daemon = daemon;
        this.admin = admin;
    }

    @Override
    public List<Row> panels() {
        List<Row> out = new ArrayList<>();
        Bus b = daemon.bus();
        PaneldServer srv = daemon.server();
        if (b != null) {
            for (BusDevice bd : b.devices()) {
                Optional<Binding> bi = b.binding(bd.name());
                int w = 0, h = 0;
                String owner = null;
                if (bi.isPresent()) {
                    try {
                        DisplayInfo i = bi.get().device().info();
                        w = i.width();
                        h = i.height();
                    } catch (DeviceException e) {
                        // no display bound yet: size unknown
                    }
                    owner = srv == null ? null : srv.sessions().ownerOf(bi.get().device());
                }
                out.add(new Row(bd.name(), bd.driverName(), admin.backendOf(bd), w, h, bi.isPresent() ? "bound" : "unbound", owner));
            }
        }
        for (BusDevice bd : admin.unpluggedDevices()) {
            int[] wh = sizes.get(bd.name());
            out.add(new Row(bd.name(), bd.driverName(), admin.backendOf(bd), wh == null ? 0 : wh[0], wh == null ? 0 : wh[1],
                    "unplugged", null));
        }
        for (Row r : out) {
            if (r.width() > 0) {
                sizes.put(r.name(), new int[] {r.width(), r.height()});
            }
        }
        sizes.keySet().retainAll(out.stream().map(Row::name).toList()); // bounded by the panels known now
        return out;
    }

    @Override
    public RgbImage picture(String name) {
        Bus b = daemon.bus();
        Optional<BusDevice> bd = b == null ? Optional.empty() : b.device(name);
        if (bd.isEmpty()) {
            bd = admin.unpluggedDevices().stream().filter(d -> d.name().equals(name)).findFirst();
        }
        if (bd.isEmpty()) {
            return null;
        }
        Optional<VirtualHardware> hw = bd.get().attachment(VirtualHardware.class);
        if (hw.isPresent()) {
            return hw.get().snapshot();
        }
        Optional<Binding> bi = b.binding(name);
        return bi.map(x -> x.device().shownPicture()).orElse(null);
    }
}
