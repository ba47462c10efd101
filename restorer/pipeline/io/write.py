"""Writing results atomically (through :mod:`restorer.core.atomic`), never damaging an existing file.

16 bits are kept by PNG and TIFF, alpha by PNG, TIFF and WebP; EXIF, DPI and the original's colour
profile are carried over. The original photo is never overwritten.
"""

from __future__ import annotations

import errno
import os
import struct
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import IO, TYPE_CHECKING

import cv2
import numpy as np
from PIL import Image, TiffImagePlugin

from restorer.core.atomic import sweep_once, write_atomic
from restorer.core.errors import ImageWriteError
from restorer.pipeline.color import from_float01
from restorer.pipeline.io.formats import WRITABLE_SUFFIXES, WRITE_FORMATS
from restorer.pipeline.io.metadata import TIFF_LAYOUT_TAGS, output_profile
from restorer.pipeline.io.naming import same_file

if TYPE_CHECKING:  # read.py does not need this module, so only type checkers import it
    from restorer.pipeline.io.read import LoadedImage

_ALPHA_FORMATS = {"PNG", "TIFF", "WEBP"}
_DEEP_FORMATS = {"PNG", "TIFF"}  # formats that keep 16 bits per channel
_TIFF_ICC_TAG = 34675
_TIFF_EXTRA_SAMPLES = 338
_JPEG_MAX_EXIF = 65533
_SUB_IFDS = (0x8769, 0x8825)  # the Exif and GPS directories an EXIF block points to


def save_image(
    pixels: np.ndarray,
    path: str | os.PathLike,
    *,
    alpha: np.ndarray | None = None,
    like: LoadedImage | None = None,
    quality: int = 95,
    overwrite: bool = False,
) -> Path:
    """Atomically write RGB ``pixels`` ``(H, W, 3)`` uint8/uint16 (or float in [0, 1]) to ``path``.

    The format follows the suffix. 16 bits are kept by PNG and TIFF and reduced to 8 elsewhere;
    ``alpha`` ``(H, W)`` is kept by PNG, TIFF and WebP and dropped elsewhere. From ``like`` come
    EXIF, DPI and the original's own colour profile (sRGB pixels are converted back to it).
    Raises ``ImageWriteError`` rather than overwrite ``like.path``, or an existing file unless
    ``overwrite``; a float image becomes 16-bit only when ``like`` was 16-bit.
    """
    path = Path(path)
    fmt = _format_for(path)
    rgb, alpha = _prepare(pixels, alpha, fmt, deep=like is not None and like.bit_depth == 16)
    if like is not None and same_file(path, Path(like.path)):
        raise ImageWriteError(f"Refusing to overwrite the original photo {path}")
    try:
        if path.is_dir():
            raise ImageWriteError(f"Cannot save to {path}: it is a folder")
        if path.exists() and not overwrite:
            raise ImageWriteError(f"Cannot save {path}: the file already exists")
    except OSError as exc:  # e.g. a name too long, or a parent folder we may not look into
        raise ImageWriteError(f"Cannot save {path}: {_os_reason(exc)}") from exc
    _make_folder(path.parent)
    sweep_once(path.parent)
    rgb, meta = _metadata(like, rgb)
    _atomic_write(path, lambda out: _encode(out, fmt, rgb, alpha, meta, quality), overwrite)
    return path


def _format_for(path: Path) -> str:
    try:
        return WRITE_FORMATS[path.suffix.lower()]
    except KeyError:
        raise ImageWriteError(
            f"Cannot save {path}: unknown image extension '{path.suffix}' "
            f"(use one of {', '.join(WRITABLE_SUFFIXES)})"
        ) from None


