"""Safe loading of untrusted uploads: every test builds its own bytes."""

from __future__ import annotations

import io
import struct
import zlib

import numpy as np
import pytest
from PIL import Image

from artrights.core.images import ImageRejected, load_image


def _png(im: Image.Image, **kw: object) -> bytes:
    buf = io.BytesIO()
    im.save(buf, "PNG", **kw)
    return buf.getvalue()


def _noise(w: int = 64, h: int = 48, seed: int = 0) -> Image.Image:
    rng = np.random.default_rng(seed)
    return Image.fromarray(rng.integers(0, 256, (h, w, 3), dtype=np.uint8), "RGB")


def test_a_plain_png_loads_as_rgb_with_its_size() -> None:
    im = load_image(_png(_noise(64, 48)))
    assert im.mode == "RGB" and im.size == (64, 48)


def test_bytes_that_are_not_an_image_are_rejected_with_a_code() -> None:
    with pytest.raises(ImageRejected) as e:
        load_image(b"%PDF-1.7 definitely not a picture")
    assert e.value.code == "not_an_image"
    assert e.value.message_zh and e.value.message_en


def test_an_empty_upload_is_rejected() -> None:
    with pytest.raises(ImageRejected) as e:
        load_image(b"")
    assert e.value.code == "empty"


def test_a_truncated_png_is_rejected_instead_of_half_decoded() -> None:
    raw = _png(_noise(200, 200))
    with pytest.raises(ImageRejected) as e:
        load_image(raw[: len(raw) // 2])
    assert e.value.code == "corrupt"


def test_a_truncated_jpeg_is_rejected() -> None:
    buf = io.BytesIO()
    _noise(300, 300).save(buf, "JPEG", quality=90)
    with pytest.raises(ImageRejected):
        load_image(buf.getvalue()[:-2000])


def _png_header_only(w: int, h: int) -> bytes:
    """A PNG that declares w x h pixels; the pixel data is a tiny compressed stream."""

    def chunk(t: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + t + data + struct.pack(">I", zlib.crc32(t + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b"")
    )


def test_a_decompression_bomb_is_rejected_from_its_header_without_decoding() -> None:
    with pytest.raises(ImageRejected) as e:
        load_image(_png_header_only(20000, 20000))
    assert e.value.code == "too_large"


def test_the_pixel_budget_is_the_callers_choice() -> None:
    raw = _png(_noise(100, 100))
    with pytest.raises(ImageRejected):
        load_image(raw, max_pixels=5_000)
    assert load_image(raw, max_pixels=10_000).size == (100, 100)


def test_a_one_pixel_image_is_rejected_as_too_small() -> None:
    with pytest.raises(ImageRejected) as e:
        load_image(_png(Image.new("RGB", (1, 1), "red")))
    assert e.value.code == "too_small"


def test_a_cmyk_jpeg_is_converted_to_rgb_with_the_right_colour() -> None:
    buf = io.BytesIO()
    Image.new("CMYK", (40, 40), (0, 255, 255, 0)).save(buf, "JPEG", quality=95)  # pure red ink
    arr = np.asarray(load_image(buf.getvalue()))
    r, g, b = arr[20, 20].astype(int)
    assert r > 200 and g < 60 and b < 60


def test_a_16_bit_greyscale_png_keeps_its_contrast() -> None:
    ramp = np.tile(np.linspace(0, 4000, 64, dtype=np.uint16), (32, 1))  # uses only 6 % of 16 bits
    src = Image.fromarray(ramp)
    assert src.mode.startswith("I;16")
    im = load_image(_png(src))
    arr = np.asarray(im)[:, :, 0]
    assert im.mode == "RGB"
    assert arr[:, 0].max() < 10 and arr[:, -1].min() > 245


def test_a_palette_image_with_transparency_is_composited_on_white() -> None:
    im = Image.new("P", (32, 32), 0)
    im.putpalette([0, 0, 0, 255, 0, 0] + [0] * 762)
    im.paste(1, (16, 0, 32, 32))
    im.info["transparency"] = 0
    arr = np.asarray(load_image(_png(im, transparency=0)))
    assert tuple(arr[5, 5]) == (255, 255, 255)
    assert tuple(arr[5, 25]) == (255, 0, 0)


def test_an_rgba_image_is_flattened_on_white() -> None:
    rgba = np.zeros((32, 32, 4), np.uint8)
    rgba[:, 16:] = (0, 0, 255, 255)
    arr = np.asarray(load_image(_png(Image.fromarray(rgba, "RGBA"))))
    assert tuple(arr[0, 0]) == (255, 255, 255) and tuple(arr[0, 20]) == (0, 0, 255)


def test_an_animated_gif_gives_its_first_frame() -> None:
    frames = [Image.new("RGB", (40, 40), c) for c in ((255, 0, 0), (0, 255, 0), (0, 0, 255))]
    buf = io.BytesIO()
    frames[0].save(buf, "GIF", save_all=True, append_images=frames[1:], duration=50, loop=0)
    arr = np.asarray(load_image(buf.getvalue()))
    assert arr[20, 20, 0] > 200 and arr[20, 20, 1] < 50


def test_a_path_that_does_not_exist_is_rejected(tmp_path: object) -> None:
    with pytest.raises(ImageRejected) as e:
        load_image(f"{tmp_path}/missing.png")
    assert e.value.code == "not_found"
