package org.paneld.drivers.virtual;

import static org.paneld.drivers.virtual.VirtualGudWire.*;

/**
 * The emulated GUD device's control requests, as gud-pico's gud.c and driver.c answer them:
 * GET_STATUS, the descriptor/format/property/connector/mode/EDID requests, SET_BUFFER (which arms
 * the {@link VirtualGudEndpoint}, and is stalled while it is still armed), STATE_CHECK (which
 * arms a FULL_UPDATE device's endpoint for the whole frame), STATE_COMMIT and the enables. A
 * request the host should not have sent is recorded as a violation. Guarded by the device's lock.
 */
final class VirtualGudControl {

    /** What a SET request did: the status to report, and whether the request stalls regardless. */
    record SetResult(int status, boolean stall) {
        static final SetResult OK = new SetResult(STATUS_OK, false);
    }

    private final VirtualGudDevice.Config config;
    private final VirtualGudViolations violations;
    private final VirtualGudFramebuffer framebuffer;
    final VirtualGudEndpoint endpoint;

    VirtualGudWire.Descriptor descriptorOverride;
    int status = STATUS_OK;
    boolean controllerEnabled;
    boolean displayEnabled;
    long backlight;
    int connectorStatus = CONNECTOR_STATUS_CONNECTED;
    long statusPolls;
    long forceDetects;
    private State pending;
    private VirtualGudFormat committedFormat;
    private SetBuffer setBuffer;

    VirtualGudControl(VirtualGudDevice.Config config, VirtualGudViolations violations, VirtualGudFramebuffer framebuffer) {
        this.config = config;
        this.violations = violations;
        this.framebuffer = framebuffer;
        this.endpoint = new VirtualGudEndpoint(FULL_SPEED_PACKET, config.fullUpdate(), violations, this::writeBuffer);
        reset();
    }

    /** Power-on state (after a plug-in or a watchdog reset). */
    void reset() {
        status = STATUS_OK;
        controllerEnabled = false;
        displayEnabled = false;
        pending = null;
        committedFormat = null;
        setBuffer = null;
        backlight = config.backlight() ? 100 : -1;
        endpoint.disarm();
        framebuffer.clear();
    }

    VirtualGudFormat committedFormat() {
        return committedFormat;
    }

    // ------------------------------------------------------------------ IN

    /** Answers a GET request into a fresh array; null with {@link #status} set when the device stalls it. */
    byte[] get(int request, int index, int length) {
        if (request == REQ_GET_STATUS) {
            return new byte[] {(byte) status};
        }
        status = STATUS_OK;
        if (index != 0 || length == 0) {
            return fail(STATUS_PROTOCOL_ERROR, requestName(request) + " with wIndex/wValue " + index + " and wLength "
                    + length + " (one connector, index 0; a GET needs a length)");
        }
        switch (request) {
            case REQ_GET_DESCRIPTOR:
                return descriptor().encode();
            case REQ_GET_FORMATS: {
                byte[] b = new byte[config.formats().size()];
                for (int i = 0; i < b.length; i++) {
                    b[i] = (byte) config.formats().get(i).code();
                }
                return b;
            }
            case REQ_GET_PROPERTIES:
                if (length < PROPERTY_LEN) {
                    return fail(STATUS_PROTOCOL_ERROR, "GET_PROPERTIES with room for no property (" + length + " bytes)");
                }
                return property(PROPERTY_ROTATION, ROTATION_0);
            case REQ_GET_CONNECTORS:
                if (length < CONNECTOR_LEN) {
                    return fail(STATUS_PROTOCOL_ERROR, "GET_CONNECTORS with room for no connector (" + length + " bytes)");
                }
                return connector(CONNECTOR_TYPE_PANEL, config.connectorPoll() ? CONNECTOR_FLAGS_POLL_STATUS : 0);
            case REQ_GET_CONNECTOR_PROPERTIES:
                if (length < PROPERTY_LEN) {
                    return fail(STATUS_PROTOCOL_ERROR, "GET_CONNECTOR_PROPERTIES with room for no property");
                }
                return config.backlight() ? property(PROPERTY_BACKLIGHT_BRIGHTNESS, backlight) : new byte[0];
            case REQ_GET_CONNECTOR_STATUS: {
                byte[] b = {(byte) connectorStatus};
                connectorStatus &= ~CONNECTOR_STATUS_CHANGED;
                statusPolls++;
                return b;
            }
            case REQ_GET_CONNECTOR_MODES:
                if (length < MODE_LEN) {
                    return fail(STATUS_PROTOCOL_ERROR, "GET_CONNECTOR_MODES with room for no mode");
                }
                return config.modesViaEdid() ? new byte[0] : mode(config.width(), config.height(), true);
            case REQ_GET_CONNECTOR_EDID:
                return config.modesViaEdid() && length >= 128 ? edid() : new byte[0];
            default:
                status = STATUS_REQUEST_NOT_SUPPORTED; // optional requests: the host may ask
                return null;
        }
    }

    private byte[] fail(int st, String why) {
        violations.add(why);
        status = st;
        return null;
    }

