"""Touch input through the Python client against a real paneld (see paneld_process.py): the
emulated ADS7846 of panel tp0 pressed with ADMIN_TOUCH (touch_press/touch_release) reports on its
SPI wire, the daemon's driver filters and calibrates, and TOUCH events reach the sessions that
subscribed: DOWN then UP at the pressed display pixels (within 2 pixels: the chip's noise and
rounding, as daemon TouchChipCtlIT), nothing without subscribing, observers that do not own the
display, calibration applied at once and bad ones refused, DeviceInfo.has_touch.
"""
from __future__ import annotations

import os
import select
import struct
import subprocess
import sys
import time
import unittest
from typing import List

import paneld_process
from paneld_process import TOUCH_CALIBRATION, TOUCH_PANEL, daemon

import paneld
from paneld import _wire

NEAR = 2  # pixels: the emulated chip's noise (8 raw units) through the filter, plus rounding


def setUpModule() -> None:
    daemon()


class TouchTest(unittest.TestCase):
    def client(self) -> paneld.Client:
        c = daemon().connect()
        self.addCleanup(c.close)
        return c

    def open(self, client: paneld.Client, owner: bool = True) -> paneld.Display:
        d = client.open(TOUCH_PANEL, owner=owner)
        self.addCleanup(d.close)
        return d

    def await_kind(self, client: paneld.Client, seen: List[paneld.TouchEvent], kind: str) -> paneld.TouchEvent:
        """Dispatches ``client`` until ``seen`` (filled by a callback) holds a ``kind`` event."""
        deadline = time.monotonic() + 5.0
        while not any(e.kind == kind for e in seen):
            left = deadline - time.monotonic()
            if left <= 0:
                self.fail("no touch %s within 5 s; got %s\nlog:\n%s" % (kind, seen, daemon().log()[-2000:]))
            client.dispatch(timeout=left)
        return next(e for e in seen if e.kind == kind)

    def tap(self, admin: paneld.Client, x: int, y: int, watcher: paneld.Client,
            seen: List[paneld.TouchEvent]) -> None:
        """Presses the emulated finger at (x, y), waits for the DOWN, lifts it, waits for the UP
        (as ``panelctl tap``: a finger lifted before the chip sampled it would not be seen)."""
        admin.touch_press(TOUCH_PANEL, x, y)
        try:
            self.await_kind(watcher, seen, "down")
        finally:
            admin.touch_release(TOUCH_PANEL)
        self.await_kind(watcher, seen, "up")

    def assertNear(self, x: int, y: int, ev: paneld.TouchEvent) -> None:
        self.assertTrue(abs(ev.x - x) <= NEAR and abs(ev.y - y) <= NEAR, "expected near (%d, %d): %r" % (x, y, ev))

    def assertTap(self, x: int, y: int, seen: List[paneld.TouchEvent]) -> None:
        """DOWN first, UP last, MOVEs (the noise) between, all at (x, y) within NEAR pixels."""
        self.assertEqual("down", seen[0].kind, seen)
        self.assertEqual("up", seen[-1].kind, seen)
        self.assertTrue(all(e.kind == "move" for e in seen[1:-1]), seen)
        for e in seen:
            self.assertNear(x, y, e)
            self.assertEqual(0, e.slot, e)

    # ---------------------------------------------------------------- device info

    def test_has_touch_is_set_for_the_panel_with_a_touch_controller_only(self) -> None:
        c = self.client()
        self.assertTrue(c.info(TOUCH_PANEL).has_touch)
        self.assertFalse(c.info("lcd0").has_touch)
        devs = {d.name: d for d in c.devices()}
        self.assertEqual({TOUCH_PANEL}, {n for n, d in devs.items() if d.has_touch})
        self.assertEqual((320, 240), (devs[TOUCH_PANEL].width, devs[TOUCH_PANEL].height))

    # ---------------------------------------------------------------- events

    def test_a_tap_arrives_as_down_then_up_at_the_display_pixels(self) -> None:
        c = self.client()
        d = self.open(c)
        self.assertTrue(d.owner)
        seen: List[paneld.TouchEvent] = []
        d.on_touch(seen.append)
        before = time.monotonic_ns() // 1000
        self.tap(c, 100, 120, c, seen)
        after = time.monotonic_ns() // 1000
        self.assertTap(100, 120, seen)
        down, up = seen[0], seen[-1]
        self.assertIsInstance(down, paneld.Event)
        self.assertEqual(("touch", TOUCH_PANEL, d.session), (down.type, down.device, down.session))
        self.assertIs(d, down.display)
        self.assertTrue(down.owner, "the session owns tp0")
        self.assertFalse(down.dropped)
        self.assertTrue(0 < down.pressure <= 255, down)
        a, b, cc, dd, e, f, scale = TOUCH_CALIBRATION  # raw samples are what the calibration maps
        self.assertAlmostEqual((a * down.raw_x + b * down.raw_y + cc) / scale, down.x, delta=1)
        self.assertAlmostEqual((dd * down.raw_x + e * down.raw_y + f) / scale, down.y, delta=1)
        self.assertTrue(before <= down.timestamp_us <= up.timestamp_us <= after,
                        "CLOCK_MONOTONIC µs between %d and %d: %r %r" % (before, after, down, up))

    def test_client_on_touch_and_events_touch_deliver_the_same_events(self) -> None:
        c = self.client()
        self.open(c)
        seen: List[paneld.TouchEvent] = []
        c.on("touch", seen.append)
        self.tap(c, 300, 20, c, seen)
        self.assertTap(300, 20, seen)
        queued = [e for e in c.events(timeout=0) if e.type == "touch"]
        self.assertEqual(seen, queued, "events() yields what the callbacks got")

    def test_nothing_arrives_without_subscribing_to_touch(self) -> None:
        quiet = self.client()
        mine = self.open(quiet)  # owns tp0, subscribes to nothing
        self.assertTrue(mine.owner)
        quiet.on("device_added", lambda e: None)  # device events only: no touch bit
        waiting = self.client()
        self.open(waiting, owner=False)  # not the owner: SUBSCRIBE TOUCH alone does not see tp0's touches
        waiting_seen: List[paneld.TouchEvent] = []
        waiting.on("touch", waiting_seen.append)
        watcher = self.client()
        self.open(watcher, owner=False)
        seen: List[paneld.TouchEvent] = []
        watcher.on("touch", seen.append, observe=True)
        self.tap(watcher, 30, 200, watcher, seen)
        self.assertTap(30, 200, seen)
        for c in (quiet, waiting):
            c.info(TOUCH_PANEL)  # a round trip: the reply is written after any event for this connection
            c.dispatch()
        self.assertEqual([], [e for e in quiet.events(timeout=0) if e.type == "touch"])
        self.assertEqual([], waiting_seen)

    def test_observe_delivers_to_a_session_that_does_not_own_the_display(self) -> None:
        owner = self.client()
        self.open(owner)
        owned: List[paneld.TouchEvent] = []
        owner.on("touch", owned.append)
        observer = self.client()
        d = self.open(observer, owner=False)
        self.assertFalse(d.owner)
        seen: List[paneld.TouchEvent] = []
        d.on_touch(seen.append, observe=True)
        self.tap(owner, 200, 60, observer, seen)
        self.assertTap(200, 60, seen)
        self.assertFalse(any(e.owner for e in seen), "observed, not owned: %s" % seen)
        self.await_kind(owner, owned, "up")
        self.assertTrue(all(e.owner for e in owned), owned)
        self.assertEqual([(e.kind, e.x, e.y) for e in owned], [(e.kind, e.x, e.y) for e in seen],
                         "the owner and the observer get the same reports")

    def test_subscribing_to_touch_keeps_the_device_events(self) -> None:
        c = self.client()
        events = c.events(timeout=0)  # subscribes to device_added/device_removed
        self.assertEqual([], list(events))
        c.on("touch", lambda e: None)  # adds the touch bit: SUBSCRIBE replaces the whole mask
        admin = self.client()
        admin.unplug("lcd2")
        try:
            ev = next((e for e in c.events(timeout=5) if e.type == "device_removed"), None)
            self.assertIsNotNone(ev, "no device_removed after subscribing to touch")
            self.assertEqual("lcd2", ev.device)
        finally:
            admin.replug("lcd2")
        ev = next((e for e in c.events(timeout=5) if e.type == "device_added"), None)
        self.assertEqual("lcd2", ev.device if ev else None)

    # ---------------------------------------------------------------- calibration, admin errors

    def test_calibrate_changes_the_mapping_at_once(self) -> None:
        c = self.client()
        self.open(c)
        seen: List[paneld.TouchEvent] = []
        c.on("touch", seen.append)
        a, b, cc, d, e, f, scale = TOUCH_CALIBRATION
        mirrored = [-a, -b, 319 * scale - cc, d, e, f, scale]  # x -> 319 - x
        c.calibrate(TOUCH_PANEL, mirrored)
        self.addCleanup(c.calibrate, TOUCH_PANEL, TOUCH_CALIBRATION)
        self.tap(c, 100, 120, c, seen)
        self.assertTap(219, 120, seen)
        c.calibrate(TOUCH_PANEL, tuple(TOUCH_CALIBRATION))
        seen.clear()
        self.tap(c, 100, 120, c, seen)
        self.assertTap(100, 120, seen)

    def test_bad_calibrations_are_refused_with_clear_errors(self) -> None:
        c = self.client()
        for bad, words in (([1, 0, 0, 0, 1, 0], "7 integers"), ([1, 0, 0, 0, 1, 0, 0], "scale"),
                           ([1, 0, 0, 0, 1, 0, -5], "scale"), ([1, 0, 0.5, 0, 1, 0, 1], "calibration[2] (c)"),
                           ([1, 0, 0, 0, 1, 0, 1 << 63], "i64"), (None, "sequence")):
            with self.subTest(bad=bad):
                with self.assertRaises(ValueError) as e:
                    c.calibrate(TOUCH_PANEL, bad)
                self.assertIn(words, str(e.exception))
        with self.assertRaises(paneld.PaneldError) as e:
            c.calibrate(TOUCH_PANEL, [2, 4, 0, 1, 2, 0, 1])  # a*e - b*d = 0
        self.assertEqual(("EINVAL", "ADMIN_CALIBRATE"), (e.exception.name, e.exception.request))
        self.assertIn(TOUCH_PANEL, e.exception.message)
        self.assertIn("[2, 4, 0, 1, 2, 0, 1]", e.exception.message)
        with self.assertRaises(paneld.PaneldError) as e:
            c.calibrate("lcd0", TOUCH_CALIBRATION)
        self.assertEqual("EOPNOTSUPP", e.exception.name)
        self.assertIn("lcd0 has no touch controller", e.exception.message)

    def test_touch_press_outside_the_display_or_without_touch_is_refused(self) -> None:
        c = self.client()
        with self.assertRaises(paneld.PaneldError) as e:
            c.touch_press(TOUCH_PANEL, 320, 0)
        self.assertEqual("EINVAL", e.exception.name)
        self.assertIn("outside tp0's 320x240 display", e.exception.message)
        with self.assertRaises(paneld.PaneldError) as e:
            c.touch_press("lcd0", 1, 1)
        self.assertEqual(("EOPNOTSUPP", "ADMIN_TOUCH"), (e.exception.name, e.exception.request))
        with self.assertRaises(ValueError):
            c.touch_press(TOUCH_PANEL, 1.5, 1)
        with self.assertRaises(ValueError):
            c.on("ownership", print, observe=True)

    # ---------------------------------------------------------------- the example

    def test_touch_paint_example_paints_where_the_panel_is_touched(self) -> None:
        script = os.path.join(paneld_process.REPO, "protocol", "python", "examples", "touch_paint.py")
        p = subprocess.Popen([sys.executable, script, "--socket", daemon().socket, "--count", "2", "--seconds", "20"],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.addCleanup(p.kill)
        self.addCleanup(p.stdout.close)
        lines: List[str] = []

        def line_with(text: str) -> str:
            deadline = time.monotonic() + 10.0
            while not any(text in l for l in lines):
                left = deadline - time.monotonic()
                if left <= 0 or not select.select([p.stdout], [], [], left)[0]:
                    self.fail("touch_paint.py printed no %r within 10 s: %s" % (text, lines))
                line = p.stdout.readline()
                if not line:
                    self.fail("touch_paint.py ended: %s" % lines)
                lines.append(line)
            return next(l for l in lines if text in l)

        self.assertIn("painting on tp0 320x240", line_with("painting on"))  # the first device with touch
        c = self.client()
        c.touch_press(TOUCH_PANEL, 160, 100)
        try:
            down = line_with("down ")
        finally:
            c.touch_release(TOUCH_PANEL)
        self.assertEqual(0, p.wait(10), lines)
        fields = dict(f.split("=") for f in down.split()[1:])
        self.assertTrue(abs(int(fields["x"]) - 160) <= NEAR and abs(int(fields["y"]) - 100) <= NEAR, down)
        snap = c.snapshot(TOUCH_PANEL)
        self.assertTrue(all(v > 200 for v in snap.rgb(160, 100)), "white under the finger: %s" % (snap.rgb(160, 100),))
        self.assertEqual((0, 0, 0), snap.rgb(20, 20), "black elsewhere")

    # ---------------------------------------------------------------- decoding

    def test_the_protocol_example_decodes_and_an_unknown_kind_does_not_crash(self) -> None:
        c = self.client()
        d = self.open(c)
        example = bytes.fromhex("01000000 0000 0000 0a000000 14000000 e8030000 d0070000 c800 0100 40420f0000000000"
                                .replace(" ", ""))  # PROTOCOL.md section 15, with this session's id
        example = struct.pack("<I", d.session) + example[4:]
        c._ev.handle(_wire.EV_TOUCH, example)
        newer = bytearray(example)
        newer[4:6] = struct.pack("<H", 7)  # a kind of a newer server
        newer[26:28] = struct.pack("<H", 0xFFFE)  # with flags this client does not know
        c._ev.handle(_wire.EV_TOUCH, bytes(newer) + b"more fields of a newer server")
        got = [e for e in c.events(timeout=0) if e.type == "touch"]
        self.assertEqual(2, len(got), got)
        self.assertEqual(("down", 0, 10, 20, 1000, 2000, 200, True, False, 1000000),
                         (got[0].kind, got[0].slot, got[0].x, got[0].y, got[0].raw_x, got[0].raw_y,
                          got[0].pressure, got[0].owner, got[0].dropped, got[0].timestamp_us))
        self.assertIs(d, got[0].display)
        self.assertEqual(("7", False, True), (got[1].kind, got[1].owner, got[1].dropped))


if __name__ == "__main__":  # pragma: no cover
    unittest.main()
