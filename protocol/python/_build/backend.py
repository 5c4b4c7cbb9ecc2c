"""A PEP 517 build backend in the standard library alone, so that ``pip install ./protocol/python``
works offline on a fresh machine: it needs no setuptools or wheel (which a Python 3.12+ venv does
not have, and which pip would otherwise download into its isolated build environment).

It builds the pure-Python wheel (``paneld/`` plus the dist-info), an sdist, and an editable
wheel (PEP 660, a ``.pth`` file naming this directory). The metadata comes from the
``[project]`` table of pyproject.toml: its plain ``key = "string"`` lines, and the
optional-dependencies written as ``name = ["req", …]`` on one line each.
"""
from __future__ import annotations

import base64
import hashlib
import io
import os
import re
import tarfile
import zipfile
from typing import Dict, List, Optional, Tuple

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PACKAGE = "paneld"
EPOCH = (1980, 1, 1, 0, 0, 0)  # fixed timestamps: the same sources give the same wheel


def _project() -> Tuple[Dict[str, str], Dict[str, List[str]]]:
    """The ``[project]`` strings and ``[project.optional-dependencies]`` of pyproject.toml."""
    fields: Dict[str, str] = {}
    extras: Dict[str, List[str]] = {}
    table = None
    with open(os.path.join(ROOT, "pyproject.toml"), encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line.startswith("["):
                table = line.strip("[]").strip()
                continue
            m = re.match(r'^([A-Za-z0-9_-]+)\s*=\s*(.+)$', line)
            if not m:
                continue
            key, value = m.group(1), m.group(2).strip()
            if table == "project" and value.startswith('"') and value.endswith('"'):
                fields[key] = value[1:-1]
            elif table == "project.optional-dependencies" and value.startswith("["):
                extras[key] = re.findall(r'"([^"]+)"', value)
    for key in ("name", "version"):
        if key not in fields:
            raise ValueError("pyproject.toml: [project] has no %s = \"...\" line" % key)
    return fields, extras


def _metadata() -> str:
    fields, extras = _project()
    lines = ["Metadata-Version: 2.1", "Name: " + fields["name"], "Version: " + fields["version"]]
    if "description" in fields:
        lines.append("Summary: " + fields["description"])
    if "requires-python" in fields:
        lines.append("Requires-Python: " + fields["requires-python"])
    for extra, reqs in extras.items():
        lines.append("Provides-Extra: " + extra)
        lines += ['Requires-Dist: %s; extra == "%s"' % (r, extra) for r in reqs]
    readme = os.path.join(ROOT, "README.md")
    body = ""
    if os.path.exists(readme):
        lines.append("Description-Content-Type: text/markdown")
        with open(readme, encoding="utf-8") as f:
            body = f.read()
    return "\n".join(lines) + "\n\n" + body


def _names() -> Tuple[str, str]:
    fields, _ = _project()
    dist = re.sub(r"[-_.]+", "_", fields["name"]).lower()
    return dist, fields["version"]


def _package_files() -> List[str]:
    out = []
    for dirpath, dirnames, filenames in os.walk(os.path.join(ROOT, PACKAGE)):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
        for name in sorted(filenames):
            if name.endswith(".py") or name == "py.typed":
                out.append(os.path.relpath(os.path.join(dirpath, name), ROOT).replace(os.sep, "/"))
    return out


def _write_wheel(directory: str, files: List[Tuple[str, bytes]]) -> str:
    dist, version = _names()
    info = "%s-%s.dist-info" % (dist, version)
    files = files + [
        (info + "/METADATA", _metadata().encode("utf-8")),
        (info + "/WHEEL", b"Wheel-Version: 1.0\nGenerator: paneld _build/backend.py\nRoot-Is-Purelib: true\nTag: py3-none-any\n"),
    ]
    record = []
    for path, data in files:
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode("ascii")
        record.append("%s,sha256=%s,%d" % (path, digest, len(data)))
    record.append(info + "/RECORD,,")
    files.append((info + "/RECORD", ("\n".join(record) + "\n").encode("utf-8")))
    name = "%s-%s-py3-none-any.whl" % (dist, version)
    with zipfile.ZipFile(os.path.join(directory, name), "w", zipfile.ZIP_DEFLATED) as z:
        for path, data in files:
            zi = zipfile.ZipInfo(path, EPOCH)
            zi.external_attr = 0o644 << 16
            zi.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(zi, data)
    return name


def _read(rel: str) -> bytes:
    with open(os.path.join(ROOT, rel), "rb") as f:
        return f.read()


# ---------------------------------------------------------------- PEP 517 / PEP 660 hooks

def get_requires_for_build_wheel(config_settings: Optional[dict] = None) -> List[str]:
    return []


def get_requires_for_build_sdist(config_settings: Optional[dict] = None) -> List[str]:
    return []


def get_requires_for_build_editable(config_settings: Optional[dict] = None) -> List[str]:
    return []


def build_wheel(wheel_directory: str, config_settings: Optional[dict] = None,
                metadata_directory: Optional[str] = None) -> str:
    return _write_wheel(wheel_directory, [(p, _read(p)) for p in _package_files()])


def build_editable(wheel_directory: str, config_settings: Optional[dict] = None,
                   metadata_directory: Optional[str] = None) -> str:
    return _write_wheel(wheel_directory, [(PACKAGE + ".pth", (ROOT + "\n").encode("utf-8"))])


def build_sdist(sdist_directory: str, config_settings: Optional[dict] = None) -> str:
    dist, version = _names()
    base = "%s-%s" % (dist, version)
    name = base + ".tar.gz"
    members = ["pyproject.toml", "README.md", "_build/backend.py"] + _package_files()
    for top in ("examples", "tests"):
        for dirpath, dirnames, filenames in os.walk(os.path.join(ROOT, top)):
            dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
            members += sorted(os.path.relpath(os.path.join(dirpath, n), ROOT) for n in filenames if n.endswith(".py"))
    with tarfile.open(os.path.join(sdist_directory, name), "w:gz", format=tarfile.PAX_FORMAT) as tar:
        for rel, data in [(m, _read(m)) for m in members if os.path.exists(os.path.join(ROOT, m))] + \
                         [("PKG-INFO", _metadata().encode("utf-8"))]:
            ti = tarfile.TarInfo(base + "/" + rel)
            ti.size = len(data)
            ti.mode = 0o644
            tar.addfile(ti, io.BytesIO(data))
    return name
