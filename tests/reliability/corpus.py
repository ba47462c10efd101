"""A corpus of hostile and unusual inputs, generated on demand (nothing is committed).

``build_corpus(folder)`` writes one file per *kind* and returns the :class:`Case` list saying what
each should do: ``"ok"`` (colorized, maybe with a note) or ``"fail"`` (a one-line message that
contains ``match``). Kinds that need a running batch (a file vanishing mid-batch, a full disk, a
read-only output folder...) live in the tests themselves; ``DYNAMIC_KINDS`` names them for the
reliability report.
"""

from __future__ import annotations

import io
import os
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

from tests.helpers import synthetic_photo


@dataclass(frozen=True)
class Case:
    kind: str
    name: str  # file name inside the corpus folder
    expect: str  # "ok" or "fail"
    match: str = ""  # "fail": text the message must contain; "ok": text a note must contain


# ------------------------------------------------------------------------------- raw builders


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_claiming(width: int, height: int) -> bytes:
    """A valid-looking PNG whose header claims ``width x height`` but holds one tiny row."""
    return (b"\x89PNG\r\n\x1a\n"
            + png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + png_chunk(b"IDAT", zlib.compress(b"\0" * 65))
            + png_chunk(b"IEND", b""))


def gif_claiming(width: int, height: int) -> bytes:
    """A GIF whose screen and first image claim ``width x height`` with almost no data."""
    header = b"GIF89a" + struct.pack("<HHBBB", width, height, 0x80, 0, 0) + b"\0\0\0\xff\xff\xff"
    image = b"," + struct.pack("<HHHHB", 0, 0, width, height, 0) + b"\x02\x02\x44\x01\x00"
    return header + image + b";"


def float_tiff_bomb(width: int, height: int, rows_per_strip: int = 64) -> bytes:
    """A genuine deflate-compressed float32 RGB TIFF (Pillow cannot open it; OpenCV can) whose
    strips all share one compressed block of zeros: a few KB that decode to 12 bytes a pixel."""
    strips = -(-height // rows_per_strip)
    block = zlib.compress(bytes(rows_per_strip * width * 12), 9)
    entries = [  # (tag, type, count, value or payload bytes)
        (256, 4, 1, width), (257, 4, 1, height), (258, 3, 3, struct.pack("<3H", 32, 32, 32)),
        (259, 3, 1, 8), (262, 3, 1, 2), (273, 4, strips, None), (277, 3, 1, 3),
        (278, 4, 1, rows_per_strip), (279, 4, strips, struct.pack(f"<{strips}I", *[len(block)] * strips)),
        (284, 3, 1, 1), (339, 3, 3, struct.pack("<3H", 3, 3, 3)),
    ]
    ifd_size = 2 + 12 * len(entries) + 4
    data_start = 8 + ifd_size
    payloads, extra = {}, b""
    for tag, _, _, value in entries:
        if isinstance(value, bytes):
            payloads[tag] = data_start + len(extra)
            extra += value
    block_at = data_start + len(extra) + strips * 4
    payloads[273] = data_start + len(extra)
    extra += struct.pack(f"<{strips}I", *[block_at] * strips)
    ifd = struct.pack("<H", len(entries))
    for tag, kind, count, value in entries:
        if tag in payloads:
            ifd += struct.pack("<HHII", tag, kind, count, payloads[tag])
        elif kind == 3:
            ifd += struct.pack("<HHIHH", tag, kind, count, value, 0)
        else:
            ifd += struct.pack("<HHII", tag, kind, count, value)
    ifd += b"\0\0\0\0"
    return b"II*\0" + struct.pack("<I", 8) + ifd + extra + block


def grey(height: int = 48, width: int = 64, seed: int = 0) -> np.ndarray:
    """A black-and-white photo ``(H, W)`` uint8 (the luminance of a synthetic scene)."""
    return cv2.cvtColor(synthetic_photo(height, width, seed), cv2.COLOR_RGB2GRAY)


def encode(image: np.ndarray | Image.Image, fmt: str, **options) -> bytes:
    """``image`` (an array, its mode inferred, or a Pillow image) encoded as ``fmt``."""
    image = image if isinstance(image, Image.Image) else Image.fromarray(image)
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **options)
    return buffer.getvalue()


def good_jpeg(seed: int = 0, size: tuple[int, int] = (48, 64)) -> bytes:
    return encode(grey(*size, seed=seed), "JPEG", quality=90)


def good_png(seed: int = 0, size: tuple[int, int] = (48, 64)) -> bytes:
    return encode(grey(*size, seed=seed), "PNG")


def exif_rotated_jpeg(orientation: int) -> bytes:
    exif = Image.Exif()
    exif[0x0112] = orientation
    buffer = io.BytesIO()
    Image.fromarray(grey(40, 56, seed=orientation)).save(buffer, "JPEG", exif=exif.tobytes(), quality=90)
    return buffer.getvalue()


