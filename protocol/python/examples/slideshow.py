#!/usr/bin/env python3
"""A slideshow: shows image files one after another, each scaled to fit the panel and
letterboxed like ``panelctl draw``.

    python3 slideshow.py [--socket PATH] [--device lcd0] [--seconds 5] [--loop] IMAGE...

Needs Pillow. Uses ``Display.stream`` with ``fps = 1 / seconds``: each picture goes through a
shared buffer with a whole-frame flip.
"""
import argparse
import itertools
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))  # run from a checkout
import paneld  # noqa: E402
from PIL import Image  # noqa: E402


def pictures(paths, loop):
    for path in itertools.cycle(paths) if loop else paths:
        try:
            with Image.open(path) as img:
                img.load()
                print("slideshow: %s (%dx%d %s)" % (path, img.width, img.height, img.mode), flush=True)
                yield img
        except OSError as e:
            print("slideshow: skipping %s: %s" % (path, e), file=sys.stderr, flush=True)


def main() -> int:
    ap = argparse.ArgumentParser(description="paneld slideshow")
    ap.add_argument("--socket", help="paneld's socket (default: as panelctl)")
    ap.add_argument("--device", default="lcd0")
    ap.add_argument("--seconds", type=float, default=5.0, help="seconds per picture")
    ap.add_argument("--loop", action="store_true", help="start again after the last picture")
    ap.add_argument("images", nargs="+")
    a = ap.parse_args()
    with paneld.connect(a.socket) as client, client.open(a.device) as display:
        stats = display.stream(pictures(a.images, a.loop), fps=1.0 / a.seconds)
    print("slideshow: %d shown" % stats.shown)
    return 0


if __name__ == "__main__":
    sys.exit(main())
