"""Pixels for the panel: Pillow images fitted and encoded as XRGB8888 or RGB565, and raw bytes
checked. Pillow is optional; without it only bytes are accepted. Stateless; any thread.
"""
from __future__ import annotations

import sys
from typing import Any, Tuple

from . import _wire

PILLOW_HINT = ("Pillow is not installed (pip install pillow, or apt install python3-pil); "
               "without it, pass bytes or a memoryview of XRGB8888 or RGB565 pixels")


def require_pillow(what: str) -> Any:
    """``PIL.Image``, or ImportError saying that ``what`` needs Pillow."""
    try:
        from PIL import Image
    except ImportError as e:
        raise ImportError("%s needs Pillow: %s" % (what, PILLOW_HINT)) from e
    return Image


def is_image(obj: Any) -> bool:
    """True for a Pillow image (without importing Pillow when the caller did not)."""
    mod = sys.modules.get("PIL.Image")
    return mod is not None and isinstance(obj, getattr(mod, "Image", ()))


def format_code(fmt: str) -> int:
    """The fourcc of ``"XRGB8888"`` or ``"RGB565"`` (ValueError otherwise)."""
    try:
        return _wire.FORMAT_CODES[fmt.upper()]
    except (KeyError, AttributeError):
        raise ValueError("unknown pixel format %r (XRGB8888 or RGB565)" % (fmt,)) from None


def bytes_per_pixel(fmt: str) -> int:
    return _wire.FORMATS[format_code(fmt)][1]


def fit_box(sw: int, sh: int, width: int, height: int) -> Tuple[int, int, int, int]:
    """Where an ``sw x sh`` image goes on a ``width x height`` panel when fitted like
    ``panelctl draw``: scaled preserving its aspect ratio, centred. Returns (x, y, w, h)."""
    if sw * height > sh * width:  # wider than the panel: bars top and bottom
        w, h = width, max(1, int(round(sh * width / sw)))
    else:
        w, h = max(1, int(round(sw * height / sh))), height
    return (width - w) // 2, (height - h) // 2, w, h


def to_rgb(img: Any, width: int, height: int, fit: bool = True) -> Any:
    """``img`` (any mode) as an ``RGB`` image of exactly ``width x height``: transparency is
    laid over black; with ``fit`` another size is scaled to fit, centred and letterboxed in
    black (an image of the exact size is taken pixel for pixel); without, a ValueError names
    the sizes."""
    Image = require_pillow("showing an image")
    if img.mode in ("RGBA", "LA", "PA", "RGBa", "La") or (img.mode == "P" and "transparency" in img.info):
        rgba = img.convert("RGBA")
        black = Image.new("RGBA", rgba.size, (0, 0, 0, 255))
        rgb = Image.alpha_composite(black, rgba).convert("RGB")
    elif img.mode != "RGB":
        rgb = img.convert("RGB")
    else:
        rgb = img
    if rgb.size == (width, height):
        return rgb
    if not fit:
        raise ValueError("image is %dx%d, the display %dx%d (pass fit=True to scale it)"
                         % (rgb.size[0], rgb.size[1], width, height))
    x, y, w, h = fit_box(rgb.size[0], rgb.size[1], width, height)
    canvas = Image.new("RGB", (width, height), (0, 0, 0))
    canvas.paste(rgb.resize((w, h), getattr(Image, "Resampling", Image).BILINEAR), (x, y))
    return canvas


def encode(rgb: Any, fmt: str) -> bytes:
    """An ``RGB`` Pillow image as pixel bytes: XRGB8888 (B, G, R, 0 per pixel) or RGB565
    (little-endian u16 ``RRRRRGGGGGGBBBBB``)."""
    code = format_code(fmt)
    if code == _wire.XRGB8888:
        return bytes(rgb.tobytes("raw", "BGRX"))
    Image = require_pillow("RGB565 encoding")
    from PIL import ImageChops
    r, g, b = rgb.split()
    low = ImageChops.add(g.point(lambda v: (v << 3) & 0xE0), b.point(lambda v: v >> 3))
    high = ImageChops.add(r.point(lambda v: v & 0xF8), g.point(lambda v: v >> 5))
    return bytes(Image.merge("LA", (low, high)).tobytes())


def as_bytes(data: Any, size: int, fmt: str, width: int, height: int) -> memoryview:
    """``data`` (bytes, bytearray, memoryview, a numpy array …) as a flat byte view of exactly
    ``size`` bytes, or a ValueError/TypeError saying what was expected."""
    try:
        view = memoryview(data)
    except TypeError:
        raise TypeError("expected a Pillow image, bytes or a memoryview of %s pixels, got %s%s"
                        % (fmt, type(data).__name__, "" if sys.modules.get("PIL.Image") is not None else "; " + PILLOW_HINT)) from None
    if view.ndim != 1 or view.format != "B":
        view = view.cast("B")
    if len(view) != size:
        raise ValueError("%d bytes of %s given, a %dx%d frame is %d bytes" % (len(view), fmt, width, height, size))
    return view