def cv2_bytes(ext: str, array: np.ndarray) -> bytes:
    ok, data = cv2.imencode(ext, array)
    assert ok
    return data.tobytes()


def _truncated(data: bytes) -> bytes:
    return data[: len(data) // 2]


def _sixteen_bit_grey_png() -> bytes:
    return cv2_bytes(".png", (grey().astype(np.uint16) * 257 + 3))


def _sixteen_bit_rgb_tiff() -> bytes:
    return cv2_bytes(".tiff", np.dstack([grey().astype(np.uint16) * 257] * 3))


def _cmyk_jpeg() -> bytes:
    g = grey()
    cmyk = np.dstack([np.zeros_like(g)] * 3 + [255 - g])
    image = Image.frombytes("CMYK", (g.shape[1], g.shape[0]), cmyk.tobytes())
    return encode(image, "JPEG", quality=90)


def _palette_with_transparency() -> bytes:
    image = Image.fromarray(grey()).convert("P")
    buffer = io.BytesIO()
    image.save(buffer, "PNG", transparency=0)
    return buffer.getvalue()


def _la_png() -> bytes:
    g = grey()
    return encode(np.dstack([g, np.full_like(g, 200)]), "PNG")


def _rgba_png() -> bytes:
    g = grey()
    alpha = np.full_like(g, 255)
    alpha[:, :8] = 0
    return encode(np.dstack([g, g, g, alpha]), "PNG")


def _animated_gif() -> bytes:
    frames = [Image.fromarray(grey(seed=s)) for s in range(3)]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=50)
    return buffer.getvalue()


def _multipage_tiff() -> bytes:
    pages = [Image.fromarray(grey(seed=s)) for s in range(2)]
    buffer = io.BytesIO()
    pages[0].save(buffer, "TIFF", save_all=True, append_images=pages[1:])
    return buffer.getvalue()


def _float_grey_tiff() -> bytes:
    return encode(grey().astype(np.float32) / 255.0 * 1.2 - 0.1, "TIFF")


def _float_rgb_tiff() -> bytes:
    return cv2_bytes(".tiff", np.dstack([grey().astype(np.float32) / 255.0] * 3))


def _sepia_png() -> bytes:
    g = grey().astype(np.float32)
    return encode(np.dstack([g, g * 0.8, g * 0.6]).astype(np.uint8), "PNG")


def _one_bit_png() -> bytes:
    return encode(grey() > 128, "PNG")


def _corrupt_exif_jpeg() -> bytes:
    data = good_jpeg(seed=5)
    junk = b"Exif\0\0" + b"MM\0\x2a\xff\xff\xff\xf0" + os.urandom(40)
    segment = b"\xff\xe1" + struct.pack(">H", len(junk) + 2) + junk
    return data[:2] + segment + data[2:]


def _png_header_only() -> bytes:
    return good_png()[:33]  # signature + IHDR: no pixel data at all


def _png_bad_crc() -> bytes:
    data = bytearray(good_png(seed=6))
    data[29] ^= 0xFF  # inside the IHDR CRC
    return bytes(data)


def _gzip_named_png() -> bytes:
    return zlib.compress(b"not a picture at all " * 50)


def _html_named_jpeg() -> bytes:
    return b"<!DOCTYPE html><html><body>404 Not Found</body></html>\n"


