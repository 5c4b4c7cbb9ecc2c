"""The paneld Python client against a real paneld (see paneld_process.py): connect, list,
open/close, show and compare the panel's snapshot pixel for pixel, shared buffers via mmap,
flush rectangles, flips, events on unplug/replug, errors, the TCP inline fallback, stream.

Virtual panels (virtual-fb, RGB888): lcd0 320x240, lcd1 240x240 (the one unplugged), lcd2 64x48.
"""
from __future__ import annotations

import importlib.util
import os
import struct
import subprocess
import sys
import unittest
from unittest import mock

import paneld_process
from paneld_process import daemon

import paneld
from paneld import display as display_module
from paneld import images

HAVE_PIL = importlib.util.find_spec("PIL") is not None
HAVE_NUMPY = importlib.util.find_spec("numpy") is not None
NO_PIL = "Pillow is not installed (python3-pil): image tests skipped"
NO_NUMPY = "numpy is not installed (python3-numpy): array tests skipped"


def pattern_xrgb(width: int, height: int, seed: int = 0) -> bytes:
    """A frame in which every pixel differs from its neighbours: 0x00RRGGBB little-endian."""
    return b"".join(struct.pack("<%dI" % width, *[((x * 7 + seed) & 0xFF) << 16 | ((y * 5 + x) & 0xFF) << 8
                                                  | ((x ^ y ^ seed) & 0xFF) for x in range(width)])
                    for y in range(height))


def setUpModule() -> None:
    daemon()


