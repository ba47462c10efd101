"""Writing results: output names, and atomic saves that never damage an existing file.

A save encodes into a hidden ``.<name>.<random>.part`` file in the target folder, fsyncs it and
then moves it into place, so a crash, a full disk or Ctrl+C leaves either the complete new file
or nothing at all. The original photo is never overwritten. Only a hard kill (SIGKILL, power
loss) can leave a ``.part`` file behind; the next save into that folder removes it, and the
writer's lock on the file keeps a save in progress (of any process) from being swept away.
"""

from __future__ import annotations

import errno
import os
import re
import secrets
import stat
import struct
import threading
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import IO, TYPE_CHECKING

import cv2
import numpy as np
from PIL import Image, ImageCms

from restorer.core.errors import ImageWriteError
from restorer.core.ranges import name_part_problem
from restorer.pipeline.color import from_float01

try:
    import fcntl
except ImportError:  # Windows: a file open in another process cannot be deleted, which is enough
    fcntl = None

if TYPE_CHECKING:  # io.py imports this module, so only type checkers may import it back
    from restorer.pipeline.io import LoadedImage

_FORMATS = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".tif": "TIFF", ".tiff": "TIFF",
            ".webp": "WEBP", ".bmp": "BMP"}
WRITABLE_SUFFIXES = tuple(_FORMATS)
FALLBACK_SUFFIX = ".png"  # for inputs we read but cannot write well (GIF: 256 colours)
_ALPHA_FORMATS = {"PNG", "TIFF", "WEBP"}
_DEEP_FORMATS = {"PNG", "TIFF"}  # formats that keep 16 bits per channel
_SRGB_ICC = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
_TIFF_ICC_TAG = 34675
_TIFF_EXTRA_SAMPLES = 338
_JPEG_MAX_EXIF = 65533
NAME_MAX_BYTES = 255  # the usual file-name limit (ext4, APFS, NTFS: 255 UTF-16 units <= UTF-8 bytes)
_TEMP_NAME = re.compile(r"\..+\.[0-9a-f]{8}\.part", re.DOTALL)  # what _create_temp makes
_swept_folders: set[str] = set()
_sweep_lock = threading.Lock()


