"""Reading photos of any common format into RGB arrays.

``load_image`` returns ``uint8`` or ``uint16`` ``(H, W, 3)`` RGB in sRGB, upright (EXIF orientation
applied), with the metadata a faithful output needs. Every failure a user can cause (missing file,
damaged file, not an image, too many pixels) is an ``ImageReadError`` with a one-line message.
"""

from __future__ import annotations

import os
import stat
import struct
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

from restorer.core.errors import ImageReadError
from restorer.pipeline.io.colour import classify_colour
from restorer.pipeline.io.metadata import (
    ICC_CONVERTED,
    apply_orientation,
    dpi,
    exif_bytes,
    icc_to_srgb,
    needs_icc_conversion,
    orientation,
)
from restorer.pipeline.pixels import shrink, to_uint8

MAX_PIXELS = 200_000_000  # 200 MP: larger than any real scan, small enough to fit in memory

# Pillow warns above this and refuses above twice this; our own check (before decoding) refuses
# anything above MAX_PIXELS, so Pillow's hard limit only guards code paths that skip ours.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS


@dataclass
class LoadedImage:
    """A decoded photo: upright sRGB pixels plus what is needed to write a faithful output."""

    pixels: np.ndarray  # (H, W, 3) RGB, uint8 or uint16, upright, sRGB
    alpha: np.ndarray | None  # (H, W), same dtype as pixels
    path: Path
    format: str  # Pillow's format name: "JPEG", "PNG", "TIFF", ...
    exif: bytes | None = None  # raw EXIF ("Exif\0\0" + TIFF) with Orientation reset to 1
    icc_profile: bytes | None = None  # the original embedded profile
    icc_converted: bool = False  # the pixels were converted from ``icc_profile`` to sRGB
    dpi: tuple[float, float] | None = None  # (x, y) of the upright image
    is_color: bool = False  # the source already is a colour photo
    notes: list[str] = field(default_factory=list)  # human-readable remarks for the user
    size: tuple[int, int] | None = None  # (width, height) of the upright photo on disk (pixels may be smaller)

    @property
    def bit_depth(self) -> int:
        """Bits per channel of ``pixels``: 8 or 16."""
        return 16 if self.pixels.dtype == np.uint16 else 8


def load_image(path: str | os.PathLike, *, max_side: int | None = None, check_colour: bool = True) -> LoadedImage:
    """Decode ``path`` into a :class:`LoadedImage`; raises ``ImageReadError`` for any bad input.

    ``max_side``: a small copy is enough (thumbnails, previews): the pixels are shrunk so their
    long side is at most that, and JPEGs decode at a fraction of their size. ``check_colour``:
    say whether the photo is already in colour (costs a few ms).
    """
    path = _regular_file(Path(path))
    try:
        img = Image.open(path)
    except Image.UnidentifiedImageError:
        return _load_with_opencv(path)  # e.g. float RGB TIFF, which Pillow cannot open
    except Exception as exc:  # Pillow raises many types on hostile headers
        raise _read_error(path, _describe_open_failure(exc)) from exc
    with img:
        loaded = _load_pillow(img, path, max_side)
    if max_side:
        loaded.pixels = shrink(loaded.pixels, max_side)
        loaded.alpha = None if loaded.alpha is None else shrink(loaded.alpha, max_side)
    if check_colour:
        loaded.is_color = classify_colour(loaded.pixels, loaded.notes)
    return loaded


def read_rgb8(path: str | os.PathLike) -> np.ndarray | None:
    """A photo as uint8 RGB ``(H, W, 3)`` (training and evaluation photos), or None when it cannot be read."""
    try:
        return to_uint8(load_image(path, check_colour=False).pixels)
    except ImageReadError:
        return None