#: (kind, file name, expect, match, bytes factory)
_STATIC: list[tuple[str, str, str, str, object]] = [
    ("control: grey JPEG", "control_grey.jpg", "ok", "", lambda: good_jpeg(1)),
    ("control: grey PNG", "control_grey.png", "ok", "", lambda: good_png(2)),
    ("zero-byte file", "empty.jpg", "fail", "empty", lambda: b""),
    ("truncated JPEG", "truncated.jpg", "fail", "truncated", lambda: _truncated(good_jpeg(3, (96, 128)))),
    ("truncated PNG", "truncated.png", "fail", "", lambda: _truncated(good_png(4, (96, 128)))),
    ("PNG cut after its header", "header_only.png", "fail", "", _png_header_only),
    ("PNG with a bad CRC", "bad_crc.png", "fail", "", _png_bad_crc),
    ("text file named .jpg", "notes.jpg", "fail", "not an image", lambda: b"Grandma's notes\nline 2\n"),
    ("HTML error page named .jpg", "download.jpg", "fail", "not an image", _html_named_jpeg),
    ("compressed junk named .png", "junk.png", "fail", "not an image", _gzip_named_png),
    ("random bytes named .tif", "noise.tif", "fail", "", lambda: np.random.default_rng(7).bytes(4096)),
    ("PNG named .jpg (wrong extension)", "really_a_png.jpg", "ok", "", lambda: good_png(8)),
    ("JPEG named .png (wrong extension)", "really_a_jpeg.png", "ok", "", lambda: good_jpeg(9)),
    ("1 x 1 image", "one_pixel.png", "ok", "", lambda: encode(np.full((1, 1), 90, np.uint8), "PNG")),
    ("1 x 100000 image (one row)", "one_row.png", "ok", "",
     lambda: encode(np.tile(np.arange(256, dtype=np.uint8), 391)[:100_000][None], "PNG")),
    ("100000 x 1 image (one column)", "one_column.png", "ok", "",
     lambda: encode(np.tile(np.arange(256, dtype=np.uint8), 391)[:100_000][:, None], "PNG")),
    ("PNG header claiming 100000 x 100000", "bomb.png", "fail", "limit", lambda: png_claiming(100_000, 100_000)),
    ("PNG header claiming 20000 x 20000", "bomb_just_over.png", "fail", "limit", lambda: png_claiming(20_000, 20_000)),
    ("GIF header claiming 65535 x 65535", "gif_bomb.gif", "fail", "limit", lambda: gif_claiming(65535, 65535)),
    ("float32 RGB TIFF bomb: 15000 x 15000 in 13 KB", "bomb_float.tif", "fail", "limit",
     lambda: float_tiff_bomb(15_000, 15_000)),
    ("16-bit grey PNG", "deep_grey16.png", "ok", "", _sixteen_bit_grey_png),
    ("16-bit RGB TIFF", "deep_rgb16.tif", "ok", "", _sixteen_bit_rgb_tiff),
    ("CMYK JPEG", "cmyk.jpg", "ok", "CMYK", _cmyk_jpeg),
    ("palette PNG with transparency", "palette_transparent.png", "ok", "", _palette_with_transparency),
    ("grey + alpha (LA) PNG", "grey_alpha.png", "ok", "", _la_png),
    ("RGBA PNG", "rgba.png", "ok", "", _rgba_png),
    ("1-bit PNG", "one_bit.png", "ok", "", _one_bit_png),
    *[(f"EXIF orientation {o}", f"exif_orientation_{o}.jpg", "ok", "", (lambda o=o: exif_rotated_jpeg(o)))
      for o in range(1, 9)],
    ("damaged EXIF block", "bad_exif.jpg", "ok", "", _corrupt_exif_jpeg),
    ("animated GIF", "animated.gif", "ok", "first frame", _animated_gif),
    ("multi-page TIFF", "multipage.tif", "ok", "first page", _multipage_tiff),
    ("float32 grey TIFF (values outside 0-1)", "float_grey.tif", "ok", "floating-point", _float_grey_tiff),
    ("float32 RGB TIFF (Pillow cannot open)", "float_rgb.tif", "ok", "floating-point", _float_rgb_tiff),
    ("BMP", "old.bmp", "ok", "", lambda: encode(grey(), "BMP")),
    ("WebP", "web.webp", "ok", "", lambda: encode(grey(), "WEBP", quality=90)),
    ("already a colour photo", "colour.jpg", "ok", "already a colour photo",
     lambda: encode(synthetic_photo(48, 64, seed=11), "JPEG", quality=90)),
    ("sepia-toned photo", "sepia.png", "ok", "sepia", _sepia_png),
    ("unicode file name", "Großmutter – 祖母 ✓.jpg", "ok", "", lambda: good_jpeg(12)),
    ("spaces in the file name", "  wedding day 1952 .jpg", "ok", "", lambda: good_jpeg(13)),
    ("very long file name (230 chars)", "l" * 226 + ".jpg", "ok", "", lambda: good_jpeg(14)),
    ("file name too long for the output name", "x" * 246 + ".jpg", "fail", "too long", lambda: good_jpeg(15)),
]

#: Cases that fail today because of a bug outside the reliability work's files: the corpus test
#: accepts a clean one-line failure for them, a strict xfail test waits for the fix.
KNOWN_BUGS: dict[str, str] = {}

#: Kinds exercised by the tests directly (they need a running batch or a special file system state).
DYNAMIC_KINDS = [
    "FIFO named .jpg",
    "folder symlink loop",
    "dangling symlink named .jpg",
    "file deleted mid-batch",
    "file replaced by garbage mid-batch",
    "file becomes unreadable mid-batch (permission denied)",
    "read-only output folder (permission denied)",
    "output folder path is a regular file",
    "full disk (ENOSPC)",
    "output file already exists",
    "output name is an input (-o input folder, --suffix '', --overwrite)",
    "two inputs with the same output name",
    "SIGKILL mid-batch, then --resume",
]


def build_corpus(folder: Path) -> list[Case]:
    """Write every static kind into ``folder``; returns what each should do."""
    folder.mkdir(parents=True, exist_ok=True)
    cases = []
    for kind, name, expect, match, factory in _STATIC:
        (folder / name).write_bytes(factory())
        cases.append(Case(kind, name, expect, match))
    return cases


def write_good_photos(folder: Path, count: int, size: tuple[int, int] = (48, 64)) -> list[Path]:
    """``count`` valid black-and-white JPEGs named ``photo_000.jpg``..."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(count):
        path = folder / f"photo_{index:03d}.jpg"
        path.write_bytes(good_jpeg(index, size))
        paths.append(path)
    return paths
