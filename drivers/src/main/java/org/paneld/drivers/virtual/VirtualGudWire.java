package org.paneld.drivers.virtual;

/**
 * The GUD protocol as the emulated device reads it: request numbers, status codes, flags and the
 * packed little-endian struct layouts of include/drm/gud.h (and gud-pico's copy of it), written
 * down independently of the host driver's encoders.
 *
 * <p>Struct sizes (all packed): display descriptor 30, property 10, display mode 24, connector
 * descriptor 5, set-buffer 25, state 26 + 10 per property. Stateless; any thread.
 */
public final class VirtualGudWire {
    private VirtualGudWire() {
    }

    public static final int MAGIC = 0x1d50614d;

    // requests (bRequest)
    public static final int REQ_GET_STATUS = 0x00;
    public static final int REQ_GET_DESCRIPTOR = 0x01;
    public static final int REQ_GET_FORMATS = 0x40;
    public static final int REQ_GET_PROPERTIES = 0x41;
    public static final int REQ_GET_CONNECTORS = 0x50;
    public static final int REQ_GET_CONNECTOR_PROPERTIES = 0x51;
    public static final int REQ_GET_CONNECTOR_TV_MODE_VALUES = 0x52;
    public static final int REQ_SET_CONNECTOR_FORCE_DETECT = 0x53;
    public static final int REQ_GET_CONNECTOR_STATUS = 0x54;
    public static final int REQ_GET_CONNECTOR_MODES = 0x55;
    public static final int REQ_GET_CONNECTOR_EDID = 0x56;
    public static final int REQ_SET_BUFFER = 0x60;
    public static final int REQ_SET_STATE_CHECK = 0x61;
    public static final int REQ_SET_STATE_COMMIT = 0x62;
    public static final int REQ_SET_CONTROLLER_ENABLE = 0x63;
    public static final int REQ_SET_DISPLAY_ENABLE = 0x64;

    // GET_STATUS values
    public static final int STATUS_OK = 0x00;
    public static final int STATUS_BUSY = 0x01;
    public static final int STATUS_REQUEST_NOT_SUPPORTED = 0x02;
    public static final int STATUS_PROTOCOL_ERROR = 0x03;
    public static final int STATUS_INVALID_PARAMETER = 0x04;
    public static final int STATUS_ERROR = 0x05;

    // descriptor flags and compression
    public static final int DISPLAY_FLAG_STATUS_ON_SET = 1;
    public static final int DISPLAY_FLAG_FULL_UPDATE = 1 << 1;
    public static final int COMPRESSION_LZ4 = 1;

    // connectors
    public static final int CONNECTOR_TYPE_PANEL = 0;
    public static final int CONNECTOR_FLAGS_POLL_STATUS = 1;
    public static final int CONNECTOR_STATUS_DISCONNECTED = 0x00;
    public static final int CONNECTOR_STATUS_CONNECTED = 0x01;
    public static final int CONNECTOR_STATUS_CHANGED = 0x80;
    public static final int MODE_FLAG_PREFERRED = 1 << 10;

    // properties
    public static final int PROPERTY_BACKLIGHT_BRIGHTNESS = 12;
    public static final int PROPERTY_ROTATION = 50;
    public static final int ROTATION_0 = 1;

    // struct sizes (packed)
    public static final int DESCRIPTOR_LEN = 30;
    public static final int PROPERTY_LEN = 10;
    public static final int MODE_LEN = 24;
    public static final int CONNECTOR_LEN = 5;
    public static final int SET_BUFFER_LEN = 25;
    public static final int STATE_LEN = MODE_LEN + 2;

    /** The USB full-speed bulk packet size of gud-pico's endpoint (RP2040). */
    public static final int FULL_SPEED_PACKET = 64;

    static int u8(byte[] b, int o) {
        return b[o] & 0xFF;
    }

    static int u16(byte[] b, int o) {
        return (b[o] & 0xFF) | (b[o + 1] & 0xFF) << 8;
    }

    static long u32(byte[] b, int o) {
        return ((long) u16(b, o)) | ((long) u16(b, o + 2)) << 16;
    }

    static long u64(byte[] b, int o) {
        return u32(b, o) | u32(b, o + 4) << 32;
    }

    static void put16(byte[] b, int o, long v) {
        b[o] = (byte) v;
        b[o + 1] = (byte) (v >> 8);
    }

    static void put32(byte[] b, int o, long v) {
        put16(b, o, v);
        put16(b, o + 2, v >> 16);
    }

    static void put64(byte[] b, int o, long v) {
        put32(b, o, v);
        put32(b, o + 4, v >> 32);
    }

