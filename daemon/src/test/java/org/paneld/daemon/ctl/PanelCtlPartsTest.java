package org.paneld.daemon.ctl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.paneld.protocol.Message;

class PanelCtlPartsTest {
    @Test
    void colours() {
        assertEquals(0xFF0000, Colors.parse("red"));
        assertEquals(0x12ABEF, Colors.parse("#12abef"));
        assertEquals(0x12ABEF, Colors.parse("0x12ABEF"));
        assertEquals(0x12ABEF, Colors.parse("12abef"));
        assertEquals(0xFF8800, Colors.parse("#f80"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Colors.parse("#12345"));
        assertTrue(e.getMessage().startsWith("'#12345' is not a colour: use #rrggbb, #rgb or one of black, "), e.getMessage());
    }

    @Test
    void sameSizeImageIsCopiedExactly() {
        BufferedImage img = new BufferedImage(4, 3, BufferedImage.TYPE_INT_RGB);
        int[] px = new int[12];
        for (int i = 0; i < px.length; i++) {
            px[i] = i * 0x010203;
        }
        img.setRGB(0, 0, 4, 3, px, 0, 4);
        assertArrayEquals(px, Images.fit(img, 4, 3));
    }

    @Test
    void tallImageGetsBarsLeftAndRight() {
        BufferedImage img = new BufferedImage(10, 20, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 20; y++) {
            for (int x = 0; x < 10; x++) {
                img.setRGB(x, y, 0xFFFFFF);
            }
        }
        int[] out = Images.fit(img, 40, 20); // scaled to 10x20, centred: bars of 15 columns
        for (int y = 0; y < 20; y++) {
            assertEquals(0, out[y * 40]);
            assertEquals(0, out[y * 40 + 14]);
            assertEquals(0xFFFFFF, out[y * 40 + 15]);
            assertEquals(0xFFFFFF, out[y * 40 + 24]);
            assertEquals(0, out[y * 40 + 25]);
            assertEquals(0, out[y * 40 + 39]);
        }
    }

    @Test
    void infoLinesAreKeyValue() {
        Message.Info i = new Message.Info("lcd0", "mi0283qt", 320, 240, 58, 43, 0, Message.DEVICE_CONNECTED, "RGB565", "fast",
                List.of(Message.FOURCC_XRGB8888, Message.FOURCC_RGB565), List.of(new Message.Property("backlight", 0, 100, 80)));
        List<String> l = PanelCtl.infoLines(i);
        assertTrue(l.containsAll(List.of("name=lcd0", "driver=mi0283qt", "width=320", "height=240", "state=connected",
                "formats=XRGB8888,RGB565", "property.backlight=80", "property.backlight.range=0..100")), l.toString());
        assertEquals("unplugged", PanelCtl.state(Message.DEVICE_UNPLUGGED | Message.DEVICE_CONNECTED));
        assertEquals("disconnected", PanelCtl.state(0));
    }
}
