"""Pixels for the GUI, without Qt: previews, full-size renders, adjusted copies.

The network's chroma at its working size (``ab``, a few hundred pixels across) is all a queue
item keeps. Merging it with an image's own luminance gives the colorized photo at any size:
the preview for the compare view, or the full-size output on export (exactly what
``colorize_array`` would have produced).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np

from restorer.pipeline.color import luminance, merge_luminance_chroma

PREVIEW_MAX = 2048  # long side of the arrays the compare view and live adjustments work on


@dataclass
class Preview:
    """What the compare view shows for one photo: uint8 RGB at preview size, plus the full size."""

    original: np.ndarray
    colorized: np.ndarray | None
    full_size: tuple[int, int]  # (width, height) of the photo on disk


@dataclass
class Colorized:
    """A finished item: the working-size chroma and how it was made."""

    ab: np.ndarray  # (h, w, 2) float32, Lab a/b at the network's working size
    full_size: tuple[int, int]
    model: str
    device: str
    render_size: int
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)
    output: Path | None = None


def to_uint8(pixels: np.ndarray) -> np.ndarray:
    if pixels.dtype == np.uint8:
        return pixels
    if pixels.dtype == np.uint16:
        return (pixels >> 8).astype(np.uint8)
    return np.rint(np.clip(pixels, 0.0, 1.0) * 255.0).astype(np.uint8)


def shrink(pixels: np.ndarray, max_side: int) -> np.ndarray:
    """Area-filtered copy with the long side at most ``max_side`` (the input when already small)."""
    height, width = pixels.shape[:2]
    scale = max_side / max(height, width)
    if scale >= 1.0:
        return pixels
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    return cv2.resize(pixels, size, interpolation=cv2.INTER_AREA)


def merge_chroma(pixels: np.ndarray, ab: np.ndarray) -> np.ndarray:
    """``pixels``' luminance with ``ab`` resized to its size, as RGB of ``pixels``' dtype."""
    lum = luminance(pixels)
    dtype = pixels.dtype if pixels.dtype in (np.uint8, np.uint16) else np.float32
    if ab.shape[0] > lum.shape[0] or ab.shape[1] > lum.shape[1]:  # a preview smaller than the working size
        ab = cv2.resize(ab, (lum.shape[1], lum.shape[0]), interpolation=cv2.INTER_AREA)
    return merge_luminance_chroma(lum, ab, dtype)


def make_preview(pixels: np.ndarray, ab: np.ndarray | None, max_side: int = PREVIEW_MAX) -> Preview:
    """Preview-size original and (when ``ab`` is given) colorized uint8 RGB."""
    small = np.ascontiguousarray(to_uint8(shrink(pixels, max_side)))
    colorized = merge_chroma(small, ab) if ab is not None else None
    return Preview(small, colorized, (pixels.shape[1], pixels.shape[0]))


def adjusted(rgb: np.ndarray, adjustments) -> np.ndarray:
    """``rgb`` with ``adjustments`` applied, in the same dtype (neutral settings: ``rgb`` itself)."""
    from restorer.pipeline.postprocess import adjust_keeping_dtype

    return adjust_keeping_dtype(rgb, adjustments)


def render_full(pixels: np.ndarray, ab: np.ndarray, adjustments=None) -> np.ndarray:
    """The full-size colorized photo with ``adjustments`` applied, for saving."""
    return adjusted(merge_chroma(pixels, ab), adjustments)