def _load_pillow(img: Image.Image, path: Path, max_side: int | None) -> LoadedImage:
    """Decode an open Pillow image: pixels upright, metadata read (before anything changes it)."""
    _check_pixel_count(img.size, path)
    width, height = img.size
    if max_side and img.format == "JPEG":
        img.draft(img.mode, (max_side, max_side))  # decode at 1/2..1/8 scale: only a small copy is wanted
    notes = _frame_notes(img)
    pixels, alpha = _decode(img, path, notes)
    turn = orientation(img)  # before exif_bytes, which resets the tag in place
    meta = dict(format=img.format or "unknown", exif=exif_bytes(img), dpi=dpi(img),
                icc_profile=img.info.get("icc_profile") or None, icc_converted=ICC_CONVERTED in notes)
    pixels, alpha = apply_orientation(pixels, turn), apply_orientation(alpha, turn)
    if turn in (5, 6, 7, 8):  # those orientations swap width and height
        width, height = height, width
        meta["dpi"] = meta["dpi"][::-1] if meta["dpi"] else None
    return LoadedImage(pixels, alpha, path, notes=notes, size=(width, height), **meta)


def _read_error(path: Path, reason: str) -> ImageReadError:
    """One-line ``ImageReadError`` naming the file (a newline would break log and dialog lines)."""
    return ImageReadError(f"Cannot read {path}: {reason}".replace("\n", " ").replace("\r", " "))


def _regular_file(path: Path) -> Path:
    """``path`` if it is a non-empty regular file, else a clear ``ImageReadError``."""
    try:
        info = path.stat()
    except (FileNotFoundError, NotADirectoryError) as exc:
        raise _read_error(path, "no such file") from exc
    except PermissionError as exc:
        raise _read_error(path, "permission denied") from exc
    except OSError as exc:
        raise _read_error(path, exc.strerror or str(exc)) from exc
    if stat.S_ISDIR(info.st_mode):
        raise _read_error(path, "it is a folder, not an image file")
    if not stat.S_ISREG(info.st_mode):
        # a FIFO or device would block or never end
        raise _read_error(path, "not a regular file")
    if info.st_size == 0:
        raise _read_error(path, "the file is empty (0 bytes)")
    return path


def _describe_open_failure(exc: Exception) -> str:
    if isinstance(exc, PermissionError):
        return "permission denied"
    if isinstance(exc, Image.DecompressionBombError):
        return f"the image has too many pixels (the limit is {MAX_PIXELS:,})"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return f"the file is damaged or not a supported image ({exc})"


def _check_pixel_count(size: tuple[int, int], path: Path) -> None:
    """Refuse oversized images from the header alone, before any pixel memory is allocated."""
    width, height = size
    if width * height > MAX_PIXELS:
        raise _read_error(
            path, f"{width} x {height} pixels is more than the limit of {MAX_PIXELS:,} pixels"
        )
    if width <= 0 or height <= 0:
        raise _read_error(path, f"invalid image size {width} x {height}")


def _frame_notes(img: Image.Image) -> list[str]:
    """A note when only the first of several frames/pages is used."""
    try:
        frames = getattr(img, "n_frames", 1)
    except Exception:  # counting frames scans the file; damage there shows up in load() anyway
        frames = 1
    if frames <= 1:
        return []
    if img.format == "GIF":
        return ["animated GIF: first frame used"]
    if img.format == "TIFF":
        return ["multi-page TIFF: first page used"]
    return [f"animated {img.format or 'image'}: first frame used"]


def _decode(img: Image.Image, path: Path, notes: list[str]) -> tuple[np.ndarray, np.ndarray | None]:
    """Pixels ``(H, W, 3)`` uint8/uint16 sRGB and alpha ``(H, W)`` or None, not yet rotated."""
    if _is_deep_colour(img):
        # Pillow reduces 16-bit RGB(A)/LA to 8 bits; OpenCV keeps all 16
        pixels, alpha = _decode_opencv(path)
        if needs_icc_conversion(img.info.get("icc_profile")):
            notes.append("ICC profile not applied to a 16-bit colour image: colours read as sRGB")
        return pixels, alpha
    try:
        img.load()  # force the full decode now: truncation and corruption surface here
    except Exception as exc:
        raise _read_error(path, _describe_decode_failure(exc)) from exc
    if img.mode in ("I;16", "I;16B", "I;16L", "I;16N", "I", "F"):
        return _deep_grey(img, notes), None
    return _decode_8bit(img, notes)


