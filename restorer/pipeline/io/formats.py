"""Which files Restorer reads and writes: every suffix list lives here, and nowhere else."""

from __future__ import annotations

import os
from pathlib import Path

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp", ".webp", ".gif")  # what we read
# training targets: every photo format we read except GIF (256 colours teach banding, not colour)
PHOTO_SUFFIXES = tuple(suffix for suffix in IMAGE_SUFFIXES if suffix != ".gif")
WRITE_FORMATS = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".tif": "TIFF", ".tiff": "TIFF",
                 ".webp": "WEBP", ".bmp": "BMP"}  # suffix -> Pillow format we write
WRITABLE_SUFFIXES = tuple(WRITE_FORMATS)
FALLBACK_SUFFIX = ".png"  # for inputs we read but cannot write well (GIF: 256 colours)


def is_image_file(path: str | os.PathLike) -> bool:
    """Whether ``path`` has one of :data:`IMAGE_SUFFIXES` (case-insensitive); no I/O."""
    return Path(path).suffix.lower() in IMAGE_SUFFIXES


def file_dialog_filter() -> str:
    """The "Images (*.jpg ...)" filter of open dialogs."""
    return f"Images ({' '.join('*' + suffix for suffix in IMAGE_SUFFIXES)});;All files (*)"
