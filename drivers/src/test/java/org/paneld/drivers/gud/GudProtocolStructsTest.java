package org.paneld.drivers.gud;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.paneld.drivers.core.Errno;

/**
 * GUD request structs and codes as include/drm/gud.h lays them out (packed, little-endian), with
 * bytes written by hand here, not produced by GudProtocol: the decoders of SET_BUFFER and
 * SET_STATE, the property and descriptor encoders, the simple mode, and the names and errnos
 * the driver logs. Written from the survivors of {@code bench/run mutation} (group gud_wire).
 */
class GudProtocolStructsTest {

    private static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    @Test
    void setBufferDecodesGudSetBufferReq() {
        // struct gud_set_buffer_req { __le32 x, y, width, height, length; __u8 compression; __le32 compressed_length; }
        byte[] req = bytes(
                0x10, 0, 0, 0, 0x20, 0, 0, 0, 0x40, 0x01, 0, 0, 0xF0, 0, 0, 0,
                0x00, 0x58, 0x02, 0x00, 0x01, 0x34, 0x12, 0x00, 0x80);
        GudProtocol.SetBuffer sb = GudProtocol.SetBuffer.decode(req, req.length);
        assertEquals(new GudProtocol.SetBuffer(16, 32, 320, 240, 0x025800, 1, 0x80001234L), sb);
        assertEquals(0x80001234L, sb.transferLength(), "compressed: the compressed length travels");
        assertEquals(0x025800, new GudProtocol.SetBuffer(0, 0, 320, 240, 0x025800, 0, 7).transferLength());
        assertArrayEquals(req, sb.encode());
    }

    @Test
    void stateDecodesGudStateReq() {
        // struct gud_state_req { struct gud_display_mode_req mode; __u8 format; __u8 connector;
        //                        struct gud_property_req properties[]; }
        byte[] req = bytes(
                0x01, 0, 0, 0,                   // clock 1
                0x40, 0x01, 0x41, 0x01, 0x42, 0x01, 0x43, 0x01, // hdisplay 320, hsync_start 321, hsync_end 322, htotal 323
                0xF0, 0x00, 0xF1, 0x00, 0xF2, 0x00, 0xF3, 0x00, // vdisplay 240 … vtotal 243
                0x00, 0x04, 0x00, 0x00,          // flags: GUD_DISPLAY_MODE_FLAG_PREFERRED (1 << 10)
                0x10,                            // format
                0x00,                            // connector
                0x32, 0x00, 0x04, 0, 0, 0, 0, 0, 0, 0x80, // ROTATION (50) = 0x8000000000000004
                0x0C, 0x00, 0x64, 0, 0, 0, 0, 0, 0, 0);   // BACKLIGHT_BRIGHTNESS (12) = 100
        GudProtocol.State s = GudProtocol.State.decode(req, req.length);
        assertEquals(new GudProtocol.Mode(1, 320, 321, 322, 323, 240, 241, 242, 243, 1 << 10), s.mode());
        assertTrue(s.mode().preferred());
        assertEquals(0x10, s.format());
        assertEquals(0, s.connector());
        assertEquals(List.of(new GudProtocol.Property(50, 0x8000000000000004L), new GudProtocol.Property(12, 100)),
                s.properties());
        assertArrayEquals(req, s.encode());
        assertNull(GudProtocol.State.decode(req, 25), "shorter than mode + format + connector");
        assertNull(GudProtocol.State.decode(req, 27), "a partial property");
        assertEquals(List.of(), GudProtocol.State.decode(req, 26).properties());
    }

    @Test
    void propertiesAndDescriptorEncodeAsGudH() {
        assertArrayEquals(bytes(0x32, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0, 0x0C, 0x00, 0xFF, 0x01, 0, 0, 0, 0, 0, 0),
                GudProtocol.Property.encode(List.of(new GudProtocol.Property(50, 1), new GudProtocol.Property(12, 511))));
        // struct gud_display_descriptor_req { __le32 magic; __u8 version; __le32 flags; __u8 compression;
        //   __le32 max_buffer_size, min_width, max_width, min_height, max_height; }
        byte[] d = new GudProtocol.Descriptor(0x1d50614d, 1, 2, 1, 0x10000, 8, 320, 4, 240).encode();
        assertArrayEquals(bytes(0x4d, 0x61, 0x50, 0x1d, 0x01, 0x02, 0, 0, 0, 0x01, 0, 0, 0x01, 0, 0x08, 0, 0, 0,
                0x40, 0x01, 0, 0, 0x04, 0, 0, 0, 0xF0, 0, 0, 0), d);
    }

    @Test
    void simpleModes() {
        GudProtocol.Mode p = GudProtocol.Mode.simple(128, 64, true);
        assertEquals(new GudProtocol.Mode(1, 128, 128, 128, 128, 64, 64, 64, 64, 1 << 10), p);
        assertTrue(p.preferred());
        GudProtocol.Mode n = GudProtocol.Mode.simple(128, 64, false);
        assertEquals(0, n.flags());
        assertFalse(n.preferred());
        assertFalse(new GudProtocol.Mode(1, 1, 1, 1, 1, 1, 1, 1, 1, (1 << 10) - 1 | 1 << 11).preferred());
    }

    @Test
    void statusesAndRequestsAreNamedAsGudH() {
        assertNull(GudProtocol.statusErrno(0));
        assertEquals(Errno.EBUSY, GudProtocol.statusErrno(1));
        assertEquals(Errno.EOPNOTSUPP, GudProtocol.statusErrno(2));
        assertEquals(Errno.EPROTO, GudProtocol.statusErrno(3));
        assertEquals(Errno.EINVAL, GudProtocol.statusErrno(4));
        assertEquals(Errno.EIO, GudProtocol.statusErrno(5));
        assertEquals(Errno.EIO, GudProtocol.statusErrno(6));
        String[] statuses = {"OK", "BUSY", "REQUEST_NOT_SUPPORTED", "PROTOCOL_ERROR", "INVALID_PARAMETER", "ERROR"};
        for (int i = 0; i < statuses.length; i++) {
            assertEquals(statuses[i], GudProtocol.statusName(i));
        }
        assertEquals("unknown status 6", GudProtocol.statusName(6));
        int[] codes = {0x00, 0x01, 0x40, 0x41, 0x50, 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x60, 0x61, 0x62, 0x63, 0x64};
        String[] names = {"GET_STATUS", "GET_DESCRIPTOR", "GET_FORMATS", "GET_PROPERTIES", "GET_CONNECTORS",
            "GET_CONNECTOR_PROPERTIES", "GET_CONNECTOR_TV_MODE_VALUES", "SET_CONNECTOR_FORCE_DETECT",
            "GET_CONNECTOR_STATUS", "GET_CONNECTOR_MODES", "GET_CONNECTOR_EDID", "SET_BUFFER", "SET_STATE_CHECK",
            "SET_STATE_COMMIT", "SET_CONTROLLER_ENABLE", "SET_DISPLAY_ENABLE"};
        for (int i = 0; i < codes.length; i++) {
            assertEquals(names[i], GudProtocol.requestName(codes[i]));
        }
        assertEquals("request 0x65", GudProtocol.requestName(0x65));
    }
}