def _describe_decode_failure(exc: Exception) -> str:
    if isinstance(exc, MemoryError):
        return "not enough memory to decode it"
    return f"the file is truncated or damaged ({exc})"


def _tile_rawmode(img: Image.Image) -> str:
    """The raw pixel layout of the first tile, e.g. ``"RGB;16B"``; '' if unknown."""
    if not img.tile:
        return ""
    args = img.tile[0].args if hasattr(img.tile[0], "args") else img.tile[0][3]
    raw = args[0] if isinstance(args, tuple) and args else args
    return raw if isinstance(raw, str) else ""


def _is_deep_colour(img: Image.Image) -> bool:
    """16 bits per sample with colour or alpha channels (Pillow would reduce it to 8 bits)."""
    return img.mode in ("RGB", "RGBA", "LA") and ";16" in _tile_rawmode(img)


def _decode_opencv(path: Path) -> tuple[np.ndarray, np.ndarray | None]:
    """Decode with OpenCV, without its EXIF rotation: RGB ``(H, W, 3)`` and alpha or None."""
    try:
        # read the bytes ourselves: cv2.imread cannot open non-ASCII paths on Windows
        data = np.fromfile(path, dtype=np.uint8)
        decoded = cv2.imdecode(data, cv2.IMREAD_UNCHANGED)
    except (OSError, cv2.error) as exc:
        raise _read_error(path, _describe_decode_failure(exc)) from exc
    if decoded is None or decoded.size == 0:
        raise _read_error(path, "the file is truncated or damaged")
    return _split_bgr(_to_int_depth(decoded))


def _to_int_depth(array: np.ndarray) -> np.ndarray:
    """uint8/uint16 unchanged; float (HDR) clipped to [0, 1] and stored as uint16."""
    if array.dtype in (np.uint8, np.uint16):
        return array
    if np.issubdtype(array.dtype, np.floating):
        return np.rint(np.clip(np.nan_to_num(array), 0.0, 1.0) * 65535.0).astype(np.uint16)
    return np.clip(array, 0, 65535).astype(np.uint16)  # 32-bit integer samples