def _prepare(
    pixels: np.ndarray, alpha: np.ndarray | None, fmt: str, deep: bool
) -> tuple[np.ndarray, np.ndarray | None]:
    """Validate and convert to what ``fmt`` stores: uint16 only for PNG/TIFF, alpha if it can."""
    pixels = np.asarray(pixels)
    if pixels.ndim != 3 or pixels.shape[2] != 3:
        raise ValueError(f"expected (H, W, 3) RGB pixels, got shape {pixels.shape}")
    if np.issubdtype(pixels.dtype, np.floating):
        pixels = from_float01(pixels, np.uint16 if deep else np.uint8)
    elif pixels.dtype not in (np.uint8, np.uint16):
        raise ValueError(f"expected uint8, uint16 or float pixels, got {pixels.dtype}")
    if pixels.dtype == np.uint16 and fmt not in _DEEP_FORMATS:
        pixels = _to_uint8(pixels)
    if alpha is None or fmt not in _ALPHA_FORMATS:
        return pixels, None
    alpha = np.asarray(alpha)
    if alpha.shape != pixels.shape[:2]:
        raise ValueError(f"alpha {alpha.shape} does not match pixels {pixels.shape}")
    return pixels, _match_depth(alpha, pixels.dtype)


def _to_uint8(array: np.ndarray) -> np.ndarray:
    """uint16 -> uint8 with rounding (65535 / 257 = 255 exactly)."""
    return ((array.astype(np.uint32) + 128) // 257).astype(np.uint8)


def _match_depth(alpha: np.ndarray, dtype) -> np.ndarray:
    """``alpha`` (uint8, uint16 or float) as ``dtype``."""
    if np.issubdtype(alpha.dtype, np.floating):
        return from_float01(alpha, dtype)
    if alpha.dtype == dtype:
        return alpha
    if dtype == np.uint16:
        return alpha.astype(np.uint16) * 257
    return _to_uint8(alpha.astype(np.uint16))


def _metadata(like: LoadedImage | None, rgb: np.ndarray) -> tuple[np.ndarray, dict]:
    """The pixels to write and the original's EXIF, DPI and colour profile to carry over."""
    if like is None:
        return rgb, {"exif": None, "dpi": None, "icc": None}
    rgb, icc = output_profile(rgb, like.icc_profile, like.icc_converted)
    return rgb, {"exif": like.exif, "dpi": like.dpi, "icc": icc}


def _encode(out: IO[bytes], fmt: str, rgb: np.ndarray, alpha, meta: dict, quality: int) -> None:
    """Write the encoded image to the open file ``out``."""
    if rgb.dtype == np.uint16:
        # Pillow has no 16-bit RGB mode; OpenCV encodes it, metadata is added to its bytes
        encode_deep = _encode_deep_png if fmt == "PNG" else _encode_deep_tiff
        out.write(encode_deep(rgb, alpha, meta))
        return
    image = Image.fromarray(rgb, "RGB")
    if alpha is not None:
        image.putalpha(Image.fromarray(alpha, "L"))
    image.save(out, format=fmt, **_pillow_options(fmt, meta, quality))


def _pillow_options(fmt: str, meta: dict, quality: int) -> dict:
    """Keyword arguments for ``Image.save`` carrying what ``fmt`` can hold."""
    options: dict = {}
    if meta["dpi"] and fmt in ("JPEG", "PNG", "TIFF", "BMP"):
        options["dpi"] = meta["dpi"]
    if meta["exif"] and fmt in ("JPEG", "PNG", "TIFF", "WEBP"):
        # a JPEG APP1 segment holds at most 64 KiB: a bigger block (from a TIFF) is dropped
        if fmt != "JPEG" or len(meta["exif"]) <= _JPEG_MAX_EXIF:
            options["exif"] = meta["exif"]
    if meta["icc"] and fmt in ("JPEG", "PNG", "TIFF", "WEBP"):
        options["icc_profile"] = meta["icc"]
    if fmt == "JPEG":
        # full-resolution chroma at high quality: 4:2:0 visibly bleeds saturated colour edges
        # no Huffman optimisation: it nearly triples encode time (13 -> 5 ms per MP) for ~12 % smaller files
        options.update(quality=int(quality), subsampling=0 if quality >= 90 else 2, optimize=False)
    elif fmt == "WEBP":
        options.update(quality=int(quality))
    elif fmt == "TIFF":
        options.update(compression="tiff_deflate")
    return options


def _bgr(rgb: np.ndarray, alpha: np.ndarray | None) -> np.ndarray:
    """RGB ``(H, W, 3)`` + alpha -> OpenCV's contiguous BGR ``(H, W, 3)`` or BGRA ``(H, W, 4)``."""
    if alpha is None:
        return cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR)
    return cv2.cvtColor(np.dstack([rgb, alpha]), cv2.COLOR_RGBA2BGRA)


