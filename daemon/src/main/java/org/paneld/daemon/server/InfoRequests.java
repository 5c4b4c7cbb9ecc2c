package org.paneld.daemon.server;

import java.util.ArrayList;
import java.util.List;
import org.paneld.daemon.session.Session;
import org.paneld.drivers.core.Binding;
import org.paneld.drivers.core.Device;
import org.paneld.drivers.core.DeviceException;
import org.paneld.drivers.display.DisplayInfo;
import org.paneld.drivers.pixel.PixelFormat;
import org.paneld.protocol.Frame;
import org.paneld.protocol.Message;
import org.paneld.protocol.Message.DeviceEntry;
import org.paneld.protocol.Message.DeviceInfo;
import org.paneld.protocol.Message.DeviceList;
import org.paneld.protocol.Message.Info;
import org.paneld.protocol.Message.Ok;
import org.paneld.protocol.Message.Property;
import org.paneld.protocol.Message.SetProperty;

/**
 * One connection's requests about devices and their properties: LIST_DEVICES, DEVICE_INFO,
 * SET_PROPERTY (on the device worker), SUBSCRIBE; and the wire's fourcc of a pixel format.
 * Lifetime: the connection's. Threads: the channel's event loop.
 */
final class InfoRequests {
    /** Read-only statistics in DEVICE_INFO's property list: updates shown, updates merged, wire busy in ‰. */
    static final String STAT_SHOWN = "stat_frames_shown", STAT_MERGED = "stat_frames_merged",
            STAT_BUSY = "stat_wire_busy_permille", STAT_INTERLACED = "stat_frames_interlaced";
    private final Connection conn;
    private final PaneldServer server;
    private final ConnectionOutput out;
    private final DeviceWork work;
    private final SessionTable table;

    InfoRequests(Connection conn, PaneldServer server) {
        this.conn = conn;
        this.server = server;
        this.out = conn.out();
        this.work = conn.work();
        this.table = conn.table();
    }

    void listDevices(int id) {
        out.send(new Frame(id, list()));
    }

    void deviceInfo(int id, DeviceInfo di) throws DeviceException {
        Device d = di.session() != 0 ? table.session(di.session()).device() : SessionRequests.device(server, di.name());
        if (di.session() != 0) {
            table.session(di.session()).checkPresent();
        }
        out.send(new Frame(id, info(d)));
    }

    void setProperty(int id, SetProperty sp) throws DeviceException {
        Session s = table.session(sp.session());
        s.checkPresent();
        work.submit(s, 64, () -> work.replyWhenDone(id, Message.SET_PROPERTY, () -> s.doSetProperty(sp.name(), sp.value())));
    }

    void subscribe(int id, int mask) {
        conn.subscribe(mask);
        out.send(new Frame(id, new Ok(Message.SUBSCRIBE)));
    }

    private DeviceList list() {
        List<DeviceEntry> entries = new ArrayList<>();
        for (Binding b : server.bus().bindings()) {
            Device d = b.device();
            try {
                DisplayInfo i = d.info();
                entries.add(new DeviceEntry(d.name(), i.driver(), i.width(), i.height(), flags(d, i)));
            } catch (DeviceException e) {
                // bound without a display yet, or gone: not listed
            }
        }
        return new DeviceList(entries);
    }

    private int flags(Device d, DisplayInfo i) {
        return (i.connected() ? Message.DEVICE_CONNECTED : 0) | (server.sessions().isOwned(d) ? Message.DEVICE_OWNED : 0)
                | (d.isUnplugged() ? Message.DEVICE_UNPLUGGED : 0)
                | (d.display() != null && d.display().touch().isPresent() ? Message.DEVICE_TOUCH : 0);
    }

    private Info info(Device d) throws DeviceException {
        DisplayInfo i = d.info();
        List<Integer> fourccs = new ArrayList<>();
        for (PixelFormat f : i.formats()) {
            int cc = fourcc(f);
            if (cc != 0) {
                fourccs.add(cc);
            }
        }
        List<Property> props = new ArrayList<>();
        for (DisplayInfo.Property p : i.properties()) {
            props.add(new Property(p.name(), p.min(), p.max(), p.value()));
        }
        // read-only statistics, as properties so that older clients read the reply unchanged (PROTOCOL.md)
        org.paneld.drivers.core.FrameStats st = d.frameStats();
        props.add(new Property(STAT_SHOWN, 0, Long.MAX_VALUE, st.shown()));
        props.add(new Property(STAT_MERGED, 0, Long.MAX_VALUE, st.merged()));
        props.add(new Property(STAT_BUSY, 0, 1000, Math.round(st.busy() * 1000)));
        org.paneld.drivers.display.Display shown = d.display();
        props.add(new Property(STAT_INTERLACED, 0, Long.MAX_VALUE, shown == null ? 0 : shown.interlacedUpdates()));
        return new Info(d.name(), i.driver(), i.width(), i.height(), i.widthMm(), i.heightMm(), i.rotation(), flags(d, i),
                i.panelFormat(), i.updateClass(), fourccs, props);
    }

    static int fourcc(PixelFormat f) {
        return f == PixelFormat.XRGB8888 ? Message.FOURCC_XRGB8888 : f == PixelFormat.RGB565 ? Message.FOURCC_RGB565 : 0;
    }

    static PixelFormat format(int fourcc) {
        return fourcc == Message.FOURCC_XRGB8888 ? PixelFormat.XRGB8888 : fourcc == Message.FOURCC_RGB565 ? PixelFormat.RGB565 : null;
    }
}
