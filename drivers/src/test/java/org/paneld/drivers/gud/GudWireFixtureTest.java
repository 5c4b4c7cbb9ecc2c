package org.paneld.drivers.gud;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.paneld.drivers.gud.GudProtocol.Connector;
import org.paneld.drivers.gud.GudProtocol.Descriptor;
import org.paneld.drivers.gud.GudProtocol.Mode;
import org.paneld.drivers.gud.GudProtocol.Property;
import org.paneld.drivers.gud.GudProtocol.SetBuffer;
import org.paneld.drivers.gud.GudProtocol.State;

/**
 * The host's GUD structs pinned byte for byte against include/drm/gud.h (packed, little-endian):
 * every fixture below is written from the header's struct definitions and #defines, never
 * produced by {@link GudProtocol}.
 */
class GudWireFixtureTest {

    private static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    @Test
    void requestNumbersAndValuesAreTheHeaders() {
        int[][] pairs = {
            {GudProtocol.REQ_GET_STATUS, 0x00}, {GudProtocol.REQ_GET_DESCRIPTOR, 0x01}, {GudProtocol.REQ_GET_FORMATS, 0x40},
            {GudProtocol.REQ_GET_PROPERTIES, 0x41}, {GudProtocol.REQ_GET_CONNECTORS, 0x50},
            {GudProtocol.REQ_GET_CONNECTOR_PROPERTIES, 0x51}, {GudProtocol.REQ_GET_CONNECTOR_TV_MODE_VALUES, 0x52},
            {GudProtocol.REQ_SET_CONNECTOR_FORCE_DETECT, 0x53}, {GudProtocol.REQ_GET_CONNECTOR_STATUS, 0x54},
            {GudProtocol.REQ_GET_CONNECTOR_MODES, 0x55}, {GudProtocol.REQ_GET_CONNECTOR_EDID, 0x56},
            {GudProtocol.REQ_SET_BUFFER, 0x60}, {GudProtocol.REQ_SET_STATE_CHECK, 0x61},
            {GudProtocol.REQ_SET_STATE_COMMIT, 0x62}, {GudProtocol.REQ_SET_CONTROLLER_ENABLE, 0x63},
            {GudProtocol.REQ_SET_DISPLAY_ENABLE, 0x64},
            {GudProtocol.STATUS_OK, 0}, {GudProtocol.STATUS_BUSY, 1}, {GudProtocol.STATUS_REQUEST_NOT_SUPPORTED, 2},
            {GudProtocol.STATUS_PROTOCOL_ERROR, 3}, {GudProtocol.STATUS_INVALID_PARAMETER, 4}, {GudProtocol.STATUS_ERROR, 5},
            {GudProtocol.MAGIC, 0x1d50614d}, {GudProtocol.FLAG_STATUS_ON_SET, 1}, {GudProtocol.FLAG_FULL_UPDATE, 2},
            {GudProtocol.COMPRESSION_LZ4, 1}, {GudProtocol.CONNECTOR_FLAG_POLL_STATUS, 1},
            {GudProtocol.CONNECTOR_STATUS_CONNECTED_MASK, 3}, {GudProtocol.CONNECTOR_STATUS_CHANGED, 0x80},
            {GudProtocol.MODE_FLAG_PREFERRED, 0x400}, {GudProtocol.PROPERTY_BACKLIGHT_BRIGHTNESS, 12},
            {GudProtocol.PROPERTY_ROTATION, 50}, {GudProtocol.ROTATION_0, 1},
        };
        for (int[] p : pairs) {
            assertEquals(p[1], p[0]);
        }
        int[][] formats = {{0x01, 1}, {0x08, 8}, {0x20, 4}, {0x30, 8}, {0x40, 16}, {0x50, 24}, {0x80, 32}, {0x81, 32}};
        assertEquals(formats.length, GudFormat.values().length);
        for (int[] f : formats) {
            assertEquals(f[1], GudFormat.ofCode(f[0]).bitsPerPixel(), "GUD_PIXEL_FORMAT 0x" + Integer.toHexString(f[0]));
        }
    }