def _opencv_encode(ext: str, image: np.ndarray, params: list[int]) -> bytes:
    ok, buffer = cv2.imencode(ext, image, params)
    if not ok:
        raise ValueError(f"OpenCV could not encode a {image.shape} {image.dtype} image as {ext}")
    return buffer.tobytes()


def _encode_deep_png(rgb: np.ndarray, alpha, meta: dict) -> bytes:
    """16-bit PNG bytes with iCCP/pHYs/eXIf chunks inserted after IHDR."""
    png = _opencv_encode(".png", _bgr(rgb, alpha), [cv2.IMWRITE_PNG_COMPRESSION, 6])
    chunks = []
    if meta["icc"]:
        chunks.append(_png_chunk(b"iCCP", b"ICC profile\0\0" + zlib.compress(meta["icc"])))
    if meta["dpi"]:
        x, y = (round(d / 0.0254) for d in meta["dpi"])  # pHYs is in pixels per metre
        chunks.append(_png_chunk(b"pHYs", struct.pack(">IIB", x, y, 1)))
    if meta["exif"]:
        exif = meta["exif"]
        chunks.append(_png_chunk(b"eXIf", exif[6:] if exif.startswith(b"Exif\0\0") else exif))
    ihdr_end = 8 + 8 + 13 + 4  # signature, IHDR length+type, IHDR data, CRC
    if png[12:16] != b"IHDR":
        raise ValueError("unexpected PNG layout from OpenCV")
    return png[:ihdr_end] + b"".join(chunks) + png[ihdr_end:]


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _encode_deep_tiff(rgb: np.ndarray, alpha, meta: dict) -> bytes:
    """16-bit deflate TIFF bytes with DPI, EXIF, alpha marked as such, and the colour profile."""
    params = [cv2.IMWRITE_TIFF_COMPRESSION, 8]  # Adobe deflate: lossless, widely supported
    if hasattr(cv2, "IMWRITE_TIFF_PREDICTOR"):  # OpenCV >= 4.9: differencing shrinks 16-bit data
        params += [cv2.IMWRITE_TIFF_PREDICTOR, 2]
    if meta["dpi"]:
        params += [cv2.IMWRITE_TIFF_RESUNIT, 2, cv2.IMWRITE_TIFF_XDPI, round(meta["dpi"][0]),
                   cv2.IMWRITE_TIFF_YDPI, round(meta["dpi"][1])]
    tiff = _opencv_encode(".tiff", _bgr(rgb, alpha), params)
    tags: dict[int, tuple[int, object]] = {}
    if alpha is not None:  # OpenCV leaves the 4th sample undeclared; 2 = unassociated alpha
        tags[_TIFF_EXTRA_SAMPLES] = (3, (2,))
    if meta["icc"]:
        tags[_TIFF_ICC_TAG] = (7, meta["icc"])
    return _tiff_with_tags(tiff, tags, meta["exif"]) if tags or meta["exif"] else tiff