    /** struct gud_display_descriptor_req, as the device answers GET_DESCRIPTOR. */
    public record Descriptor(long magic, int version, long flags, int compression, long maxBufferSize,
                             long minWidth, long maxWidth, long minHeight, long maxHeight) {
        byte[] encode() {
            byte[] b = new byte[DESCRIPTOR_LEN];
            put32(b, 0, magic);
            b[4] = (byte) version;
            put32(b, 5, flags);
            b[9] = (byte) compression;
            put32(b, 10, maxBufferSize);
            put32(b, 14, minWidth);
            put32(b, 18, maxWidth);
            put32(b, 22, minHeight);
            put32(b, 26, maxHeight);
            return b;
        }
    }

    /** struct gud_set_buffer_req, as the device decodes it. */
    record SetBuffer(long x, long y, long width, long height, long length, int compression, long compressedLength) {
        static SetBuffer decode(byte[] b) {
            return new SetBuffer(u32(b, 0), u32(b, 4), u32(b, 8), u32(b, 12), u32(b, 16), u8(b, 20), u32(b, 21));
        }
    }

    /** struct gud_state_req with its trailing properties, as the device decodes it. */
    record State(int hdisplay, int vdisplay, int format, int connector, long[] propIds, long[] propValues) {
        /** Null when the length is not a header plus whole properties. */
        static State decode(byte[] b, int len) {
            if (len < STATE_LEN || (len - STATE_LEN) % PROPERTY_LEN != 0) {
                return null;
            }
            int n = (len - STATE_LEN) / PROPERTY_LEN;
            long[] ids = new long[n];
            long[] vals = new long[n];
            for (int i = 0; i < n; i++) {
                int o = STATE_LEN + i * PROPERTY_LEN;
                ids[i] = u16(b, o);
                vals[i] = u64(b, o + 2);
            }
            return new State(u16(b, 4), u16(b, 12), u8(b, MODE_LEN), u8(b, MODE_LEN + 1), ids, vals);
        }

        @Override
        public String toString() {
            return hdisplay + "x" + vdisplay + " format 0x" + Integer.toHexString(format) + " connector " + connector
                    + " " + propIds.length + " properties";
        }
    }

    static byte[] property(int prop, long value) {
        byte[] b = new byte[PROPERTY_LEN];
        put16(b, 0, prop);
        put64(b, 2, value);
        return b;
    }

    static byte[] connector(int type, long flags) {
        byte[] b = new byte[CONNECTOR_LEN];
        b[0] = (byte) type;
        put32(b, 1, flags);
        return b;
    }

    /** One mode with no blanking at 60 Hz, as gud-pico reports its panel. */
    static byte[] mode(int w, int h, boolean preferred) {
        byte[] b = new byte[MODE_LEN];
        put32(b, 0, ((long) w * h * 60 + 999) / 1000);
        for (int i = 0; i < 4; i++) {
            put16(b, 4 + 2 * i, w);
            put16(b, 12 + 2 * i, h);
        }
        put32(b, 20, preferred ? MODE_FLAG_PREFERRED : 0);
        return b;
    }

    static String requestName(int request) {
        switch (request) {
            case REQ_GET_STATUS: return "GET_STATUS";
            case REQ_GET_DESCRIPTOR: return "GET_DESCRIPTOR";
            case REQ_GET_FORMATS: return "GET_FORMATS";
            case REQ_GET_PROPERTIES: return "GET_PROPERTIES";
            case REQ_GET_CONNECTORS: return "GET_CONNECTORS";
            case REQ_GET_CONNECTOR_PROPERTIES: return "GET_CONNECTOR_PROPERTIES";
            case REQ_GET_CONNECTOR_TV_MODE_VALUES: return "GET_CONNECTOR_TV_MODE_VALUES";
            case REQ_SET_CONNECTOR_FORCE_DETECT: return "SET_CONNECTOR_FORCE_DETECT";
            case REQ_GET_CONNECTOR_STATUS: return "GET_CONNECTOR_STATUS";
            case REQ_GET_CONNECTOR_MODES: return "GET_CONNECTOR_MODES";
            case REQ_GET_CONNECTOR_EDID: return "GET_CONNECTOR_EDID";
            case REQ_SET_BUFFER: return "SET_BUFFER";
            case REQ_SET_STATE_CHECK: return "SET_STATE_CHECK";
            case REQ_SET_STATE_COMMIT: return "SET_STATE_COMMIT";
            case REQ_SET_CONTROLLER_ENABLE: return "SET_CONTROLLER_ENABLE";
            case REQ_SET_DISPLAY_ENABLE: return "SET_DISPLAY_ENABLE";
            default: return "request 0x" + Integer.toHexString(request);
        }
    }
}
