#!/usr/bin/env python3
"""Pushes N full frames of changing content to a panel as fast as its replies allow and prints
the rate: the figure of ``bench/run client-fps`` for the Python client.

    python3 push_frames.py --socket PATH --device NAME --frames N --mode shm|inline

``shm``: a shared-memory buffer (mmap of the daemon's file, no pixel on the socket); ``inline``:
an inline buffer whose pixels go in WRITE frames. Each frame is a whole-frame FLIP that waits for
its FLIP_COMPLETE before the next starts. The last line is ``fps=<float>``.
"""
import argparse
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))  # run from a checkout
import paneld  # noqa: E402


def frames(width: int, height: int, count: int = 8):
    """``count`` different XRGB8888 frames (a moving gradient), made once."""
    out = []
    for k in range(count):
        row = bytes(b for x in range(width) for b in ((x + 16 * k) & 0xFF, (x * 3) & 0xFF, (32 * k) & 0xFF, 0))
        out.append(row * height)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--socket", required=True, help="paneld's Unix socket")
    ap.add_argument("--device", required=True, help="panel name, e.g. lcd0")
    ap.add_argument("--frames", type=int, required=True, help="frames to push")
    ap.add_argument("--mode", choices=("shm", "inline"), required=True)
    a = ap.parse_args()
    with paneld.connect(a.socket, client_name="push_frames.py") as client, client.open(a.device) as display:
        if not display.owner:
            print("push_frames.py: %s is owned by another client" % a.device, file=sys.stderr)
            return 1
        with display.buffer(shared=a.mode == "shm") as buf:
            if a.mode == "shm" and not buf.shared:
                print("push_frames.py: no fd passing on this connection", file=sys.stderr)
                return 1
            pics = frames(display.width, display.height)
            buf.memory[:] = pics[-1]
            buf.flip()  # warm-up, not counted
            start = time.perf_counter()
            for i in range(a.frames):
                buf.memory[:] = pics[i % len(pics)]
                buf.flip()  # waits for FLIP_COMPLETE
            elapsed = time.perf_counter() - start
    print("device=%s %dx%d mode=%s frames=%d seconds=%.3f" % (a.device, display.width, display.height, a.mode,
                                                              a.frames, elapsed))
    print("fps=%.2f" % (a.frames / elapsed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