def _tiff_with_tags(tiff: bytes, tags: dict[int, tuple[int, object]], exif: bytes | None = None) -> bytes:
    """Add or replace first-IFD ``tags`` ({tag: (TIFF type, value)}) and the tags of an EXIF block
    (with its Exif and GPS sub-directories) in OpenCV's TIFF.

    Pillow serialises the new entries and their data for the offset they are appended at; a
    rewritten copy of the first IFD merging old and new entries follows. The old entries' data
    keep their absolute offsets, so only the header's first-IFD offset changes. Classic TIFF only
    (BigTIFF is returned unchanged).
    """
    order = {b"II": "<", b"MM": ">"}.get(tiff[:2])
    if order is None or struct.unpack(order + "H", tiff[2:4])[0] != 42:
        return tiff
    ifd = struct.unpack(order + "I", tiff[4:8])[0]
    entries = _ifd_entries(tiff, ifd, order)
    next_ifd = tiff[ifd + 2 + 12 * len(entries): ifd + 6 + 12 * len(entries)]
    out = bytearray(tiff + b"\0" * (len(tiff) % 2))  # TIFF offsets must be even
    extra = TiffImagePlugin.ImageFileDirectory_v2(ifh=tiff[:8])
    _add_exif(extra, exif)
    for tag, (kind, value) in tags.items():
        extra[tag] = value
        extra.tagtype[tag] = kind
    data = extra.tobytes(len(out))
    entries.update(_ifd_entries(data, 0, order))
    out += data + b"\0" * (len(data) % 2)
    new_ifd = len(out)
    body = b"".join(entries[tag] for tag in sorted(entries))  # TIFF wants ascending tags
    out += struct.pack(order + "H", len(entries)) + body + next_ifd
    out[4:8] = struct.pack(order + "I", new_ifd)
    return bytes(out)


def _ifd_entries(data: bytes, at: int, order: str) -> dict[int, bytes]:
    """{tag: its 12-byte entry} of the classic TIFF directory at ``at`` in ``data``."""
    count = struct.unpack(order + "H", data[at: at + 2])[0]
    rows = (data[at + 2 + 12 * i: at + 14 + 12 * i] for i in range(count))
    return {struct.unpack(order + "H", row[:2])[0]: row for row in rows}


def _add_exif(ifd, exif: bytes | None) -> None:
    """The EXIF block's own tags into ``ifd`` (layout tags excepted: they describe the original's pixels)."""
    if not exif:
        return
    parsed = Image.Exif()
    parsed.load(exif)
    for tag, value in parsed.items():
        if tag not in TIFF_LAYOUT_TAGS and tag not in _SUB_IFDS:
            ifd[tag] = value
    for tag in _SUB_IFDS:
        sub = dict(parsed.get_ifd(tag))
        if sub:
            ifd[tag] = sub


def _make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise ImageWriteError(f"Cannot create the folder {folder}: a file has that name") from None
    except OSError as exc:
        raise ImageWriteError(f"Cannot create the folder {folder}: {_os_reason(exc)}") from exc


def _atomic_write(path: Path, encode: Callable[[IO[bytes]], None], overwrite: bool) -> None:
    """:func:`~restorer.core.atomic.write_atomic` with its failures told as one-line save errors."""
    try:
        write_atomic(path, encode, overwrite=overwrite)
    except FileExistsError:
        raise ImageWriteError(f"Cannot save {path}: the file already exists") from None
    except ImageWriteError:
        raise
    except Exception as exc:  # KeyboardInterrupt/SystemExit pass through untouched
        raise ImageWriteError(f"Cannot save {path}: {_describe_failure(exc)}") from exc


def _os_reason(exc: OSError) -> str:
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        return "the disk is full"
    if isinstance(exc, PermissionError) or exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied (is the folder read-only?)"
    if exc.errno == errno.EROFS:
        return "the disk is read-only"
    if exc.errno == errno.ENAMETOOLONG:
        return "the file name is too long"
    return exc.strerror or str(exc)


def _describe_failure(exc: Exception) -> str:
    """Why a save failed: a file-system problem, or the encoder refusing the image."""
    if isinstance(exc, OSError) and exc.errno is not None:
        return _os_reason(exc)
    return f"the image could not be encoded ({exc})".replace("\n", " ")

