"""Small pixel helpers every stage uses: shrinking a photo, and 8-bit copies for display."""

from __future__ import annotations

import cv2
import numpy as np


def shrink(pixels: np.ndarray, max_side: int) -> np.ndarray:
    """Area-filtered copy with the long side at most ``max_side`` (``pixels`` itself when already small)."""
    height, width = pixels.shape[:2]
    scale = max_side / max(height, width)
    if scale >= 1.0:
        return pixels
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    return cv2.resize(pixels, size, interpolation=cv2.INTER_AREA)


def to_uint8(pixels: np.ndarray) -> np.ndarray:
    """uint8 as it is, uint16 by its high byte, float in [0, 1] rounded."""
    if pixels.dtype == np.uint8:
        return pixels
    if pixels.dtype == np.uint16:
        return (pixels >> 8).astype(np.uint8)
    return np.rint(np.clip(pixels, 0.0, 1.0) * 255.0).astype(np.uint8)
