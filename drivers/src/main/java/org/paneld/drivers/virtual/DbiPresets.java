package org.paneld.drivers.virtual;

import static org.paneld.drivers.virtual.Dcs.MADCTL_MX;


/**
 * The catalogue of emulated parts behind {@link DbiModel}'s presets: each controller's GRAM, glass,
 * mount, colour filter, command set, display id, serial cycles and scan, from its datasheet and
 * the kernel driver's tables; what each part is, is said on its {@code DbiModel} method. Stateless;
 * any thread.
 */
final class DbiPresets {
    private DbiPresets() {
    }

    static DbiModel mi0283qt() {
        // ILI9341 datasheet V1.11, "Serial interface characteristics": tscycw 100 ns, tscycr 150 ns
        return DbiModel.builder("mi0283qt", 240, 320).mount(0xE0).bgrPanel(true).commands(DbiCommandSets.ILI9341_CMDS)
                .displayId(0x00, 0x93, 0x41).cycles(100, 150).scan(DbiFrameRate.ILI9341, 70, 4).build();
    }

    static DbiModel ili9341() {
        return mi0283qt().toBuilder().name("ili9341").build();
    }

    static DbiModel yx240qv29() {
        return mi0283qt().toBuilder().name("yx240qv29").mount(MADCTL_MX).build();
    }

    static DbiModel st7735r() {
        return DbiModel.builder("st7735r", 128, 160).mount(0xC0).bgrPanel(false).readable(false)
                .defaultColmod(0x66).commands(DbiCommandSets.ST7735R_CMDS).displayId(0x7C, 0x89, 0xF0).build();
    }

    static DbiModel st7735rOffset() {
        return st7735r().toBuilder().name("st7735r-132x162").gram(132, 162).glass(2, 1, 128, 160).build();
    }

    static DbiModel rh128128t() {
        return st7735r().toBuilder().name("rh128128t").gram(132, 162).glass(2, 31, 128, 128).bgrPanel(true)
                .readable(true).build();
    }

    static DbiModel st7789v() {
        return DbiModel.builder("st7789v", 240, 320).mount(0).bgrPanel(false).invertedGlass(true)
                .commands(DbiCommandSets.ST7789V_CMDS).scan(DbiFrameRate.ST7789, 60, 24).displayId(0x85, 0x85, 0x52).build();
    }

    static DbiModel st7789v240x240() {
        return st7789v().toBuilder().name("st7789v-240x240").glass(0, 0, 240, 240).build();
    }

    static DbiModel ili9486() {
        return DbiModel.builder("ili9486", 320, 480).mount(0xE0).bgrPanel(true).commands(DbiCommandSets.ILI9486_CMDS)
                .displayId(0x00, 0x94, 0x86).build();
    }

    static DbiModel ili9486Waveshare() {
        return ili9486().toBuilder().name("ili9486-waveshare").shiftRegister16(true).readable(false).build();
    }

    static DbiModel hx8357d() {
        return DbiModel.builder("hx8357d", 320, 480).mount(0xC0).bgrPanel(false).commands(DbiCommandSets.HX8357D_CMDS)
                .displayId(0x00, 0x83, 0x57).build();
    }

    static DbiModel ili9488() {
        return DbiModel.builder("ili9488", 320, 480).mount(MADCTL_MX).bgrPanel(true).needs18Bit(true)
                .commands(DbiCommandSets.ILI9488_CMDS).displayId(0x00, 0x94, 0x88).build();
    }

    static DbiModel generic(int gramWidth, int gramHeight) {
        DbiModelBuilder b = DbiModel.builder("generic", gramWidth, gramHeight);
        for (int c = 0xB0; c <= 0xFF; c++) {
            b.known.set(c);
        }
        return b.build();
    }
}
