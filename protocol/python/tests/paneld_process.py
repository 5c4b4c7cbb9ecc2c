"""A real paneld started for the tests: ``java -jar $PANELD_JAR`` on a temporary Unix socket
and a loopback TCP port, serving virtual panels (one with an emulated touch controller). Shared by the test modules (one daemon per
test run, started on first use, stopped at exit).

Environment: ``PANELD_JAR`` (default: daemon/target/paneld.jar of this repository),
``PANELD_JAVA`` (default: ``java`` on PATH), ``PANELD_JAVA_OPTS`` (extra JVM flags, split on
spaces). Without a jar the tests are skipped, saying so.
"""
from __future__ import annotations

import atexit
import os
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))  # the paneld package beside tests/, uninstalled

import paneld  # noqa: E402

REPO = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
PANELS = {"lcd0": (320, 240), "lcd1": (240, 240), "lcd2": (64, 48)}
#: An emulated mi0283qt (320x240) with the Watterott board's emulated ADS7846 touch controller on
#: its SPI bus (chip select 1, PENIRQ on GPIO 25, noise of 8 raw units), calibrated by this
#: tslib map of the emulated board's raw axes (as daemon TouchChipCtlIT): touches come through
#: the chip's wire, the driver's filter and the calibration, within 2 pixels.
TOUCH_PANEL = "tp0"
TOUCH_CALIBRATION = [0, 5697, -1196265, -4425, 0, 16902020, 65536]


class Paneld:
    """The daemon process, its socket, TCP address and log."""

    def __init__(self) -> None:
        jar = os.environ.get("PANELD_JAR") or os.path.join(REPO, "daemon", "target", "paneld.jar")
        if os.environ.get("PANELD_JAR") and not os.path.isfile(jar):
            raise AssertionError("PANELD_JAR=%s: no such file" % jar)
        if not os.path.isfile(jar):
            raise unittest.SkipTest("no paneld jar at %s: build it (mvn -B -q package -DskipTests) or set PANELD_JAR" % jar)
        java = os.environ.get("PANELD_JAVA") or shutil.which("java")
        if not java:
            raise unittest.SkipTest("no java binary: set PANELD_JAVA")
        self.dir = tempfile.mkdtemp(prefix="paneld-py-")
        self.socket = os.path.join(self.dir, "run", "paneld.sock")
        self.tcp_port = _free_port()
        cfg = os.path.join(self.dir, "paneld.toml")
        lines = ["[server]", 'socket = "%s"' % self.socket, 'tcp = "127.0.0.1:%d"' % self.tcp_port,
                 "[usb]", "hotplug = false"]
        for name, (w, h) in PANELS.items():
            lines += ["[[panel]]", 'name = "%s"' % name, 'driver = "virtual-fb"', 'backend = "virtual"',
                      "width = %d" % w, "height = %d" % h]
        lines += ["[[panel]]", 'name = "%s"' % TOUCH_PANEL, 'driver = "mi0283qt"', 'backend = "virtual"',
                  "[panel.touch]", 'driver = "ads7846"', "spi_cs = 1", "irq_gpio = 25", "noise = 8",
                  "calibration = [%s]" % ", ".join(map(str, TOUCH_CALIBRATION))]
        with open(cfg, "w") as f:
            f.write("\n".join(lines) + "\n")
        self.log_path = os.path.join(self.dir, "paneld.log")
        self._log = open(self.log_path, "wb")
        opts = shlex.split(os.environ.get("PANELD_JAVA_OPTS", "-Xmx64m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC"))
        env = {k: v for k, v in os.environ.items() if k not in ("NOTIFY_SOCKET", "LISTEN_FDS", "LISTEN_PID",
                                                                  "JOURNAL_STREAM", "INVOCATION_ID")}
        self.process = subprocess.Popen([java] + opts + ["-jar", jar, "--config", cfg], cwd=self.dir, env=env,
                                        stdin=subprocess.DEVNULL, stdout=self._log, stderr=subprocess.STDOUT)
        self._await_ready(30.0)

    def _await_ready(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError("paneld exited with %d before it served; log:\n%s" % (self.process.returncode, self.log()))
            if "ready: serving" in self.log():
                return
            time.sleep(0.05)  # polling the log for a condition, bounded by the deadline
        raise AssertionError("paneld did not say ready within %.0f s; log:\n%s" % (seconds, self.log()))

    def log(self) -> str:
        with open(self.log_path, "r", errors="replace") as f:
            return f.read()

    def connect(self, **kw) -> "paneld.Client":
        return paneld.connect(self.socket, timeout=10.0, **kw)

    def connect_tcp(self, **kw) -> "paneld.Client":
        return paneld.connect(tcp="127.0.0.1:%d" % self.tcp_port, timeout=10.0, **kw)

    def stop(self) -> int:
        """SIGTERM, the exit status; fails on a Netty leak report in the log. Once."""
        if self._log.closed:
            return self.process.returncode
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        self._log.close()
        log = self.log()
        shutil.rmtree(self.dir, ignore_errors=True)
        if "LEAK:" in log:
            raise AssertionError("paneld reported a Netty leak; log:\n" + log)
        return self.process.returncode


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


_daemon = None


def daemon() -> Paneld:
    """The shared daemon, started on first use."""
    global _daemon
    if _daemon is None:
        _daemon = Paneld()
        atexit.register(_stop)
    return _daemon


def _stop() -> None:
    global _daemon
    if _daemon is not None:
        d, _daemon = _daemon, None
        code = d.stop()
        if code != 0:
            sys.stderr.write("paneld exited with %d at SIGTERM\n" % code)
            os._exit(1)