    VirtualGudWire.Descriptor descriptor() {
        if (descriptorOverride != null) {
            return descriptorOverride;
        }
        int flags = (config.statusOnSet() ? DISPLAY_FLAG_STATUS_ON_SET : 0)
                | (config.fullUpdate() ? DISPLAY_FLAG_FULL_UPDATE : 0);
        return new VirtualGudWire.Descriptor(MAGIC, 1, flags, config.lz4() ? COMPRESSION_LZ4 : 0, config.maxBufferSize(),
                config.width(), config.width(), config.height(), config.height());
    }

    // ------------------------------------------------------------------ OUT

    /** Runs a SET request with {@code length} bytes of {@code data}. */
    SetResult set(int request, int index, byte[] data, int length) {
        status = STATUS_OK;
        if (index != 0) {
            return bad(STATUS_PROTOCOL_ERROR, requestName(request) + " with wIndex/wValue " + index + " (index 0 only)");
        }
        switch (request) {
            case REQ_SET_CONNECTOR_FORCE_DETECT:
                forceDetects++;
                return SetResult.OK;
            case REQ_SET_BUFFER:
                return setBuffer(data, length);
            case REQ_SET_STATE_CHECK:
                return stateCheck(data, length);
            case REQ_SET_STATE_COMMIT:
                if (length != 0 || pending == null) {
                    return bad(STATUS_PROTOCOL_ERROR, "SET_STATE_COMMIT " + (length != 0 ? "with " + length + " data bytes"
                            : "without a checked state"));
                }
                committedFormat = VirtualGudFormat.ofCode(pending.format());
                for (int i = 0; i < pending.propIds().length; i++) {
                    if (pending.propIds()[i] == PROPERTY_BACKLIGHT_BRIGHTNESS) {
                        backlight = pending.propValues()[i];
                    }
                }
                return SetResult.OK;
            case REQ_SET_CONTROLLER_ENABLE:
            case REQ_SET_DISPLAY_ENABLE: {
                if (length != 1) {
                    return bad(STATUS_PROTOCOL_ERROR, requestName(request) + " with " + length + " bytes (1 expected)");
                }
                boolean on = data[0] != 0;
                if (request == REQ_SET_CONTROLLER_ENABLE) {
                    controllerEnabled = on;
                } else {
                    displayEnabled = on;
                }
                return SetResult.OK;
            }
            default:
                return bad(STATUS_REQUEST_NOT_SUPPORTED, requestName(request) + " is not a GUD SET request");
        }
    }

    private SetResult bad(int st, String why) {
        violations.add(why);
        status = st;
        return new SetResult(st, false);
    }

    private SetResult setBuffer(byte[] data, int length) {
        if (length != SET_BUFFER_LEN) {
            return bad(STATUS_PROTOCOL_ERROR, "SET_BUFFER of " + length + " bytes (" + SET_BUFFER_LEN + " expected)");
        }
        SetBuffer sb = SetBuffer.decode(data);
        if (sb.x() >= config.width() || sb.y() >= config.height() || sb.x() + sb.width() > config.width()
                || sb.y() + sb.height() > config.height()) {
            return bad(STATUS_INVALID_PARAMETER, "SET_BUFFER rectangle " + rect(sb) + " is not inside the "
                    + config.width() + "x" + config.height() + " display");
        }
        if (sb.compression() != 0 && sb.compressedLength() == 0) {
            return bad(STATUS_INVALID_PARAMETER, "SET_BUFFER compression " + sb.compression() + " with compressed_length 0");
        }
        VirtualGudFormat f = pending == null ? null : VirtualGudFormat.ofCode(pending.format());
        long expect = f == null ? 0 : f.bufferLength(sb.width(), sb.height());
        if (expect == 0) {
            return bad(STATUS_INVALID_PARAMETER, "SET_BUFFER " + rect(sb) + " with no checked state or an empty rectangle");
        }
        if (sb.length() != expect) {
            return bad(STATUS_INVALID_PARAMETER, "SET_BUFFER length " + sb.length() + " is not " + expect + " ("
                    + rect(sb) + " in " + f + ")");
        }
        // gud-pico keeps the rectangle even when it then finds its endpoint busy
        setBuffer = sb;
        boolean frame = sb.width() == config.width() && sb.height() == config.height();
        if (config.maxBufferSize() != 0 && sb.length() > config.maxBufferSize() && !(config.fullUpdate() && frame)) {
            return bad(STATUS_INVALID_PARAMETER, "SET_BUFFER length " + sb.length() + " exceeds max_buffer_size "
                    + config.maxBufferSize());
        }
        long xfer = sb.length();
        if (sb.compression() != 0) {
            if (!config.lz4() || sb.compression() != COMPRESSION_LZ4) {
                return bad(STATUS_INVALID_PARAMETER, "SET_BUFFER compression 0x" + Integer.toHexString(sb.compression())
                        + " was not offered by the device");
            }
            xfer = sb.compressedLength();
            if (xfer >= sb.length()) {
                violations.add("SET_BUFFER with LZ4 compressed_length " + xfer + " >= length " + sb.length()
                        + ": compression did not shrink the data, it must be sent raw"
                        + (xfer == sb.length() ? " (the device takes equal lengths as raw pixels)" : ""));
            }
            if (config.maxBufferSize() != 0 && xfer > config.maxBufferSize()) {
                return bad(STATUS_INVALID_PARAMETER, "SET_BUFFER compressed_length " + xfer
                        + " exceeds max_buffer_size " + config.maxBufferSize());
            }
        }
        if (endpoint.busy()) {
            violations.add("SET_BUFFER " + rect(sb) + " while the bulk endpoint is still armed for "
                    + endpoint.armedLength() + " bytes (" + endpoint.received() + " received): the device stalls it"
                    + (config.fullUpdate() ? " (a FULL_UPDATE device takes SET_BUFFER only after a failed transfer)" : ""));
            return new SetResult(STATUS_OK, true); // gud-pico: the stall leaves status OK
        }
        endpoint.arm((int) xfer, (int) sb.length());
        return SetResult.OK;
    }