def _split_bgr(array: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
    """OpenCV's grey/BGR/BGRA ``(H, W[, C])`` -> RGB ``(H, W, 3)`` and alpha ``(H, W)`` or None."""
    if array.ndim == 2:
        return _grey_to_rgb(array), None
    if array.shape[2] == 2:  # grey + alpha
        return _grey_to_rgb(array[..., 0]), np.ascontiguousarray(array[..., 1])
    rgb = np.ascontiguousarray(array[..., 2::-1])
    alpha = np.ascontiguousarray(array[..., 3]) if array.shape[2] == 4 else None
    return rgb, alpha


def _grey_to_rgb(grey: np.ndarray) -> np.ndarray:
    """``(H, W)`` -> ``(H, W, 3)`` of the same dtype."""
    return np.repeat(grey[..., None], 3, axis=2)


def _deep_grey(img: Image.Image, notes: list[str]) -> np.ndarray:
    """16-bit, 32-bit integer or float grey -> uint16 ``(H, W, 3)``."""
    if img.mode == "F":
        notes.append("floating-point image: values clipped to 0-1 and kept as 16-bit")
    if needs_icc_conversion(img.info.get("icc_profile")):
        notes.append("ICC profile not applied to a 16-bit grey image: tones read as sRGB")
    grey = np.asarray(img)
    if grey.dtype.byteorder not in ("=", "|"):  # I;16B arrives big-endian
        grey = grey.astype(grey.dtype.newbyteorder("="))
    return _grey_to_rgb(_to_int_depth(grey))


def _decode_8bit(img: Image.Image, notes: list[str]) -> tuple[np.ndarray, np.ndarray | None]:
    """Any 8-bit (or 1-bit, palette, CMYK) image -> uint8 sRGB ``(H, W, 3)`` and alpha."""
    alpha = None
    profile = img.info.get("icc_profile")  # read before convert() can drop it
    if _has_alpha(img):
        img = img.convert("RGBA") if img.mode not in ("RGBA", "LA") else img
        alpha = np.asarray(img.getchannel("A"))
        img = img.convert("L" if img.mode == "LA" else "RGB")
    elif img.mode in ("1", "P"):
        img = img.convert("L" if img.mode == "1" else "RGB")
    elif img.mode not in ("L", "RGB", "CMYK"):
        img = img.convert("RGB")  # YCbCr, RGBX, HSV, LAB...
    if needs_icc_conversion(profile):
        img = icc_to_srgb(img, profile, notes)
    if img.mode == "CMYK":
        notes.append("CMYK converted to RGB")
        img = img.convert("RGB")
    if img.mode == "L":
        return _grey_to_rgb(np.asarray(img)), alpha
    return np.asarray(img.convert("RGB")), alpha


def _has_alpha(img: Image.Image) -> bool:
    return img.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in img.info


def _load_with_opencv(path: Path) -> LoadedImage:
    """Fallback for files Pillow cannot identify (float/HDR colour TIFF); no metadata.

    Only real TIFFs get here, and their size is checked from the header first: OpenCV would
    otherwise decode any format it knows, and allocate all the pixels before any check.
    """
    if path.suffix.lower() not in (".tif", ".tiff"):
        raise _read_error(path, "not an image, or too damaged to be recognised")
    size = _tiff_size(path)
    if size is None:
        raise _read_error(path, "not an image file, or a damaged TIFF")
    _check_pixel_count(size, path)
    try:
        pixels, alpha = _decode_opencv(path)
    except ImageReadError as exc:
        raise _read_error(path, "not an image file, or a damaged TIFF") from exc
    _check_pixel_count((pixels.shape[1], pixels.shape[0]), path)
    notes = ["floating-point or unusual TIFF: metadata not read"]
    is_color = classify_colour(pixels, notes)
    return LoadedImage(pixels, alpha, path, "TIFF", is_color=is_color, notes=notes, size=size)


def _tiff_size(path: Path) -> tuple[int, int] | None:
    """(width, height) from the first IFD of a classic or Big TIFF; None if it is not one."""
    try:
        with open(path, "rb") as handle:
            header = handle.read(16)
            order = {b"II": "<", b"MM": ">"}.get(header[:2])
            if order is None or len(header) < 8:
                return None
            version = struct.unpack(order + "H", header[2:4])[0]
            if version == 42:  # classic: 2-byte count, 12-byte entries, 4-byte values
                offset, count_fmt, entry_size, value_size = struct.unpack(order + "I", header[4:8])[0], "H", 12, 4
            elif version == 43 and len(header) == 16:  # BigTIFF: 8-byte count, 20-byte entries
                offset, count_fmt, entry_size, value_size = struct.unpack(order + "Q", header[8:16])[0], "Q", 20, 8
            else:
                return None
            handle.seek(offset)
            count_bytes = handle.read(struct.calcsize(count_fmt))
            if len(count_bytes) != struct.calcsize(count_fmt):
                return None
            count = min(struct.unpack(order + count_fmt, count_bytes)[0], 4096)
            entries = handle.read(count * entry_size)
    except (OSError, OverflowError, ValueError):
        return None
    dims: dict[int, int] = {}
    for start in range(0, len(entries) - entry_size + 1, entry_size):
        tag, kind = struct.unpack(order + "HH", entries[start : start + 4])
        value = entries[start + entry_size - value_size : start + entry_size]
        if tag in (256, 257) and kind in (3, 4, 16):  # SHORT, LONG, LONG8
            fmt = {3: "H", 4: "I", 16: "Q"}[kind]
            if struct.calcsize(fmt) <= value_size:
                dims[tag] = struct.unpack(order + fmt, value[: struct.calcsize(fmt)])[0]
    if 256 not in dims or 257 not in dims:
        return None
    return dims[256], dims[257]

