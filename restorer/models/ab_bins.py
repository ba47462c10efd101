"""Quantised ab colour bins: the classes of classification-style colorization networks."""

from __future__ import annotations

import functools

import cv2
import numpy as np

GRID = 10.0


@functools.lru_cache(maxsize=4)
def in_gamut_ab_bins(grid: float = GRID) -> np.ndarray:
    """Centres ``(Q, 2)`` (a, b) of the grid cells that hold at least one in-gamut sRGB colour.

    Every 8-bit-ish sRGB colour (a 64^3 sample) is converted to Lab and binned; with the default
    10-unit grid this gives a few hundred bins (Zhang et al. report 313 with their gamut).
    """
    levels = np.linspace(0.0, 1.0, 64, dtype=np.float32)
    r, g, b = np.meshgrid(levels, levels, levels, indexing="ij")
    rgb = np.stack([r, g, b], axis=-1).reshape(-1, 1, 3)
    lab = cv2.cvtColor(rgb, cv2.COLOR_RGB2Lab).reshape(-1, 3)
    cells = np.unique(np.round(lab[:, 1:] / grid).astype(np.int32), axis=0)
    return (cells * grid).astype(np.float32)
