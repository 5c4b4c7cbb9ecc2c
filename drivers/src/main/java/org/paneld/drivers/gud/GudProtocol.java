package org.paneld.drivers.gud;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.paneld.drivers.core.DeviceException;
import org.paneld.drivers.core.Errno;

/**
 * The GUD wire format (Linux include/drm/gud.h): request codes, flags, status codes and the
 * packed little-endian structs, with encoders and strict decoders, for the host driver (the
 * virtual GUD device has its own reading of the header). Stateless; any thread.
 */
public final class GudProtocol {
    private GudProtocol() {
    }

    /** USB ids of GUD devices (vendor, product): OpenMoko-assigned and the pid.codes one. */
    public static final int[][] USB_IDS = {{0x1d50, 0x614d}, {0x16d0, 0x10a9}};

    public static final int MAGIC = 0x1d50614d;
    public static final int MAX_VERSION = 1;

    public static final int FLAG_STATUS_ON_SET = 1;
    public static final int FLAG_FULL_UPDATE = 1 << 1;
    public static final int COMPRESSION_LZ4 = 1;

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

    public static final int STATUS_OK = 0;
    public static final int STATUS_BUSY = 1;
    public static final int STATUS_REQUEST_NOT_SUPPORTED = 2;
    public static final int STATUS_PROTOCOL_ERROR = 3;
    public static final int STATUS_INVALID_PARAMETER = 4;
    public static final int STATUS_ERROR = 5;

    public static final int FORMATS_MAX_NUM = 32;
    public static final int PROPERTIES_MAX_NUM = 32;
    public static final int CONNECTORS_MAX_NUM = 32;
    public static final int CONNECTOR_PROPERTIES_MAX_NUM = 32;
    public static final int CONNECTOR_MAX_NUM_MODES = 128;
    public static final int CONNECTOR_MAX_EDID_LEN = 2048;

    public static final int CONNECTOR_FLAG_POLL_STATUS = 1;
    public static final int CONNECTOR_STATUS_DISCONNECTED = 0;
    public static final int CONNECTOR_STATUS_CONNECTED = 1;
    public static final int CONNECTOR_STATUS_UNKNOWN = 2;
    public static final int CONNECTOR_STATUS_CONNECTED_MASK = 3;
    public static final int CONNECTOR_STATUS_CHANGED = 0x80;

    public static final int MODE_FLAG_PREFERRED = 1 << 10;

    public static final int PROPERTY_BACKLIGHT_BRIGHTNESS = 12;
    public static final int PROPERTY_ROTATION = 50;
    public static final int ROTATION_0 = 1;

    public static final int DESCRIPTOR_SIZE = 30;
    public static final int PROPERTY_SIZE = 10;
    public static final int CONNECTOR_SIZE = 5;
    public static final int MODE_SIZE = 24;
    public static final int SET_BUFFER_SIZE = 25;
    public static final int STATE_HEADER_SIZE = MODE_SIZE + 2;

    /** The errno a GET_STATUS value stands for (OK → null). */
    public static Errno statusErrno(int status) {
        switch (status) {
            case STATUS_OK: return null;
            case STATUS_BUSY: return Errno.EBUSY;
            case STATUS_REQUEST_NOT_SUPPORTED: return Errno.EOPNOTSUPP;
            case STATUS_PROTOCOL_ERROR: return Errno.EPROTO;
            case STATUS_INVALID_PARAMETER: return Errno.EINVAL;
            default: return Errno.EIO; // STATUS_ERROR and values from the future
        }
    }

    public static String statusName(int status) {
        switch (status) {
            case STATUS_OK: return "OK";
            case STATUS_BUSY: return "BUSY";
            case STATUS_REQUEST_NOT_SUPPORTED: return "REQUEST_NOT_SUPPORTED";
            case STATUS_PROTOCOL_ERROR: return "PROTOCOL_ERROR";
            case STATUS_INVALID_PARAMETER: return "INVALID_PARAMETER";
            case STATUS_ERROR: return "ERROR";
            default: return "unknown status " + status;
        }
    }

