#!/usr/bin/env python3
"""Prints paneld's events as they come: devices added and removed (plug, unplug, bind), and,
for the panels named with --open, unplugged and ownership (with --touch also their touches,
observed like ``panelctl touch``).

    python3 events.py [--socket PATH] [--open NAME]... [--touch] [--seconds N]
"""
import argparse
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))  # run from a checkout
import paneld  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description="paneld event watcher")
    ap.add_argument("--socket", help="paneld's socket (default: as panelctl)")
    ap.add_argument("--open", action="append", default=[], metavar="NAME",
                    help="open a session on NAME (not as owner) to see its unplugged/ownership events")
    ap.add_argument("--touch", action="store_true", help="also the touch events of the --open panels")
    ap.add_argument("--seconds", type=float, help="stop after N seconds without an event (default: never)")
    a = ap.parse_args()
    with paneld.connect(a.socket) as client:
        for d in client.devices():
            print("device %s %s %dx%d %s" % (d.name, d.driver, d.width, d.height,
                                            "unplugged" if d.unplugged else "connected"), flush=True)
        for name in a.open:
            client.open(name, owner=False)
        for ev in client.events(timeout=a.seconds, observe=a.touch):
            fields = " ".join("%s=%s" % (k, v) for k, v in vars(ev).items() if v is not None and k not in ("type", "display"))
            print("%s %s %s" % (time.strftime("%H:%M:%S"), ev.type, fields), flush=True)
            if ev.type == "shutdown":
                return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
