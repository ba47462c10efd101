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
import pickle
import random
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
    expect: str  # "ok", "fail" or "either"
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


# ------------------------------------------------------------------------------ fuzzed photos

# (suffix, valid file) pairs the mutations start from: every decoder path of load_image
SEEDS = {
    "png": (".png", good_png(0, (24, 32))),
    "jpeg": (".jpg", good_jpeg(0, (24, 32))),
    "exif-jpeg": (".jpg", exif_rotated_jpeg(6)),
    "cmyk-jpeg": (".jpg", _cmyk_jpeg()),
    "gif": (".gif", _animated_gif()),
    "tiff": (".tif", _multipage_tiff()),
    "16-bit-tiff": (".tif", _sixteen_bit_rgb_tiff()),
    "float-tiff": (".tif", _float_rgb_tiff()),
    "16-bit-png": (".png", _sixteen_bit_grey_png()),
    "palette-png": (".png", _palette_with_transparency()),
    "webp": (".webp", encode(grey(24, 32), "WEBP")),
    "bmp": (".bmp", encode(grey(24, 32), "BMP")),
}


def mutate(data: bytes, rng: random.Random, edits: int) -> bytes:
    """Flip, delete, insert or cut bytes: the damage real files get."""
    out = bytearray(data)
    for _ in range(edits):
        if len(out) < 2:
            break
        at, kind = rng.randrange(len(out)), rng.random()
        if kind < 0.6:
            out[at] = rng.randrange(256)
        elif kind < 0.75:
            del out[at : at + rng.randrange(1, 64)]
        elif kind < 0.9:
            out[at:at] = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 16)))
        else:
            del out[at:]
    return bytes(out)


def write_fuzzed_photos(folder: Path, count: int, seed: int = 20261203) -> list[Path]:
    """``count`` damaged copies of the SEEDS files (1 to 16 edits each) named ``fuzz_NNN.<ext>``."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    paths = []
    for index in range(count):
        suffix, data = SEEDS[rng.choice(sorted(SEEDS))]
        path = folder / f"fuzz_{index:03d}{suffix}"
        path.write_bytes(mutate(data, rng, rng.choice([1, 1, 2, 4, 16])))
        paths.append(path)
    return paths


# ------------------------------------------------------------------------------ bad arguments

#: (command, flag, value): numbers outside their range; each is a usage error before any work
BAD_NUMBERS = [
    ("colorize", "--saturation", "nan"), ("colorize", "--saturation", "-5"), ("colorize", "--saturation", "1e308"),
    ("colorize", "--contrast", "inf"), ("colorize", "--quality", "500"), ("colorize", "--quality", "9.5"),
    ("colorize", "--render-size", "3"), ("colorize", "--gamma", "0"), ("colorize", "--brightness", "2"),
    ("colorize", "--vibrance", "x"), ("colorize", "--sharpen", "-1"), ("colorize", "--temperature", "1.5"),
    ("colorize", "--tint", "-inf"), ("colorize", "--equalize-strength", "3"),
    ("colorize", "--reference-strength", "-0.1"), ("colorize", "--gpus-per-worker", "-1"),
    ("train", "--epochs", "-1"), ("train", "--epochs", "0"), ("train", "--minutes", "-5"), ("train", "--minutes", "0"),
    ("train", "--split", "2"), ("train", "--split", "0.5,0.5,0.5"), ("train", "--batch", "0"), ("train", "--lr", "nan"),
    ("train", "--lr", "0"), ("train", "--size", "3"), ("train", "--epoch-size", "0"), ("train", "--patience", "0"),
    ("train", "--workers", "-1"), ("train", "--seed", "-1"), ("train", "--rebalance", "1.5"),
    ("train", "--sample-weight", "scan_=x"), ("train", "--sample-weight", "scan_=-2"),
    ("evaluate", "--size", "0"), ("evaluate", "--limit", "0"), ("evaluate", "--render-size", "99999"),
    ("calibrate", "--temperatures", "0,1"), ("calibrate", "--gains", "1,big"), ("calibrate", "--blends", "2"),
    ("calibrate", "--render-sizes", "3"), ("calibrate", "--render-scales", "0.7,big"), ("calibrate", "--limit", "-3"),
    ("calibrate", "--min-gain", "nan"), ("calibrate", "--margin", "1e9"),
]

#: (kind, argv, exit code, text of the error line); {photo} {folder} {empty} {text} {missing} {weights}
#: {out} are files and folders the test makes
BAD_ARGUMENTS = [
    ("unknown model", ["colorize", "{photo}", "--model", "nope"], 2, "No model named 'nope'"),
    ("unknown device", ["colorize", "{photo}", "--device", "banana"], 2, "Unknown device"),
    ("a GPU that is not there", ["colorize", "{photo}", "--device", "cuda:7"], 2, "CUDA"),
    ("reference photo missing", ["colorize", "{photo}", "--reference", "{missing}"], 2, "no such file"),
    ("reference is a text file", ["colorize", "{photo}", "--reference", "{text}"], 2, "not an image"),
    ("suffix leading out of the folder", ["colorize", "{photo}", "--suffix", "/../x"], 2, "may not contain"),
    ("format Restorer cannot write", ["colorize", "{photo}", "-o", "{out}", "--format", "xyz"], 1, "Cannot write .xyz"),
    ("output folder is a file", ["colorize", "{photo}", "-o", "{text}"], 1, "a file has that name"),
    ("folder without photos", ["colorize", "{empty}"], 1, "no photos to colorize"),
    ("training folder missing", ["train", "{missing}", "--name", "x"], 2, "not found"),
    ("training folder without photos", ["train", "{empty}", "--name", "x"], 2, "No usable colour photos"),
    ("unknown model to evaluate", ["evaluate", "{folder}", "--models", "nope"], 2, "No model named 'nope'"),
    ("unknown model to calibrate", ["calibrate", "nope", "{folder}"], 2, "No model named 'nope'"),
    ("text file as a split file", ["calibrate", "vivid", "--split-file", "{text}"], 2, "not a split file"),
    ("unknown architecture on import", ["import-weights", "{weights}", "--arch", "nope"], 2, "Unknown architecture"),
]


# ---------------------------------------------------------------------------- hostile weights


class _Payload:
    """Unpickling this would create ``marker``: proof that code ran."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def _safetensors_claiming(header_bytes: int) -> bytes:
    return struct.pack("<Q", header_bytes) + b'{"a": {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]}}'