    public static String requestName(int request) {
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

    static ByteBuffer le(byte[] b, int len) {
        return ByteBuffer.wrap(b, 0, len).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The display descriptor. */
    public record Descriptor(int magic, int version, int flags, int compression, long maxBufferSize,
                             long minWidth, long maxWidth, long minHeight, long maxHeight) {

        public byte[] encode() {
            ByteBuffer b = ByteBuffer.allocate(DESCRIPTOR_SIZE).order(ByteOrder.LITTLE_ENDIAN);
            b.putInt(magic).put((byte) version).putInt(flags).put((byte) compression).putInt((int) maxBufferSize)
                    .putInt((int) minWidth).putInt((int) maxWidth).putInt((int) minHeight).putInt((int) maxHeight);
            return b.array();
        }

        /** Decodes and checks a descriptor as the kernel's gud_get_display_descriptor does. */
        public static Descriptor decode(byte[] buf, int len) throws DeviceException {
            if (len != DESCRIPTOR_SIZE) {
                throw new DeviceException(Errno.EPROTO, "GET_DESCRIPTOR returned " + len + " bytes, expected " + DESCRIPTOR_SIZE);
            }
            ByteBuffer b = le(buf, len);
            Descriptor d = new Descriptor(b.getInt(), b.get() & 0xFF, b.getInt(), b.get() & 0xFF, b.getInt() & 0xFFFFFFFFL,
                    b.getInt() & 0xFFFFFFFFL, b.getInt() & 0xFFFFFFFFL, b.getInt() & 0xFFFFFFFFL, b.getInt() & 0xFFFFFFFFL);
            if (d.magic != MAGIC) {
                throw new DeviceException(Errno.EPROTO, String.format(
                        "not a GUD display: descriptor magic 0x%08x, expected 0x%08x", d.magic, MAGIC));
            }
            if (d.version > MAX_VERSION) {
                throw new DeviceException(Errno.EOPNOTSUPP, "GUD protocol version " + d.version
                        + " is not supported (this host speaks versions up to " + MAX_VERSION + ")");
            }
            if (d.version == 0 || d.maxWidth == 0 || d.maxHeight == 0 || d.minWidth > d.maxWidth || d.minHeight > d.maxHeight) {
                throw new DeviceException(Errno.EPROTO, "invalid GUD descriptor: " + d);
            }
            if ((d.flags & FLAG_FULL_UPDATE) != 0 && (d.compression & COMPRESSION_LZ4) != 0) {
                throw new DeviceException(Errno.EPROTO, "invalid GUD descriptor: FULL_UPDATE combined with compression,"
                        + " which the protocol forbids");
            }
            return d;
        }
    }

    /** A property: {u16 prop, u64 value}. */
    public record Property(int prop, long value) {
        public static byte[] encode(List<Property> props) {
            ByteBuffer b = ByteBuffer.allocate(props.size() * PROPERTY_SIZE).order(ByteOrder.LITTLE_ENDIAN);
            for (Property p : props) {
                b.putShort((short) p.prop).putLong(p.value);
            }
            return b.array();
        }

        public static List<Property> decode(byte[] buf, int len, String what) throws DeviceException {
            if (len % PROPERTY_SIZE != 0) {
                throw new DeviceException(Errno.EPROTO, what + " returned " + len + " bytes, not a multiple of " + PROPERTY_SIZE);
            }
            List<Property> out = new ArrayList<>();
            ByteBuffer b = le(buf, len);
            while (b.remaining() >= PROPERTY_SIZE) {
                out.add(new Property(b.getShort() & 0xFFFF, b.getLong()));
            }
            return out;
        }
    }

    /** A connector descriptor: {u8 type, u32 flags}. */
    public record Connector(int type, int flags) {
        public static byte[] encode(List<Connector> cs) {
            ByteBuffer b = ByteBuffer.allocate(cs.size() * CONNECTOR_SIZE).order(ByteOrder.LITTLE_ENDIAN);
            for (Connector c : cs) {
                b.put((byte) c.type).putInt(c.flags);
            }
            return b.array();
        }

        public static List<Connector> decode(byte[] buf, int len) throws DeviceException {
            if (len == 0 || len % CONNECTOR_SIZE != 0) {
                throw new DeviceException(Errno.EPROTO, "GET_CONNECTORS returned " + len + " bytes, expected a non-empty multiple of " + CONNECTOR_SIZE);
            }
            List<Connector> out = new ArrayList<>();
            ByteBuffer b = le(buf, len);
            while (b.remaining() >= CONNECTOR_SIZE) {
                out.add(new Connector(b.get() & 0xFF, b.getInt()));
            }
            return out;
        }
    }

    /** A display mode. */
    public record Mode(long clock, int hdisplay, int hsyncStart, int hsyncEnd, int htotal,
                       int vdisplay, int vsyncStart, int vsyncEnd, int vtotal, int flags) {

        /** A mode for a panel with no timing: all sync values equal to the size (what gud-pico sends). */
        public static Mode simple(int width, int height, boolean preferred) {
            return new Mode(1, width, width, width, width, height, height, height, height, preferred ? MODE_FLAG_PREFERRED : 0);
        }

        public boolean preferred() {
            return (flags & MODE_FLAG_PREFERRED) != 0;
        }

        void put(ByteBuffer b) {
            b.putInt((int) clock).putShort((short) hdisplay).putShort((short) hsyncStart).putShort((short) hsyncEnd)
                    .putShort((short) htotal).putShort((short) vdisplay).putShort((short) vsyncStart)
                    .putShort((short) vsyncEnd).putShort((short) vtotal).putInt(flags);
        }

        static Mode get(ByteBuffer b) {
            return new Mode(b.getInt() & 0xFFFFFFFFL, b.getShort() & 0xFFFF, b.getShort() & 0xFFFF, b.getShort() & 0xFFFF,
                    b.getShort() & 0xFFFF, b.getShort() & 0xFFFF, b.getShort() & 0xFFFF, b.getShort() & 0xFFFF,
                    b.getShort() & 0xFFFF, b.getInt());
        }

        public static byte[] encode(List<Mode> modes) {
            ByteBuffer b = ByteBuffer.allocate(modes.size() * MODE_SIZE).order(ByteOrder.LITTLE_ENDIAN);
            for (Mode m : modes) {
                m.put(b);
            }
            return b.array();
        }

        public static List<Mode> decode(byte[] buf, int len) throws DeviceException {
            if (len % MODE_SIZE != 0) {
                throw new DeviceException(Errno.EPROTO, "GET_CONNECTOR_MODES returned " + len + " bytes, not a multiple of " + MODE_SIZE);
            }
            List<Mode> out = new ArrayList<>();
            ByteBuffer b = le(buf, len);
            while (b.remaining() >= MODE_SIZE) {
                out.add(get(b));
            }
            return out;
        }
    }

    /** SET_BUFFER: where the next bulk transfer goes and how it is packed. */
    public record SetBuffer(long x, long y, long width, long height, long length, int compression, long compressedLength) {
        public byte[] encode() {
            ByteBuffer b = ByteBuffer.allocate(SET_BUFFER_SIZE).order(ByteOrder.LITTLE_ENDIAN);
            b.putInt((int) x).putInt((int) y).putInt((int) width).putInt((int) height).putInt((int) length)
                    .put((byte) compression).putInt((int) compressedLength);
            return b.array();
        }

        public static SetBuffer decode(byte[] buf, int len) {
            ByteBuffer b = le(buf, len);
            return new SetBuffer(b.getInt() & 0xFFFFFFFFL, b.getInt() & 0xFFFFFFFFL, b.getInt() & 0xFFFFFFFFL,
                    b.getInt() & 0xFFFFFFFFL, b.getInt() & 0xFFFFFFFFL, b.get() & 0xFF, b.getInt() & 0xFFFFFFFFL);
        }

        /** Bytes on the wire for this buffer. */
        public long transferLength() {
            return compression != 0 ? compressedLength : length;
        }
    }

    /** SET_STATE_CHECK payload: mode, format, connector, properties. */
    public record State(Mode mode, int format, int connector, List<Property> properties) {
        public State {
            properties = List.copyOf(properties);
        }

        public byte[] encode() {
            ByteBuffer b = ByteBuffer.allocate(STATE_HEADER_SIZE + properties.size() * PROPERTY_SIZE).order(ByteOrder.LITTLE_ENDIAN);
            mode.put(b);
            b.put((byte) format).put((byte) connector);
            for (Property p : properties) {
                b.putShort((short) p.prop).putLong(p.value);
            }
            return b.array();
        }

        /** Null when the length is not a header plus whole properties. */
        public static State decode(byte[] buf, int len) {
            if (len < STATE_HEADER_SIZE || (len - STATE_HEADER_SIZE) % PROPERTY_SIZE != 0) {
                return null;
            }
            ByteBuffer b = le(buf, len);
            Mode m = Mode.get(b);
            int format = b.get() & 0xFF;
            int connector = b.get() & 0xFF;
            List<Property> props = new ArrayList<>();
            while (b.remaining() >= PROPERTY_SIZE) {
                props.add(new Property(b.getShort() & 0xFFFF, b.getLong()));
            }
            return new State(m, format, connector, props);
        }
    }
}
