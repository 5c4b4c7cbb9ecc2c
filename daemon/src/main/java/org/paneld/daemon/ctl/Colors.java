package org.paneld.daemon.ctl;

import java.util.Locale;
import java.util.Map;

/** Colour arguments of panelctl: {@code #rrggbb}, {@code rrggbb}, {@code 0xrrggbb} or a name. Stateless. */
final class Colors {
    static final Map<String, Integer> NAMES = Map.ofEntries(
            Map.entry("black", 0x000000), Map.entry("white", 0xFFFFFF), Map.entry("red", 0xFF0000),
            Map.entry("green", 0x00FF00), Map.entry("blue", 0x0000FF), Map.entry("yellow", 0xFFFF00),
            Map.entry("cyan", 0x00FFFF), Map.entry("magenta", 0xFF00FF), Map.entry("gray", 0x808080),
            Map.entry("grey", 0x808080), Map.entry("orange", 0xFFA500), Map.entry("purple", 0x800080));

    private Colors() {
    }

    /** 0xRRGGBB, or IllegalArgumentException saying what is accepted. */
    static int parse(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        Integer named = NAMES.get(t);
        if (named != null) {
            return named;
        }
        String hex = t.startsWith("#") ? t.substring(1) : t.startsWith("0x") ? t.substring(2) : t;
        if (hex.matches("[0-9a-f]{6}")) {
            return Integer.parseInt(hex, 16);
        }
        if (hex.matches("[0-9a-f]{3}")) {
            int r = Character.digit(hex.charAt(0), 16), g = Character.digit(hex.charAt(1), 16), b = Character.digit(hex.charAt(2), 16);
            return (r * 17) << 16 | (g * 17) << 8 | b * 17;
        }
        throw new IllegalArgumentException("'" + s + "' is not a colour: use #rrggbb, #rgb or one of "
                + String.join(", ", new java.util.TreeSet<>(NAMES.keySet())));
    }
}
