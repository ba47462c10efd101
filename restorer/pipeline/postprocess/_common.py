"""Shared helpers of the post-processing functions: input normalisation and parameter checks."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from restorer.core.ranges import NumberRange
from restorer.pipeline.color import lab_to_rgb, rgb_to_lab, to_float01

# Rows processed at a time by per-pixel work that makes large temporaries.
BAND_ROWS = 512


def as_rgb01(rgb: np.ndarray) -> np.ndarray:
    """A new float32 ``(H, W, 3)`` array in [0, 1] from uint8, uint16 or float RGB input.

    Never returns (a view of) ``rgb`` itself, so callers may modify the result freely.
    """
    arr = np.asarray(rgb)
    if arr.ndim != 3 or arr.shape[2] != 3:
        raise ValueError(f"expected an (H, W, 3) RGB array, got shape {arr.shape}")
    if arr.dtype not in (np.uint8, np.uint16) and not np.issubdtype(arr.dtype, np.floating):
        raise TypeError(f"expected uint8, uint16 or float RGB, got {arr.dtype}")
    out = to_float01(arr)
    if np.may_share_memory(out, arr):
        out = out.copy()
    return np.ascontiguousarray(out, dtype=np.float32)


def via_lab(rgb: np.ndarray, operation: Callable[[np.ndarray], None]) -> np.ndarray:
    """Convert a float32 RGB copy to Lab, apply ``operation`` (in place on Lab), convert back."""
    lab = rgb_to_lab(rgb)
    operation(lab)
    return lab_to_rgb(lab)


def check_range(
    name: str,
    value: float,
    low: float | None = None,
    high: float | None = None,
    *,
    low_open: bool = False,
) -> float:
    """``float(value)`` if it is finite and within [low, high] (``(low, high]`` if low_open);
    otherwise a SettingError, which is a ValueError."""
    lowest = -math.inf if low is None else low
    highest = math.inf if high is None else high
    return NumberRange(lowest, highest, low_open=low_open).check(name, value)