    private SetResult stateCheck(byte[] data, int length) {
        State s = State.decode(data, length);
        if (s == null) {
            return bad(STATUS_PROTOCOL_ERROR, "SET_STATE_CHECK of " + length + " bytes is not a state plus whole properties");
        }
        int props = (config.backlight() ? 1 : 0) + 1;
        if (s.propIds().length > props) {
            return bad(STATUS_PROTOCOL_ERROR, "SET_STATE_CHECK with " + s.propIds().length + " properties, the device has "
                    + props);
        }
        VirtualGudFormat f = VirtualGudFormat.ofCode(s.format());
        if (s.hdisplay() != config.width() || s.vdisplay() != config.height() || s.connector() != 0
                || f == null || !config.formats().contains(f)) {
            return bad(STATUS_INVALID_PARAMETER, "SET_STATE_CHECK with an unsupported mode, connector or format: " + s);
        }
        for (int i = 0; i < s.propIds().length; i++) {
            long id = s.propIds()[i];
            long v = s.propValues()[i];
            if (id == PROPERTY_BACKLIGHT_BRIGHTNESS && (!config.backlight() || v < 0 || v > 100)) {
                return bad(STATUS_INVALID_PARAMETER, "SET_STATE_CHECK backlight " + v);
            }
            if (id == PROPERTY_ROTATION && v != ROTATION_0) {
                return bad(STATUS_INVALID_PARAMETER, "SET_STATE_CHECK rotation 0x" + Long.toHexString(v)
                        + " (the device offers rotation 0 only)");
            }
        }
        pending = s;
        if (config.fullUpdate()) {
            long frame = f.bufferLength(config.width(), config.height());
            setBuffer = new SetBuffer(0, 0, config.width(), config.height(), frame, 0, 0);
            if (!endpoint.busy()) {
                endpoint.arm((int) frame, (int) frame);
            }
        }
        return SetResult.OK;
    }

    private static String rect(SetBuffer sb) {
        return sb.width() + "x" + sb.height() + "+" + sb.x() + "+" + sb.y();
    }

    /** gud_write_buffer: a completed transfer lands in the rectangle of the last SET_BUFFER. */
    private void writeBuffer(byte[] pixels) {
        SetBuffer sb = setBuffer;
        if (sb == null || committedFormat == null) {
            violations.add("bulk OUT completed with no committed state; the device cannot show it");
            return;
        }
        if (committedFormat.bufferLength(sb.width(), sb.height()) != sb.length()) {
            violations.add("bulk OUT of " + sb.length() + " bytes for a " + sb.width() + "x" + sb.height()
                    + " rectangle checked in another format than the committed " + committedFormat);
            return;
        }
        framebuffer.write(committedFormat, pixels, (int) sb.x(), (int) sb.y(), (int) sb.width(), (int) sb.height());
    }

    /** A 128-byte EDID 1.3 base block with one detailed timing (60 Hz, no blanking) and a 1 px/0.2 mm size. */
    private byte[] edid() {
        byte[] e = new byte[128];
        for (int i = 1; i < 7; i++) {
            e[i] = (byte) 0xFF;
        }
        e[18] = 1;
        e[19] = 3;
        e[20] = (byte) 0x80;
        int w = config.width(), h = config.height();
        int wmm = w / 5, hmm = h / 5;
        e[21] = (byte) ((wmm + 9) / 10);
        e[22] = (byte) ((hmm + 9) / 10);
        int clock10k = Math.max(1, w * h * 60 / 10000);
        e[54] = (byte) clock10k;
        e[55] = (byte) (clock10k >> 8);
        e[56] = (byte) w;
        e[58] = (byte) ((w >> 8) << 4);
        e[59] = (byte) h;
        e[61] = (byte) ((h >> 8) << 4);
        e[63] = 1;
        e[64] = 0x01;
        e[66] = (byte) wmm;
        e[67] = (byte) hmm;
        e[68] = (byte) ((wmm >> 8) << 4 | hmm >> 8);
        int sum = 0;
        for (int i = 0; i < 127; i++) {
            sum += e[i] & 0xFF;
        }
        e[127] = (byte) (256 - (sum & 0xFF));
        return e;
    }
}