def _torch_bytes(obj, **options) -> bytes:
    import torch

    buffer = io.BytesIO()
    torch.save(obj, buffer, **options)
    return buffer.getvalue()


def _weights_files(folder: Path, marker: Path) -> list[tuple[str, str, object, str]]:
    """(kind, file name, bytes factory or (how, target), text the one-line refusal contains; None:
    refused or imported, either is fine)."""
    import torch

    from restorer.models.seed004a_dense_ae import DenseAutoencoder

    state = DenseAutoencoder(latent=16).state_dict()
    checkpoint = _torch_bytes(state)
    not_weights = "not a PyTorch checkpoint / safetensors file"
    return [
        ("text file named .pth", "notes.pth", lambda: b"root:x:0:0:root:/root:/bin/bash\n", not_weights),
        ("empty .pth", "empty.pth", lambda: b"", not_weights),
        ("random bytes named .pt", "noise.pt", lambda: np.random.default_rng(1).bytes(4096), not_weights),
        ("PNG photo named .pth", "photo.pth", good_png, not_weights),
        ("HTML error page named .safetensors", "page.safetensors", _html_named_jpeg, not_weights),
        ("zip that is not a checkpoint", "archive.pth", lambda: _zip_of_text(), "damaged"),
        ("checkpoint cut in half", "half.pth", lambda: checkpoint[: len(checkpoint) // 2], "damaged"),
        ("checkpoint with flipped bytes", "flipped.pth", lambda: mutate(checkpoint, random.Random(3), 8), None),
        ("pickle that runs code (protocol 2)", "evil2.pth",
         lambda: pickle.dumps({"w": _Payload(marker)}, protocol=2), "could run code"),
        ("pickle that runs code (protocol 4)", "evil4.pth",
         lambda: pickle.dumps({"w": torch.zeros(1), "x": _Payload(marker)}, protocol=4), "could run code"),
        ("checkpoint holding no tensors", "numbers.pth", lambda: _torch_bytes({"a": 1, "b": [2, 3]}), "no state dict"),
        ("tensors of no known network", "alien.pth", lambda: _torch_bytes({"alien.weight": torch.zeros(3)}),
         "architecture"),
        ("safetensors header claiming 2**40 bytes", "huge.safetensors", lambda: _safetensors_claiming(2**40),
         not_weights),
        ("safetensors header longer than the file", "short.safetensors", lambda: _safetensors_claiming(50_000),
         "corrupt or truncated"),
        ("symlink to a text file (like /etc/passwd)", "passwd.pth", ("link", "notes.pth"), not_weights),
        ("symlink to a folder", "folder.pth", ("link", "."), not_weights),
        ("symlink to /dev/zero", "zero.pth", ("link", "/dev/zero"), not_weights),
        ("FIFO named .pth", "pipe.pth", ("fifo", None), not_weights),
        ("folder named .safetensors", "dir.safetensors", ("folder", None), not_weights),
        ("weights with a .txt name", "weights.txt", lambda: checkpoint, "Unsupported weights format"),
    ]


def _zip_of_text() -> bytes:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "not a checkpoint")
    return buffer.getvalue()


def build_hostile_weights(folder: Path, marker: Path) -> list[Case]:
    """Write every hostile weights kind this platform can make into ``folder`` (links and FIFOs
    need POSIX); ``match`` is what the refusal must say. Nothing may ever create ``marker``."""
    folder.mkdir(parents=True, exist_ok=True)
    cases = []
    for kind, name, make, match in _weights_files(folder, marker):
        path = folder / name
        if isinstance(make, tuple):
            how, target = make
            if (how == "link" and not hasattr(os, "symlink")) or (how == "fifo" and not hasattr(os, "mkfifo")) \
                    or (target == "/dev/zero" and not os.path.exists(target)):
                continue
            {"link": lambda: path.symlink_to(target), "fifo": lambda: os.mkfifo(path),
             "folder": lambda: path.mkdir()}[how]()
        else:
            path.write_bytes(make())
        cases.append(Case(kind, name, "either", "") if match is None else Case(kind, name, "fail", match))
    return cases
