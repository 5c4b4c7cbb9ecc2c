"""The top README's Python example, run exactly as printed (against the test's paneld, found
through $PANELD_SOCKET as the default socket rule says), then checked on the panel."""
from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
import tempfile
import unittest

import paneld_process
from paneld_process import daemon

HAVE_PIL = importlib.util.find_spec("PIL") is not None


def readme_example() -> str:
    with open(os.path.join(paneld_process.REPO, "README.md"), encoding="utf-8") as f:
        text = f.read()
    m = re.search(r"<!-- python-example:begin -->\n```python\n(.*?)```\n<!-- python-example:end -->", text, re.S)
    if not m:
        raise AssertionError("README.md has no python-example block")
    return m.group(1)


class ReadmeExampleTest(unittest.TestCase):
    def test_the_example_is_ten_lines(self) -> None:
        self.assertLessEqual(len(readme_example().strip().splitlines()), 10)

    @unittest.skipUnless(HAVE_PIL, "Pillow is not installed (python3-pil): the README example needs it")
    def test_the_readme_example_works_as_printed(self) -> None:
        with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as f:
            f.write(readme_example())
        self.addCleanup(os.unlink, f.name)
        env = dict(os.environ, PANELD_SOCKET=daemon().socket,
                   PYTHONPATH=os.path.join(paneld_process.REPO, "protocol", "python"))
        out = subprocess.run([sys.executable, f.name], env=env, capture_output=True, text=True, timeout=60)
        self.assertEqual(0, out.returncode, out.stdout + out.stderr)
        with daemon().connect() as c:
            snap = c.snapshot("lcd0")
        self.assertEqual((255, 0, 0), snap.rgb(0, 0))
        self.assertEqual((255, 0, 0), snap.rgb(319, 19))
        self.assertEqual((0, 0, 128), snap.rgb(0, 20))
        self.assertEqual((0, 0, 128), snap.rgb(319, 239))
        text = [snap.rgb(x, y) for y in range(30, 45) for x in range(10, 120)]
        self.assertIn((255, 255, 255), text, "no white text pixels")


if __name__ == "__main__":
    unittest.main()