def output_path_for(
    input_path: str | os.PathLike,
    out_dir: str | os.PathLike | None = None,
    suffix: str = "_colorized",
    ext: str | None = None,
) -> Path:
    """``<out_dir or input folder>/<stem><suffix><ext>``; never the input file itself.

    ``ext`` defaults to the input's extension (its case kept) when we can write that format,
    else ``.png``. Raises ``ImageWriteError`` for an unwritable ``ext`` or when the result would
    be the input, or a ``suffix`` that would lead into another folder.
    """
    input_path = Path(input_path)
    bad_suffix = name_part_problem(suffix)
    if bad_suffix is not None:
        raise ImageWriteError(f"The output suffix {bad_suffix}")
    if ext is None:
        ext = input_path.suffix if input_path.suffix.lower() in _FORMATS else FALLBACK_SUFFIX
    elif not ext.startswith("."):
        ext = "." + ext
    if ext.lower() not in _FORMATS:
        choices = ", ".join(WRITABLE_SUFFIXES)
        raise ImageWriteError(f"Cannot write {ext} files; choose one of {choices}")
    folder = Path(out_dir) if out_dir is not None else input_path.parent
    result = folder / f"{input_path.stem}{suffix}{ext}"
    if _same_file(result, input_path, ignore_case=True):
        raise ImageWriteError(f"The output name for {input_path} would overwrite the original")
    if len(os.fsencode(result.name)) > NAME_MAX_BYTES:
        raise ImageWriteError(
            f"The output name for {input_path.name} would be too long for the file system "
            f"(more than {NAME_MAX_BYTES} bytes); rename the photo or use a shorter suffix"
        )
    return result


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
    EXIF, DPI and, when the original had a profile, an sRGB profile (the pixels are sRGB).
    Raises ``ImageWriteError`` rather than overwrite ``like.path``, or an existing file unless
    ``overwrite``; a float image becomes 16-bit only when ``like`` was 16-bit.
    """
    path = Path(path)
    fmt = _format_for(path)
    rgb, alpha = _prepare(pixels, alpha, fmt, deep=like is not None and like.bit_depth == 16)
    if like is not None and _same_file(path, Path(like.path)):
        raise ImageWriteError(f"Refusing to overwrite the original photo {path}")
    try:
        if path.is_dir():
            raise ImageWriteError(f"Cannot save to {path}: it is a folder")
        if path.exists() and not overwrite:
            raise ImageWriteError(f"Cannot save {path}: the file already exists")
    except OSError as exc:  # e.g. a name too long, or a parent folder we may not look into
        raise ImageWriteError(f"Cannot save {path}: {_os_reason(exc)}") from exc
    _make_folder(path.parent)
    _sweep_once(path.parent)
    meta = _metadata(like)
    _atomic_write(path, lambda out: _encode(out, fmt, rgb, alpha, meta, quality), overwrite)
    return path


# ------------------------------------------------------------------------------- validation


def _format_for(path: Path) -> str:
    try:
        return _FORMATS[path.suffix.lower()]
    except KeyError:
        raise ImageWriteError(
            f"Cannot save {path}: unknown image extension '{path.suffix}' "
            f"(use one of {', '.join(WRITABLE_SUFFIXES)})"
        ) from None


def _same_file(a: Path, b: Path, ignore_case: bool = False) -> bool:
    """Whether ``a`` and ``b`` are the same file (existing or not); case-blind if asked, since
    macOS and Windows folders usually are."""
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
    except OSError:
        pass
    ra, rb = os.path.normcase(a.resolve()), os.path.normcase(b.resolve())
    return ra.casefold() == rb.casefold() if ignore_case else ra == rb


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


def _metadata(like: LoadedImage | None) -> dict:
    """EXIF, DPI and (only if the source had one) an sRGB ICC profile to embed."""
    if like is None:
        return {"exif": None, "dpi": None, "icc": None}
    return {"exif": like.exif, "dpi": like.dpi, "icc": _SRGB_ICC if like.icc_profile else None}


# --------------------------------------------------------------------------------- encoding


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
        chunks.append(_png_chunk(b"iCCP", b"sRGB\0\0" + zlib.compress(meta["icc"])))
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
    """16-bit deflate TIFF bytes with DPI, alpha marked as such, and the sRGB profile if wanted.

    EXIF is not carried: its sub-IFDs would need relocating inside OpenCV's file.
    """
    params = [cv2.IMWRITE_TIFF_COMPRESSION, 8]  # Adobe deflate: lossless, widely supported
    if hasattr(cv2, "IMWRITE_TIFF_PREDICTOR"):  # OpenCV >= 4.9: differencing shrinks 16-bit data
        params += [cv2.IMWRITE_TIFF_PREDICTOR, 2]
    if meta["dpi"]:
        params += [cv2.IMWRITE_TIFF_RESUNIT, 2, cv2.IMWRITE_TIFF_XDPI, round(meta["dpi"][0]),
                   cv2.IMWRITE_TIFF_YDPI, round(meta["dpi"][1])]
    tiff = _opencv_encode(".tiff", _bgr(rgb, alpha), params)
    tags = {}
    if alpha is not None:  # OpenCV leaves the 4th sample undeclared; 2 = unassociated alpha
        tags[_TIFF_EXTRA_SAMPLES] = (3, (2,))
    if meta["icc"]:
        tags[_TIFF_ICC_TAG] = (7, meta["icc"])
    return _tiff_with_tags(tiff, tags) if tags else tiff


def _tiff_with_tags(tiff: bytes, tags: dict[int, tuple[int, bytes | tuple[int, ...]]]) -> bytes:
    """Add or replace first-IFD ``tags``: {tag: (7, raw bytes)} or {tag: (3, SHORT values)}.

    Payloads and a rewritten copy of the IFD are appended; out-of-line values of the old entries
    keep their absolute offsets, so only the header's first-IFD offset changes. Classic TIFF only
    (BigTIFF is returned unchanged).
    """
    order = {b"II": "<", b"MM": ">"}.get(tiff[:2])
    if order is None or struct.unpack(order + "H", tiff[2:4])[0] != 42:
        return tiff
    ifd = struct.unpack(order + "I", tiff[4:8])[0]
    count = struct.unpack(order + "H", tiff[ifd : ifd + 2])[0]
    entries = {
        struct.unpack(order + "H", tiff[ifd + 2 + 12 * i : ifd + 4 + 12 * i])[0]:
            tiff[ifd + 2 + 12 * i : ifd + 14 + 12 * i]
        for i in range(count)
    }
    next_ifd = tiff[ifd + 2 + 12 * count : ifd + 6 + 12 * count]
    out = bytearray(tiff + b"\0" * (len(tiff) % 2))  # TIFF offsets must be even
    for tag, (kind, values) in tags.items():
        # UNDEFINED (7) is raw bytes; SHORT (3) values are packed in the file's byte order
        payload = values if kind == 7 else struct.pack(f"{order}{len(values)}H", *values)
        if len(payload) <= 4:
            value = payload.ljust(4, b"\0")
        else:
            value = struct.pack(order + "I", len(out))
            out += payload + b"\0" * (len(payload) % 2)
        entries[tag] = struct.pack(order + "HHI", tag, kind, len(values)) + value
    new_ifd = len(out)
    body = b"".join(entries[tag] for tag in sorted(entries))  # TIFF wants ascending tags
    out += struct.pack(order + "H", len(entries)) + body + next_ifd
    out[4:8] = struct.pack(order + "I", new_ifd)
    return bytes(out)


# ----------------------------------------------------------------------------- atomic write


def _make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise ImageWriteError(f"Cannot create the folder {folder}: a file has that name") from None
    except OSError as exc:
        raise ImageWriteError(f"Cannot create the folder {folder}: {_os_reason(exc)}") from exc


def _atomic_write(path: Path, encode: Callable[[IO[bytes]], None], overwrite: bool) -> None:
    """Run ``encode`` into a temp file beside ``path``, fsync, then move it into place.

    The temp file is removed on any failure, Ctrl+C included.
    """
    temp = None
    try:
        temp, fd = _create_temp(path)
        with os.fdopen(fd, "wb") as out:
            encode(out)
            out.flush()
            os.fsync(out.fileno())  # the data must be on disk before the rename makes it visible
        _publish(temp, path, overwrite)
        _fsync_folder(path.parent)
    except BaseException as exc:
        if temp is not None:
            _remove_quietly(temp)
        if isinstance(exc, ImageWriteError) or not isinstance(exc, Exception):
            raise  # ours already, or KeyboardInterrupt/SystemExit
        raise ImageWriteError(f"Cannot save {path}: {_describe_failure(exc)}") from exc


def _create_temp(path: Path) -> tuple[Path, int]:
    """A new hidden ``.part`` file beside ``path``, created with the default permissions and
    locked for as long as it is open (see :func:`remove_stale_temp_files`)."""
    while True:
        # the name is cut so the temp name stays within the usual 255-character limit
        temp = path.with_name(f".{path.name[:200]}.{secrets.token_hex(4)}.part")
        try:
            # os.open with 0o666 honours the umask (mkstemp would leave the result private)
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
            fd = os.open(temp, flags, 0o666)
        except FileExistsError:
            continue
        if _lock_in_use(fd):
            return temp, fd
        os.close(fd)  # another process's sweep removed it before we locked it: take a new name


def _lock_in_use(fd: int) -> bool:
    """Lock the open temp file ``fd`` as in use; False if it was deleted before the lock.

    The lock lives as long as the file is open, so a killed writer's lock goes with it.
    """
    if fcntl is None:
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
    except OSError:  # no locks here (some network shares): a sweep cannot lock it either
        return True
    return os.fstat(fd).st_nlink > 0


def remove_stale_temp_files(folder: str | os.PathLike) -> int:
    """Delete the ``.part`` files a killed save left in ``folder``; returns how many.

    Only names of the form ``_create_temp`` makes are touched, and only when no process holds
    the file open for writing (POSIX: its lock is free; Windows refuses to delete an open file).
    """
    try:
        with os.scandir(folder) as entries:
            candidates = [Path(e.path) for e in entries if _TEMP_NAME.fullmatch(e.name)]
    except OSError:
        return 0
    return sum(_remove_if_unused(temp) for temp in candidates)


def _remove_if_unused(temp: Path) -> bool:
    if fcntl is None:
        try:
            os.unlink(temp)
        except OSError:
            return False
        return True
    try:
        fd = os.open(temp, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return False
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return False
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # fails while a writer has it
        os.unlink(temp)
        return True
    except OSError:
        return False
    finally:
        os.close(fd)


def _sweep_once(folder: Path) -> None:
    """Remove stale temp files the first time this process saves into ``folder``.

    Done under a lock before this process creates any temp file there, so it never meets one of
    its own; other processes' saves in progress are protected by their locks.
    """
    key = os.path.normcase(os.path.abspath(folder))
    with _sweep_lock:
        if key in _swept_folders:
            return
        _swept_folders.add(key)
        remove_stale_temp_files(folder)


def _publish(temp: Path, path: Path, overwrite: bool) -> None:
    """Move ``temp`` to ``path``; without ``overwrite`` a file that appeared meanwhile wins."""
    if overwrite:
        os.replace(temp, path)
        return
    try:
        os.link(temp, path)  # atomic "create only if absent"
    except FileExistsError:
        raise ImageWriteError(f"Cannot save {path}: the file already exists") from None
    except OSError:  # no hard links here (FAT, some network shares): check, then rename
        if path.exists():
            raise ImageWriteError(f"Cannot save {path}: the file already exists") from None
        os.replace(temp, path)
        return
    _remove_quietly(temp)


def _fsync_folder(folder: Path) -> None:
    """Persist the rename itself (POSIX); not possible or needed on Windows."""
    if os.name == "nt":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _remove_quietly(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


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
