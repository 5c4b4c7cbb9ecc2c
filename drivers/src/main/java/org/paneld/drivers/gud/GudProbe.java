package org.paneld.drivers.gud;

import static org.paneld.drivers.gud.GudProtocol.*;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.paneld.drivers.core.Device;
import org.paneld.drivers.core.DeviceException;
import org.paneld.drivers.core.Errno;
import org.paneld.drivers.core.NoDeviceException;
import org.paneld.drivers.usb.UsbTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The GUD probe: reads a device's description (descriptor, formats, properties, connector, a
 * forced connector status check, EDID and modes) as the kernel's gud_probe and connector probe
 * do, checks it, and builds the {@link GudDisplay}. Errors name the request and what was wrong
 * with the answer. Runs once per binding, inside the device's guard, on the probing thread.
 */
final class GudProbe {
    private static final Logger LOG = LoggerFactory.getLogger(GudProbe.class);

    private GudProbe() {
    }

    static GudDisplay probe(Device device, UsbTransport usb, GudOptions options) throws IOException {
        GudDisplay.Stats stats = new GudDisplay.Stats();
        AtomicLong probeErrors = new AtomicLong();
        GudControl p = new GudControl(usb, options, false, probeErrors); // STATUS_ON_SET unknown before the descriptor
        byte[] buf = new byte[CONNECTOR_MAX_NUM_MODES * MODE_SIZE];

        int n = p.get(REQ_GET_DESCRIPTOR, 0, buf, DESCRIPTOR_SIZE);
        Descriptor desc = Descriptor.decode(buf, n);
        GudControl control = new GudControl(usb, options, (desc.flags() & FLAG_STATUS_ON_SET) != 0, stats.errors);

        n = control.get(REQ_GET_FORMATS, 0, buf, FORMATS_MAX_NUM);
        List<GudFormat> formats = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            GudFormat f = GudFormat.ofCode(buf[i] & 0xFF);
            if (f == null) {
                LOG.debug("{}: ignoring unknown GUD format 0x{}", device.id(), Integer.toHexString(buf[i] & 0xFF));
            } else if (!formats.contains(f)) {
                formats.add(f);
            }
        }
        if (formats.isEmpty()) {
            throw new DeviceException(Errno.EOPNOTSUPP, "GET_FORMATS: the device offers no pixel format this host knows ("
                    + n + " format bytes)");
        }

        n = control.get(REQ_GET_PROPERTIES, 0, buf, PROPERTIES_MAX_NUM * PROPERTY_SIZE);
        List<Property> devProps = new ArrayList<>();
        for (Property prop : Property.decode(buf, n, "GET_PROPERTIES")) {
            if (prop.prop() == PROPERTY_ROTATION) {
                devProps.add(new Property(PROPERTY_ROTATION, ROTATION_0)); // we send unrotated pixels
            }
        }

        n = control.get(REQ_GET_CONNECTORS, 0, buf, CONNECTORS_MAX_NUM * CONNECTOR_SIZE);
        List<Connector> connectors = Connector.decode(buf, n);
        int connectorFlags = connectors.get(0).flags();

        n = control.get(REQ_GET_CONNECTOR_PROPERTIES, 0, buf, CONNECTOR_PROPERTIES_MAX_NUM * PROPERTY_SIZE);
        List<Property> connProps = new ArrayList<>();
        for (Property prop : Property.decode(buf, n, "GET_CONNECTOR_PROPERTIES")) {
            if (prop.prop() == PROPERTY_BACKLIGHT_BRIGHTNESS) {
                if (prop.value() < 0 || prop.value() > 100) {
                    throw new DeviceException(Errno.EPROTO, "GET_CONNECTOR_PROPERTIES: backlight " + prop.value()
                            + " is outside 0..100");
                }
                connProps.add(prop);
            } else if (prop.prop() >= 1 && prop.prop() <= 11) {
                connProps.add(prop); // TV properties: handed back unchanged in every state
            }
        }

        // The connector probe is a forced detect (the kernel's drm_helper_probe_single_connector_modes).
        boolean connected = GudConnectorPoller.forcedCheck(device, control);

        // Modes: the device's list; when it has none, the EDID's preferred timing (as the kernel).
        Edid edid = null;
        try {
            n = control.get(REQ_GET_CONNECTOR_EDID, 0, buf, CONNECTOR_MAX_EDID_LEN);
            if (n >= 128 && n % 128 == 0) {
                edid = Edid.parse(buf, n);
            }
        } catch (NoDeviceException e) {
            throw e;
        } catch (DeviceException e) {
            LOG.debug("{}: no EDID: {}", device.id(), e.getMessage());
        }
        List<Mode> modes = List.of();
        try {
            n = control.get(REQ_GET_CONNECTOR_MODES, 0, buf, CONNECTOR_MAX_NUM_MODES * MODE_SIZE);
            modes = Mode.decode(buf, n);
        } catch (NoDeviceException e) {
            throw e;
        } catch (DeviceException e) {
            LOG.debug("{}: GET_CONNECTOR_MODES failed: {}", device.id(), e.getMessage());
        }
        Mode mode = null;
        for (Mode m : modes) {
            if (m.preferred()) {
                mode = m;
                break;
            }
        }
        if (mode == null && !modes.isEmpty()) {
            mode = modes.get(0);
        }
        if (mode == null && edid != null) {
            mode = edid.mode();
        }
        if (mode == null && desc.minWidth() == desc.maxWidth() && desc.minHeight() == desc.maxHeight()) {
            mode = Mode.simple((int) desc.maxWidth(), (int) desc.maxHeight(), true);
        }
        if (mode == null || mode.hdisplay() == 0 || mode.vdisplay() == 0) {
            throw new DeviceException(Errno.EPROTO, "the GUD connector reports no usable display mode (no modes, no EDID)");
        }
        if (mode.hdisplay() > desc.maxWidth() || mode.vdisplay() > desc.maxHeight()) {
            throw new DeviceException(Errno.EPROTO, "the GUD mode " + mode.hdisplay() + "x" + mode.vdisplay()
                    + " exceeds the descriptor's maximum " + desc.maxWidth() + "x" + desc.maxHeight());
        }
        GudDisplay d = new GudDisplay(device, control, options, stats, desc, formats, devProps, connProps, mode,
                edid == null ? 0 : edid.widthMm(), edid == null ? 0 : edid.heightMm(), connected);
        if ((desc.flags() & FLAG_FULL_UPDATE) != 0) {
            GudFormat f = d.formatFor(org.paneld.drivers.pixel.PixelFormat.XRGB8888);
            long frame = (long) f.lineBytes(mode.hdisplay()) * mode.vdisplay();
            if (GudFlusher.fullUpdateChunk(frame, d.bufferLength()) == 0) {
                throw new DeviceException(Errno.EOPNOTSUPP, "this FULL_UPDATE GUD device announces max_buffer_size "
                        + desc.maxBufferSize() + ", smaller than one " + GudFlusher.MIN_PACKET + "-byte USB packet: it"
                        + " cannot take a " + frame + "-byte frame in any split the protocol allows");
            }
        }
        if ((connectorFlags & CONNECTOR_FLAG_POLL_STATUS) != 0 && !options.pollInterval().isZero()) {
            d.startPolling();
        }
        d.startTransfers();
        LOG.info("{}: GUD v{} {}x{} formats {} flags 0x{} compression {} max_buffer {} on {}", device.id(), desc.version(),
                mode.hdisplay(), mode.vdisplay(), formats, Integer.toHexString(desc.flags()), desc.compression(),
                d.bufferLength(), usb.describe());
        return d;
    }
}
