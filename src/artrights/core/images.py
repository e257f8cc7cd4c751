"""Safe image loading for untrusted uploads: the one loader every app and the offline tools use (framework-free).

Every failure is an :class:`ImageRejected` with a stable machine code and a bilingual message so the
web layer can show it directly.  Pillow's own decompression-bomb guard is replaced by an explicit
pixel budget checked *before* decoding, so a 20000x20000 PNG costs a header read, not 1.6 GB.

There is one pixel budget. Offline tools (``artrights verify``, ``artrights match``) use
:data:`DEFAULT_MAX_PIXELS`; the platform sets the operator's ``ARTRIGHTS_MAX_IMAGE_PIXELS`` at start-up
(``core.apps``) with :func:`set_pixel_budget`, and every loader call without an explicit ``max_pixels`` uses it.
"""

from __future__ import annotations

import io
import os
import struct
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

from artrights.core.errors import BilingualError

if TYPE_CHECKING:
    import numpy as np

__all__ = [
    "DEFAULT_MAX_PIXELS",
    "MIN_SIDE",
    "ImageRejected",
    "load_image",
    "open_image",
    "pixel_budget",
    "set_pixel_budget",
    "to_rgb_array",
]

MIN_SIDE = 16  # below this no local feature or hash is meaningful
# 80 megapixels: far beyond any photograph of an artwork, well below what a decoder can be made to allocate.
DEFAULT_MAX_PIXELS = 80_000_000
_ALLOWED_FORMATS = {"JPEG", "PNG", "GIF", "WEBP", "BMP", "TIFF", "MPO"}


class ImageRejected(BilingualError, ValueError):
    """An upload that is not a usable image.  ``code`` is stable for the API."""


_budget = DEFAULT_MAX_PIXELS


def set_pixel_budget(max_pixels: int) -> None:
    """Make ``max_pixels`` the budget of every later load that names none (the platform's setting)."""
    global _budget
    if max_pixels < MIN_SIDE * MIN_SIDE:
        raise ValueError(f"a pixel budget of {max_pixels} admits no usable image")
    _budget = max_pixels


def pixel_budget() -> int:
    return _budget


def _open(data: bytes | str | os.PathLike[str]) -> Image.Image:
    if isinstance(data, bytes | bytearray | memoryview):
        raw = bytes(data)
        if not raw:
            raise ImageRejected("empty", "文件为空。", "The file is empty.")
        src: io.BytesIO | Path = io.BytesIO(raw)
    else:
        src = Path(data)
        if not src.is_file():
            raise ImageRejected("not_found", "找不到文件。", "The file does not exist.")
    try:
        return Image.open(src)
    except UnidentifiedImageError as exc:
        raise ImageRejected("not_an_image", "无法识别的图片格式。", "This is not a recognised image.") from exc
    except Image.DecompressionBombError as exc:
        raise ImageRejected("too_large", "图片像素过多。", "The image has too many pixels.") from exc
    except (OSError, SyntaxError, ValueError, EOFError, struct.error) as exc:
        # A recognised format with a damaged header (a truncated IHDR, a broken chunk) fails while Pillow reads it.
        raise ImageRejected("corrupt", "图片文件已损坏或不完整。", "The image file is corrupt or truncated.") from exc


def open_image(data: bytes | str | os.PathLike[str], *, max_pixels: int | None = None) -> Image.Image:
    """Read an untrusted image's header (nothing decoded yet): a supported format within the pixel budget.

    Raises ``ImageRejected`` for non-images, unsupported formats and images larger than ``max_pixels``
    (default: :func:`pixel_budget`).
    """
    budget = max_pixels or _budget
    # Pillow's global bomb limit would raise a different exception type (or only warn); we
    # check the header size ourselves against the caller's budget instead.
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        old_limit = Image.MAX_IMAGE_PIXELS
        Image.MAX_IMAGE_PIXELS = None
        try:
            im = _open(data)
        finally:
            Image.MAX_IMAGE_PIXELS = old_limit
    if im.format not in _ALLOWED_FORMATS:
        raise ImageRejected("unsupported_format", "不支持的图片格式。", f"Unsupported image format {im.format}.")
    w, h = im.size
    if w * h > budget:
        raise ImageRejected(
            "too_large",
            f"图片像素过多（{w}×{h}，上限 {budget} 像素）。",
            f"The image has {w}x{h} pixels; the limit is {budget}.",
        )
    return im


def load_image(data: bytes | str | os.PathLike[str], *, max_pixels: int | None = None) -> Image.Image:
    """Decode an untrusted image into an 8-bit RGB ``PIL.Image``.

    Handles EXIF orientation, CMYK, 16-bit and float greyscale, palettes, transparency (composited
    on white, as a viewer would show it) and animations (first frame).  Raises ``ImageRejected``
    for non-images, truncated files, images larger than ``max_pixels`` (default: :func:`pixel_budget`)
    and images with a side below ``MIN_SIDE``.
    """
    im = open_image(data, max_pixels=max_pixels)
    w, h = im.size
    if min(w, h) < MIN_SIDE:
        raise ImageRejected("too_small", "图片尺寸太小。", f"The image is {w}x{h}; each side needs {MIN_SIDE} px.")
    try:
        if getattr(im, "n_frames", 1) > 1:
            im.seek(0)  # animated GIF/WebP/APNG: the first frame represents the work
        # Never accept a partially decoded file: a truncated upload would give grey junk.
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        im.load()
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise ImageRejected("corrupt", "图片文件已损坏或不完整。", "The image file is corrupt or truncated.") from exc
    try:
        im = ImageOps.exif_transpose(im) or im
    except Exception:  # a broken EXIF block should not reject an otherwise valid picture
        pass
    return _to_rgb(im)


def _to_rgb(im: Image.Image) -> Image.Image:
    mode = im.mode
    if mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        # 16-bit/float greyscale: rescale the actual range; a plain convert("L") clips to 255.
        import numpy as np  # here, not at the top: the offline verifier reads image headers without it

        arr = np.asarray(im, dtype=np.float64)
        lo, hi = float(np.nanmin(arr)), float(np.nanmax(arr))
        scale = 255.0 / (hi - lo) if hi > lo else 0.0
        arr8 = np.nan_to_num((arr - lo) * scale).clip(0, 255).astype(np.uint8)
        return Image.fromarray(arr8, "L").convert("RGB")
    if mode == "P":
        im = im.convert("RGBA") if "transparency" in im.info else im.convert("RGB")
        mode = im.mode
    if mode in ("LA", "La", "PA"):
        im = im.convert("RGBA")
        mode = im.mode
    if mode in ("RGBA", "RGBa"):
        background = Image.new("RGB", im.size, (255, 255, 255))
        background.paste(im.convert("RGBA"), mask=im.convert("RGBA").getchannel("A"))
        return background
    if mode == "CMYK":
        return ImageOps.invert(im.convert("RGB")) if _adobe_inverted(im) else im.convert("RGB")
    if mode != "RGB":
        return im.convert("RGB")
    return im


def _adobe_inverted(im: Image.Image) -> bool:
    """Photoshop writes inverted CMYK JPEGs with an Adobe APP14 marker; Pillow already undoes
    that in its decoder, so nothing needs inverting.  Kept as a hook for formats that do not."""
    return False


def to_rgb_array(im: Image.Image) -> np.ndarray:
    """H x W x 3 uint8 contiguous array."""
    import numpy as np

    return np.ascontiguousarray(np.asarray(im.convert("RGB"), dtype=np.uint8))