    @Test
    void setBufferIsXYWidthHeightLengthCompressionCompressedLength() {
        // struct gud_set_buffer_req { u32 x, y, width, height, length; u8 compression; u32 compressed_length; }
        byte[] want = bytes(
                0x01, 0x00, 0x00, 0x00,  // x = 1
                0x02, 0x00, 0x00, 0x00,  // y = 2
                0x40, 0x01, 0x00, 0x00,  // width = 320
                0xF0, 0x00, 0x00, 0x00,  // height = 240
                0x00, 0xB0, 0x04, 0x00,  // length = 307200
                0x01,                    // compression = LZ4
                0x34, 0x12, 0x00, 0x00); // compressed_length = 0x1234
        assertArrayEquals(want, new SetBuffer(1, 2, 320, 240, 307200, 1, 0x1234).encode());
    }

    @Test
    void stateIsModeFormatConnectorAndProperties() {
        // struct gud_state_req { struct gud_display_mode_req mode; u8 format; u8 connector; struct gud_property_req properties[]; }
        byte[] want = bytes(
                0x88, 0x13, 0x00, 0x00,  // clock = 5000 kHz
                0x40, 0x01, 0x41, 0x01, 0x42, 0x01, 0x43, 0x01, // hdisplay 320, hsync_start 321, hsync_end 322, htotal 323
                0xF0, 0x00, 0xF1, 0x00, 0xF2, 0x00, 0xF3, 0x00, // vdisplay 240, vsync_start 241, vsync_end 242, vtotal 243
                0x00, 0x04, 0x00, 0x00,  // flags = PREFERRED
                0x40,                    // format = RGB565
                0x00,                    // connector 0
                0x0C, 0x00, 0x32, 0, 0, 0, 0, 0, 0, 0,   // backlight = 50
                0x32, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0);  // rotation = ROTATION_0
        Mode m = new Mode(5000, 320, 321, 322, 323, 240, 241, 242, 243, 0x400);
        byte[] got = new State(m, 0x40, 0, List.of(new Property(12, 50), new Property(50, 1))).encode();
        assertArrayEquals(want, got);
    }

    @Test
    void descriptorModesConnectorsAndPropertiesDecodeFromTheHeadersLayout() throws Exception {
        // struct gud_display_descriptor_req { u32 magic; u8 version; u32 flags; u8 compression; u32 max_buffer_size;
        //                                      u32 min_width, max_width, min_height, max_height; }
        byte[] desc = bytes(0x4D, 0x61, 0x50, 0x1D, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x00,
                0x40, 0x01, 0x00, 0x00, 0x40, 0x01, 0x00, 0x00, 0xF0, 0x00, 0x00, 0x00, 0xF0, 0x00, 0x00, 0x00);
        assertEquals(30, desc.length);
        Descriptor d = Descriptor.decode(desc, desc.length);
        assertEquals(new Descriptor(0x1d50614d, 1, 2, 0, 4096, 320, 320, 240, 240), d);

        // struct gud_connector_descriptor_req { u8 connector_type; u32 flags; }
        assertEquals(List.of(new Connector(0, 1)), Connector.decode(bytes(0x00, 0x01, 0x00, 0x00, 0x00), 5));
        assertArrayEquals(bytes(0x00, 0x01, 0x00, 0x00, 0x00), Connector.encode(List.of(new Connector(0, 1))));

        // struct gud_property_req { u16 prop; u64 val; }
        byte[] props = bytes(0x0C, 0x00, 0x64, 0, 0, 0, 0, 0, 0, 0, 0x32, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0);
        assertEquals(List.of(new Property(12, 100), new Property(50, 1)), Property.decode(props, props.length, "test"));

        // struct gud_display_mode_req { u32 clock; u16 hdisplay … vtotal; u32 flags; }
        byte[] mode = bytes(0x10, 0x27, 0x00, 0x00, 0x20, 0x00, 0x21, 0x00, 0x22, 0x00, 0x23, 0x00,
                0x10, 0x00, 0x11, 0x00, 0x12, 0x00, 0x13, 0x00, 0x00, 0x04, 0x00, 0x00);
        Mode m = Mode.decode(mode, mode.length).get(0);
        assertEquals(new Mode(10000, 32, 33, 34, 35, 16, 17, 18, 19, 0x400), m);
        assertTrue(m.preferred());
        assertArrayEquals(mode, Mode.encode(List.of(m)));
    }
}
