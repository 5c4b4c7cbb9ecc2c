#!/usr/bin/env python3
"""A clock: draws the time with Pillow every second and flushes only the area that changed.

    python3 clock.py [--socket PATH] [--device lcd0] [--seconds N]

Needs Pillow (pip install pillow, or apt install python3-pil). When the panel is unplugged it
waits for it to come back (the ``device_added`` event) and goes on.
"""
import argparse
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))  # run from a checkout
import paneld  # noqa: E402
from PIL import Image, ImageChops, ImageDraw, ImageFont  # noqa: E402

FONTS = ["/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf", "/usr/share/fonts/TTF/DejaVuSans-Bold.ttf"]


def font(size: int):
    for path in FONTS:
        if os.path.exists(path):
            return ImageFont.truetype(path, size)
    try:
        return ImageFont.load_default(size=size)  # Pillow >= 10.1
    except TypeError:
        return ImageFont.load_default()


def face(width: int, height: int, now: time.struct_time, big, small) -> Image.Image:
    img = Image.new("RGB", (width, height), (0, 0, 40))
    d = ImageDraw.Draw(img)
    d.text((width // 2, height // 2), time.strftime("%H:%M:%S", now), font=big, fill=(255, 220, 120), anchor="mm")
    d.text((width // 2, height - 4), time.strftime("%a %d %b %Y", now), font=small, fill=(120, 160, 255), anchor="md")
    return img


def run(display: paneld.Display, seconds: int) -> int:
    big, small = font(max(12, display.width // 6)), font(max(10, display.width // 16))
    shown = None
    ticks = 0
    while seconds <= 0 or ticks < seconds:
        img = face(display.width, display.height, time.localtime(), big, small)
        if shown is None:
            display.show(img)  # the whole face once
            print("clock: full frame %dx%d" % img.size, flush=True)
        else:
            box = ImageChops.difference(shown, img).getbbox()  # (left, top, right, bottom) or None
            if box:
                rect = (box[0], box[1], box[2] - box[0], box[3] - box[1])
                display.show(img, rects=[rect])
                print("clock: flushed %dx%d at %d,%d" % (rect[2], rect[3], rect[0], rect[1]), flush=True)
        shown = img
        ticks += 1
        time.sleep(1.0 - time.time() % 1.0)  # to the next whole second
    return ticks


def main() -> int:
    ap = argparse.ArgumentParser(description="paneld clock")
    ap.add_argument("--socket", help="paneld's socket (default: as panelctl)")
    ap.add_argument("--device", default="lcd0")
    ap.add_argument("--seconds", type=int, default=0, help="stop after N seconds (default: never)")
    a = ap.parse_args()
    with paneld.connect(a.socket) as client:
        left = a.seconds  # an unplug starts the count again
        while True:
            try:
                with client.open(a.device) as display:
                    run(display, left)
                    return 0
            except paneld.UnpluggedError:
                print("clock: %s is gone, waiting for it to come back" % a.device, flush=True)
                next(e for e in client.events() if e.type == "device_added" and e.device == a.device)


if __name__ == "__main__":
    sys.exit(main())
