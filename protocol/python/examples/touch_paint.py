#!/usr/bin/env python3
"""Paints where the panel is touched: each contact draws a line of squares from DOWN through its
MOVEs to UP, in a shared buffer whose damaged rectangles are flushed as they are drawn. Standard
library only. Prints one line per touch event.

    python3 touch_paint.py [--socket PATH] [--device NAME] [--brush 5] [--count N] [--seconds N]

Without --device the first device with a touch controller is used. Try it on a virtual panel
with a touch controller: ``panelctl swipe NAME 10 10 200 150`` while it runs.
"""
import argparse
import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))  # run from a checkout
import paneld  # noqa: E402

COLOURS = [0xFFFFFF, 0xFFD000, 0x00C0FF]  # per contact slot: white, amber, cyan


def main() -> int:
    ap = argparse.ArgumentParser(description="paint on a paneld display with its touch controller")
    ap.add_argument("--socket", help="paneld's socket (default: as panelctl)")
    ap.add_argument("--device", help="the display (default: the first with touch)")
    ap.add_argument("--brush", type=int, default=5, help="square brush size in pixels (default 5)")
    ap.add_argument("--count", type=int, help="stop after N touch events")
    ap.add_argument("--seconds", type=float, help="stop after N seconds without an event (default: never)")
    a = ap.parse_args()
    if a.brush < 1:
        ap.error("--brush must be at least 1")
    with paneld.connect(a.socket) as client:
        name = a.device or next((d.name for d in client.devices() if d.has_touch), None)
        if name is None:
            print("no device has a touch controller (configure [panel.touch])", file=sys.stderr)
            return 1
        if not client.info(name).has_touch:
            print("%s has no touch controller" % name, file=sys.stderr)
            return 1
        with client.open(name) as display, display.buffer() as buf:
            if not display.owner:
                print("%s is owned by another client: waiting for it" % name, flush=True)
            painter = Painter(buf, a.brush)
            display.on_touch(painter.touch)
            if display.owner:
                buf.flush()  # a black canvas
            print("painting on %s %dx%d" % (name, display.width, display.height), flush=True)
            seen = 0
            for ev in client.events(timeout=a.seconds):
                if ev.type == "ownership" and ev.owner:
                    buf.flush()
                elif ev.type == "unplugged":
                    print("%s was unplugged" % name, flush=True)
                    return 1
                elif ev.type == "touch":
                    seen += 1
                    if a.count is not None and seen >= a.count:
                        break
    return 0


class Painter:
    """Draws each contact as squares along the segments between its reports."""

    def __init__(self, buf: "paneld.Buffer", brush: int) -> None:
        self.buf = buf
        self.brush = brush
        self.last = {}  # slot -> (x, y) of its previous report

    def touch(self, ev: "paneld.TouchEvent") -> None:
        print("%s slot=%d x=%d y=%d pressure=%d%s" % (ev.kind, ev.slot, ev.x, ev.y, ev.pressure,
                                                     " dropped" if ev.dropped else ""), flush=True)
        if ev.kind not in ("down", "move", "up"):
            return  # a kind of a newer daemon
        x0, y0 = self.last.get(ev.slot, (ev.x, ev.y)) if ev.kind != "down" else (ev.x, ev.y)
        self.last[ev.slot] = (ev.x, ev.y)
        if ev.kind == "up":
            del self.last[ev.slot]
        if not ev.owner:
            return
        steps = max(abs(ev.x - x0), abs(ev.y - y0), 1)
        colour = struct.pack("<I", COLOURS[ev.slot % len(COLOURS)])
        for i in range(steps + 1):
            self.square(x0 + (ev.x - x0) * i // steps, y0 + (ev.y - y0) * i // steps, colour)
        r = self.brush // 2
        left, top = max(0, min(x0, ev.x) - r), max(0, min(y0, ev.y) - r)
        right = min(self.buf.width, max(x0, ev.x) - r + self.brush)
        bottom = min(self.buf.height, max(y0, ev.y) - r + self.brush)
        self.buf.flush([(left, top, right - left, bottom - top)])

    def square(self, x: int, y: int, colour: bytes) -> None:
        b = self.buf
        r = self.brush // 2
        x0, x1 = max(0, x - r), min(b.width, x - r + self.brush)
        row = colour * (x1 - x0)
        for yy in range(max(0, y - r), min(b.height, y - r + self.brush)):
            at = yy * b.stride + x0 * 4
            b.memory[at:at + len(row)] = row


if __name__ == "__main__":
    sys.exit(main())