class ClientTest(unittest.TestCase):
    def client(self, tcp: bool = False) -> paneld.Client:
        c = daemon().connect_tcp() if tcp else daemon().connect()
        self.addCleanup(c.close)
        return c

    def assertShows(self, client: paneld.Client, name: str, xrgb: bytes, rect=None) -> None:
        """The panel's snapshot equals the XRGB8888 frame, pixel for pixel (within rect)."""
        snap = client.snapshot(name)
        x0, y0, w, h = rect or (0, 0, snap.width, snap.height)
        for y in range(y0, y0 + h):
            a, b = (y * snap.width + x0) * 4, (y * snap.width + x0 + w) * 4
            if xrgb[a:b] == snap.pixels[a:b]:  # the test frames have X = 0, as the snapshot
                continue
            for x in range(x0, x0 + w):
                i = (y * snap.width + x) * 4
                want, got = xrgb[i:i + 3], snap.pixels[i:i + 3]
                if want != got:
                    self.fail("%s pixel (%d, %d): panel shows BGR %s, the client drew %s" % (name, x, y, got.hex(), want.hex()))

    # ---------------------------------------------------------------- connection, devices

    def test_connect_says_hello_and_offers_fd_passing_and_admin(self) -> None:
        c = self.client()
        self.assertEqual(1, c.version)
        self.assertEqual("paneld", c.server)
        self.assertTrue(c.fd_passing)
        self.assertTrue(c.admin, "the test runs paneld as its own uid, which is admin")
        self.assertGreater(c.limits.max_frame, 1 << 20)

    def test_connect_uses_paneld_socket_from_the_environment(self) -> None:
        with mock.patch.dict(os.environ, {"PANELD_SOCKET": daemon().socket}):
            with paneld.connect() as c:
                self.assertEqual(daemon().socket, c.address)
                self.assertIn("lcd0", [d.name for d in c.devices()])

    def test_default_socket_is_resolved_like_panelctl(self) -> None:
        self.assertEqual("/x/y.sock", paneld.default_socket({"PANELD_SOCKET": "/x/y.sock"}))
        if not os.path.exists("/run/paneld/paneld.sock"):
            run = os.path.dirname(daemon().socket)  # holds paneld.sock: a per-user directory
            self.assertEqual(daemon().socket, paneld.default_socket({"XDG_RUNTIME_DIR": run}))
            got = paneld.default_socket({"USER": "nobody-here", "XDG_RUNTIME_DIR": "/nonexistent"})
            self.assertIn(got, ("/run/paneld/paneld.sock", "/tmp/paneld-nobody-here/paneld.sock"))

    def test_connect_failure_names_the_socket(self) -> None:
        missing = os.path.join(daemon().dir, "no-such.sock")
        with self.assertRaises(ConnectionError) as e:
            paneld.connect(missing)
        self.assertIn(missing, str(e.exception))

    def test_devices_lists_every_panel_with_its_info(self) -> None:
        devs = {d.name: d for d in self.client().devices()}
        self.assertEqual({"lcd0", "lcd1", "lcd2"}, set(devs) & {"lcd0", "lcd1", "lcd2"})
        d = devs["lcd0"]
        self.assertEqual(("virtual-fb", 320, 240), (d.driver, d.width, d.height))
        self.assertIn("XRGB8888", d.formats)
        self.assertIn("RGB565", d.formats)
        self.assertIn("backlight", d.properties)
        self.assertTrue(d.connected)

    def test_info_of_an_unknown_device_is_enoent(self) -> None:
        with self.assertRaises(paneld.PaneldError) as e:
            self.client().info("nosuch")
        self.assertEqual("ENOENT", e.exception.name)
        self.assertEqual(2, e.exception.errno)
        self.assertEqual("DEVICE_INFO", e.exception.request)

    def test_open_and_close_a_session(self) -> None:
        c = self.client()
        with c.open("lcd2") as d:
            self.assertEqual((64, 48), (d.width, d.height))
            self.assertTrue(d.owner)
            self.assertTrue(any("session" in l and "lcd2" in l for l in c.status()), c.status())
            self.assertEqual("lcd2", d.info().name)
        self.assertTrue(d.closed)
        with self.assertRaises(ValueError):
            d.show(bytes(64 * 48 * 4))
        other = self.client().open("lcd2")  # closing passed ownership back: a new session owns it
        self.assertTrue(other.owner)

    # ---------------------------------------------------------------- show

    def test_show_bytes_xrgb8888_reaches_the_panel_pixel_for_pixel(self) -> None:
        c = self.client()
        frame = pattern_xrgb(320, 240, seed=3)
        with c.open("lcd0") as d:
            d.show(frame)
            self.assertShows(c, "lcd0", frame)

    def test_show_bytes_rgb565_reaches_the_panel_within_quantisation(self) -> None:
        c = self.client()
        w, h = 64, 48
        px = [((x * 4) >> 3) << 11 | ((y * 5) >> 2) << 5 | ((x + y) & 31) for y in range(h) for x in range(w)]
        with c.open("lcd2") as d:
            d.show(struct.pack("<%dH" % len(px), *px), format="RGB565")
            snap = c.snapshot("lcd2")
        for i, v in enumerate(px):
            r, g, b = snap.rgb(i % w, i // w)
            self.assertEqual((v >> 11, (v >> 5) & 63, v & 31), (r >> 3, g >> 2, b >> 3), "pixel %d" % i)

    def test_show_bytes_of_the_wrong_size_says_what_it_expected(self) -> None:
        with self.client().open("lcd2") as d:
            with self.assertRaises(ValueError) as e:
                d.show(b"\0" * 100)
        self.assertIn("64x48", str(e.exception))
        self.assertIn("12288", str(e.exception))

    @unittest.skipUnless(HAVE_PIL, NO_PIL)
    def test_show_pillow_image_compares_pixel_for_pixel(self) -> None:
        from PIL import Image
        c = self.client()
        frame = pattern_xrgb(320, 240, seed=11)
        img = Image.frombytes("RGB", (320, 240), frame, "raw", "BGRX")
        with c.open("lcd0") as d:
            d.show(img)
            self.assertShows(c, "lcd0", frame)
            self.assertEqual(img.tobytes(), c.snapshot("lcd0").to_image().tobytes())
            # a palette image with transparency: converted, transparent laid over black
            p = Image.new("RGBA", (320, 240), (255, 0, 0, 0))
            p.paste((0, 255, 0, 255), (10, 10, 20, 20))
            d.show(p)
            snap = c.snapshot("lcd0")
            self.assertEqual((0, 0, 0), snap.rgb(0, 0))
            self.assertEqual((0, 255, 0), snap.rgb(15, 15))

    @unittest.skipUnless(HAVE_PIL, NO_PIL)
    def test_show_pillow_image_as_rgb565_is_quantised_not_changed(self) -> None:
        from PIL import Image
        c = self.client()
        img = Image.frombytes("RGB", (64, 48), pattern_xrgb(64, 48, seed=7), "raw", "BGRX")
        with c.open("lcd2") as d:
            d.show(img, format="RGB565")
            snap = c.snapshot("lcd2")
        for y in range(48):
            for x in range(64):
                r, g, b = img.getpixel((x, y))
                self.assertEqual((r >> 3, g >> 2, b >> 3), tuple(v >> s for v, s in zip(snap.rgb(x, y), (3, 2, 3))), (x, y))

    @unittest.skipUnless(HAVE_PIL, NO_PIL)
    def test_show_fits_and_letterboxes_like_panelctl_draw(self) -> None:
        from PIL import Image
        c = self.client()
        with c.open("lcd1") as d:
            d.show(Image.new("RGB", (100, 50), (255, 0, 0)))  # wide: bars top and bottom
            snap = c.snapshot("lcd1")
            x, y, w, h = images.fit_box(100, 50, 240, 240)
            self.assertEqual((0, 60, 240, 120), (x, y, w, h))
            self.assertEqual((0, 0, 0), snap.rgb(120, 59))
            self.assertEqual((255, 0, 0), snap.rgb(120, 60))
            self.assertEqual((255, 0, 0), snap.rgb(0, 179))
            self.assertEqual((0, 0, 0), snap.rgb(120, 180))
            with self.assertRaises(ValueError) as e:
                d.show(Image.new("RGB", (100, 50)), fit=False)
            self.assertIn("100x50", str(e.exception))

    @unittest.skipUnless(HAVE_PIL, NO_PIL)
    def test_show_rects_sends_only_those_areas(self) -> None:
        from PIL import Image
        c = self.client()
        with c.open("lcd2") as d:
            d.show(Image.new("RGB", (64, 48), (0, 0, 255)))
            d.show(Image.new("RGB", (64, 48), (255, 255, 0)), rects=[(8, 8, 4, 4)])
            snap = c.snapshot("lcd2")
        self.assertEqual((255, 255, 0), snap.rgb(8, 8))
        self.assertEqual((255, 255, 0), snap.rgb(11, 11))
        self.assertEqual((0, 0, 255), snap.rgb(12, 11))
        self.assertEqual((0, 0, 255), snap.rgb(0, 0))

    def test_without_pillow_show_takes_bytes_and_says_so(self) -> None:
        with mock.patch.dict(sys.modules, {"PIL": None, "PIL.Image": None, "PIL.ImageChops": None}):
            with self.client().open("lcd2") as d:
                with self.assertRaises(TypeError) as e:
                    d.show(object())
                self.assertIn("Pillow is not installed", str(e.exception))
                d.show(bytes(64 * 48 * 4))
            with self.assertRaises(ImportError) as e:
                paneld.Snapshot(1, 1, bytes(4)).to_image()
            self.assertIn("Pillow", str(e.exception))

    # ---------------------------------------------------------------- buffers

    def test_shared_buffer_is_the_mmap_of_the_passed_fd(self) -> None:
        c = self.client()
        with c.open("lcd0") as d:
            b = d.buffer(shared=True)
            self.assertTrue(b.shared)
            self.assertEqual((1280, 307200), (b.stride, b.size))
            self.assertEqual(307200, len(b.memory))
            with open("/proc/self/maps") as f:
                maps = f.read()
            # the daemon's unlinked file in its private directory (/dev/shm/paneld-*/, or under the tmpdir)
            self.assertRegex(maps, r"/paneld-[^/\n]+/[^\n]*\(deleted\)", "no shared mapping of paneld's file")
            frame = pattern_xrgb(320, 240, seed=5)
            b.memory[:] = frame
            b.flush()
            self.assertShows(c, "lcd0", frame)
            b.close()
            b.close()  # idempotent

    def test_flush_rectangles_send_only_the_damage(self) -> None:
        c = self.client()
        with c.open("lcd0") as d, d.buffer() as b:
            b.memory[:] = bytes(len(b.memory))
            b.flush()
            frame = pattern_xrgb(320, 240, seed=9)
            b.memory[:] = frame
            rects = [(10, 20, 30, 40), (300, 200, 20, 40)]
            b.flush(rects)
            snap = c.snapshot("lcd0")
            for x, y in ((10, 20), (39, 59), (300, 200), (319, 239)):
                i = (y * 320 + x) * 4
                self.assertEqual(frame[i:i + 3], snap.pixels[i:i + 3], (x, y))
            for x, y in ((9, 20), (40, 59), (299, 200), (0, 0), (200, 100)):
                self.assertEqual((0, 0, 0), snap.rgb(x, y), (x, y))

    def test_flip_shows_the_whole_buffer(self) -> None:
        c = self.client()
        with c.open("lcd2") as d, d.buffer() as b:
            frame = pattern_xrgb(64, 48, seed=1)
            b.memory[:] = frame
            fid = b.flip(wait=False)
            self.assertGreater(fid, 0)
            b.wait_flip()
            self.assertTrue(b.flip_done())
            self.assertShows(c, "lcd2", frame)

    @unittest.skipUnless(HAVE_NUMPY, NO_NUMPY)
    def test_array_is_a_numpy_view_of_the_shared_memory(self) -> None:
        c = self.client()
        with c.open("lcd2") as d, d.buffer() as b:
            a = b.array()
            self.assertEqual((48, 64), a.shape)
            a[:, :] = 0x00123456
            a[10, 20] = 0x00ABCDEF
            self.assertEqual(bytes([0xEF, 0xCD, 0xAB, 0]), bytes(b.memory[(10 * 64 + 20) * 4:(10 * 64 + 21) * 4]))
            b.flush()
            snap = c.snapshot("lcd2")
            self.assertEqual((0x12, 0x34, 0x56), snap.rgb(0, 0))
            self.assertEqual((0xAB, 0xCD, 0xEF), snap.rgb(20, 10))
            with d.buffer(format="RGB565") as b565:
                self.assertEqual("uint16", str(b565.array().dtype))

    # ---------------------------------------------------------------- errors

    def test_flush_rectangle_out_of_bounds_is_einval_and_draws_nothing(self) -> None:
        c = self.client()
        with c.open("lcd0") as d, d.buffer() as b:
            b.memory[:] = bytes(len(b.memory))
            b.flush()
            b.memory[:] = b"\xff" * len(b.memory)
            for bad in ([(319, 20, 2, 2)], [(0, 0, 1, 1), (-1, 0, 2, 2)], [(0, 0, 0, 5)]):
                with self.assertRaises(paneld.PaneldError) as e:
                    b.flush(bad)
                self.assertEqual("EINVAL", e.exception.name)
                self.assertEqual("FLUSH", e.exception.request)
                self.assertIn("rectangle", e.exception.message)
            self.assertEqual((0, 0, 0), c.snapshot("lcd0").rgb(0, 0))

    def test_a_session_that_does_not_own_the_display_gets_ebusy_until_ownership_passes(self) -> None:
        a, b = self.client(), self.client()
        da = a.open("lcd2")
        db = b.open("lcd2", owner=True)
        self.assertTrue(da.owner)
        self.assertFalse(db.owner, "waits in line")
        with self.assertRaises(paneld.PaneldError) as e:
            db.show(bytes(64 * 48 * 4))
        self.assertEqual("EBUSY", e.exception.name)
        with self.assertRaises(paneld.PaneldError) as e:
            db.set("backlight", 50)
        self.assertEqual("EBUSY", e.exception.name)
        seen = []
        b.on("ownership", seen.append)
        da.close()
        ev = next(ev for ev in b.events(timeout=5) if ev.type == "ownership")
        self.assertEqual([ev], seen, "the callback saw the event the iterator yields")
        self.assertTrue(db.owner)
        self.assertEqual(("lcd2", True, db.session), (ev.device, ev.owner, ev.session))
        db.show(bytes(64 * 48 * 4))

    def test_set_property_and_its_errors(self) -> None:
        c = self.client()
        with c.open("lcd2") as d:
            d.set("backlight", 40)
            self.assertEqual(40, d.info().properties["backlight"].value)
            with self.assertRaises(paneld.PaneldError) as e:
                d.set("backlight", 101)
            self.assertEqual("EINVAL", e.exception.name)
            with self.assertRaises(paneld.PaneldError) as e:
                d.set("nosuch", 1)
            self.assertEqual("ENOENT", e.exception.name)
            d.set("backlight", 100)

    # ---------------------------------------------------------------- unplug, events

    def test_unplug_and_replug_give_events_and_enodev(self) -> None:
        admin, user = self.client(), self.client()
        d = user.open("lcd1")
        b = d.buffer()
        added = []
        admin.on("device_added", added.append)
        removed = admin.events(timeout=0)  # subscribes now
        list(removed)
        admin.unplug("lcd1")
        try:
            ev = next(e for e in user.events(timeout=5) if e.type == "unplugged")
            self.assertEqual(("lcd1", d.session), (ev.device, ev.session))
            self.assertTrue(d.unplugged)
            ev = next(e for e in admin.events(timeout=5) if e.type == "device_removed")
            self.assertEqual("lcd1", ev.device)
            with self.assertRaises(paneld.UnpluggedError) as e:
                b.flush()
            self.assertEqual(("ENODEV", 19), (e.exception.name, e.exception.errno))
            with self.assertRaises(paneld.UnpluggedError):
                d.show(bytes(240 * 240 * 4))
            with self.assertRaises(paneld.UnpluggedError):
                d.info()
            self.assertNotIn("lcd1", [x.name for x in admin.devices()])
            b.close()  # DESTROY_BUFFER and CLOSE work after unplug
            d.close()
        finally:
            admin.replug("lcd1")
        admin.dispatch(timeout=5)
        while not added and admin.dispatch(timeout=5):
            pass
        self.assertEqual(["lcd1"], [e.device for e in added])
        with user.open("lcd1") as again:
            again.show(bytes(240 * 240 * 4))

    def test_events_iterator_ends_after_its_timeout(self) -> None:
        self.assertEqual([], list(self.client().events(timeout=0.05)))

    def test_on_rejects_an_unknown_event_type(self) -> None:
        with self.assertRaises(ValueError):
            self.client().on("nosuch", print)

    # ---------------------------------------------------------------- TCP, stream

    def test_tcp_falls_back_to_inline_writes(self) -> None:
        c, admin = self.client(tcp=True), self.client()
        self.assertFalse(c.fd_passing)
        with c.open("lcd0") as d, d.buffer(shared=True) as b:
            self.assertFalse(b.shared)
            frame = pattern_xrgb(320, 240, seed=13)
            b.memory[:] = frame
            b.flush()
            self.assertShows(admin, "lcd0", frame)
            other = pattern_xrgb(320, 240, seed=17)
            b.memory[:] = other
            b.flush([(5, 6, 7, 8)])  # not whole lines: rows gathered
            self.assertShows(admin, "lcd0", other, (5, 6, 7, 8))
            self.assertEqual(frame[:4], admin.snapshot("lcd0").pixels[:4])
            d.show(frame)
            self.assertShows(admin, "lcd0", frame)

    def test_inline_writes_are_split_into_frames_of_whole_rows(self) -> None:
        c, admin = self.client(tcp=True), self.client()
        with mock.patch.object(display_module, "WRITE_CHUNK", 1000), c.open("lcd0") as d, d.buffer() as b:
            frame = pattern_xrgb(320, 240, seed=21)
            b.memory[:] = frame
            b.flip()
            self.assertShows(admin, "lcd0", frame)

    def test_stream_flips_frames_and_shows_the_last(self) -> None:
        c = self.client()
        frames = [pattern_xrgb(64, 48, seed=s) for s in range(6)]
        with c.open("lcd2") as d:
            stats = d.stream(iter(frames), fps=200)
            self.assertEqual(6, stats.read)
            self.assertEqual(stats.read, stats.shown + stats.dropped)
            self.assertGreaterEqual(stats.shown, 2)
            self.assertShows(c, "lcd2", frames[-1])
            fast = d.stream(frames * 5)  # as fast as they come: the newest wins
            self.assertEqual(30, fast.read)
            self.assertShows(c, "lcd2", frames[-1])

    def test_push_frames_example_prints_fps(self) -> None:
        script = os.path.join(paneld_process.REPO, "protocol", "python", "examples", "push_frames.py")
        for mode in ("shm", "inline"):
            out = subprocess.run([sys.executable, script, "--socket", daemon().socket, "--device", "lcd2",
                                  "--frames", "20", "--mode", mode], capture_output=True, text=True, timeout=60)
            self.assertEqual(0, out.returncode, out.stdout + out.stderr)
            last = out.stdout.strip().splitlines()[-1]
            self.assertRegex(last, r"^fps=\d+(\.\d+)?$")
            self.assertGreater(float(last[4:]), 0)


if __name__ == "__main__":
    unittest.main()
