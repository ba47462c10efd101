"""Tone adjustments on the Lab luminance L (chroma a, b is left as it is).

Every public function takes float32 RGB ``(H, W, 3)`` in [0, 1] (uint8/uint16 are converted)
and returns a new float32 array; with neutral parameters it returns a plain copy of the input
(no Lab round trip). The ``*_lab`` helpers work in place on a Lab working copy and are what
:func:`restorer.pipeline.postprocess.apply_adjustments` chains without leaving Lab.
"""

from __future__ import annotations

import cv2
import numpy as np

from restorer.pipeline.postprocess._common import BAND_ROWS, as_rgb01, check_range, via_lab

EQUALIZE_METHODS = ("global", "clahe")
_GLOBAL_LEVELS = 8192  # histogram levels over L in [0, 100] for global equalization


# --- contrast / brightness ------------------------------------------------------------------


def contrast_brightness_lab(lab: np.ndarray, contrast: float, brightness: float) -> None:
    """In place: ``L' = (L - 50) * contrast + 50 + brightness * 100``, clipped to [0, 100]."""
    lum = lab[..., 0]
    lum -= 50.0
    lum *= contrast
    lum += 50.0 + 100.0 * brightness
    np.clip(lum, 0.0, 100.0, out=lum)


def adjust_contrast_brightness(
    rgb: np.ndarray, contrast: float = 1.0, brightness: float = 0.0
) -> np.ndarray:
    """Contrast around mid-grey and brightness, on Lab L only (chroma a, b unchanged).

    ``L' = (L - 50) * contrast + 50 + brightness * 100``, clipped to [0, 100].

    Args:
        contrast: >= 0, useful range [0, 3]; neutral 1.0 (0 flattens to L = 50 + brightness).
        brightness: in [-1, 1] (a shift of L by up to +-100); neutral 0.0.
    """
    out = as_rgb01(rgb)
    contrast = check_range("contrast", contrast, 0.0)
    brightness = check_range("brightness", brightness, -1.0, 1.0)
    if contrast == 1.0 and brightness == 0.0:
        return out
    return via_lab(out, lambda lab: contrast_brightness_lab(lab, contrast, brightness))


# --- gamma ----------------------------------------------------------------------------------


def gamma_lab(lab: np.ndarray, gamma: float) -> None:
    """In place: ``L' = 100 * (L / 100) ** (1 / gamma)``."""
    lum = lab[..., 0]
    np.clip(lum, 0.0, 100.0, out=lum)
    lum /= 100.0
    np.power(lum, np.float32(1.0 / gamma), out=lum)
    lum *= 100.0


def adjust_gamma(rgb: np.ndarray, gamma: float = 1.0) -> np.ndarray:
    """Gamma on Lab L only: ``L' = 100 * (L / 100) ** (1 / gamma)`` (chroma unchanged).

    Args:
        gamma: > 0, useful range [0.2, 5]; neutral 1.0. Above 1 lifts the mid-tones
            (brighter), below 1 darkens them; black (L = 0) and white (L = 100) stay put.
    """
    out = as_rgb01(rgb)
    gamma = check_range("gamma", gamma, 0.0, low_open=True)
    if gamma == 1.0:
        return out
    return via_lab(out, lambda lab: gamma_lab(lab, gamma))


# --- histogram equalization -----------------------------------------------------------------


def _level_indices(lum: np.ndarray) -> np.ndarray:
    """L in [0, 100] -> index of its level among ``_GLOBAL_LEVELS`` equal steps."""
    scaled = np.rint(lum * ((_GLOBAL_LEVELS - 1) / 100.0))
    return np.clip(scaled, 0, _GLOBAL_LEVELS - 1, out=scaled).astype(np.intp)


def _equalized_global(lum: np.ndarray) -> np.ndarray:
    """L mapped through its own cumulative histogram, stretched to span [0, 100].

    L is binned into fine levels (~0.012 L apart, so the distinct levels of an 8- or 16-bit
    photo keep their own bins) and each level goes to its mid-rank ``cdf - count / 2``:
    the darkest level maps to 0, the lightest to 100, equal inputs to equal outputs.
    """
    hist = np.zeros(_GLOBAL_LEVELS, np.int64)
    for top in range(0, lum.shape[0], BAND_ROWS):
        indices = _level_indices(lum[top : top + BAND_ROWS]).ravel()
        hist += np.bincount(indices, minlength=_GLOBAL_LEVELS)
    occupied = np.flatnonzero(hist)
    if occupied.size < 2:  # flat image: nothing to equalize
        return lum.copy()
    mid_rank = np.cumsum(hist) - hist / 2.0
    low, high = mid_rank[occupied[0]], mid_rank[occupied[-1]]
    lut = np.clip((mid_rank - low) * (100.0 / (high - low)), 0.0, 100.0).astype(np.float32)
    out = np.empty_like(lum)
    for top in range(0, lum.shape[0], BAND_ROWS):
        rows = slice(top, top + BAND_ROWS)
        out[rows] = lut[_level_indices(lum[rows])]
    return out


def _equalized_clahe(lum: np.ndarray, clip_limit: float, tile_grid: int) -> np.ndarray:
    """OpenCV CLAHE on 8-bit L, with the sub-step remainder of each pixel added back.

    CLAHE runs on 8 bits (OpenCV's 16-bit variant scales the clip limit by 1/256, which turns
    clipping off); adding back ``L - L8`` keeps smooth gradients free of 8-bit banding.
    """
    height, width = lum.shape
    tiles = (max(1, min(tile_grid, width)), max(1, min(tile_grid, height)))
    lum8 = cv2.convertScaleAbs(lum, alpha=2.55)  # rounds and saturates to 0..255 (L >= 0)
    clahe = cv2.createCLAHE(clipLimit=clip_limit, tileGridSize=tiles)
    out = clahe.apply(lum8).astype(np.float32)
    out -= lum8
    out /= 2.55
    out += lum
    return np.clip(out, 0.0, 100.0, out=out)


def equalize_lab(
    lab: np.ndarray, method: str, strength: float, clip_limit: float, tile_grid: int
) -> None:
    """In place: ``L' = (1 - strength) * L + strength * equalized(L)``."""
    lum = np.ascontiguousarray(lab[..., 0])  # contiguous: the arithmetic below is ~3x faster
    if method == "global":
        equalized = _equalized_global(lum)
    else:
        equalized = _equalized_clahe(lum, clip_limit, tile_grid)
    equalized -= lum
    equalized *= strength
    lum += equalized
    lab[..., 0] = lum


def check_equalize(
    method: str, strength: float, clip_limit: float, tile_grid: int
) -> tuple[str, float, float, int]:
    """Validated (method, strength, clip_limit, tile_grid) or ValueError."""
    if method not in EQUALIZE_METHODS:
        raise ValueError(f"method must be one of {EQUALIZE_METHODS}, got {method!r}")
    strength = check_range("strength", strength, 0.0, 1.0)
    clip_limit = check_range("clip_limit", clip_limit, 0.0, low_open=True)
    if int(tile_grid) != tile_grid or tile_grid < 1:
        raise ValueError(f"tile_grid must be an integer >= 1, got {tile_grid!r}")
    return method, strength, clip_limit, int(tile_grid)


def equalize_histogram(
    rgb: np.ndarray,
    method: str = "global",
    strength: float = 1.0,
    clip_limit: float = 2.0,
    tile_grid: int = 8,
) -> np.ndarray:
    """Histogram equalization of Lab L only (chroma unchanged), mixed with the original L.

    Args:
        method: ``"global"`` (one cumulative histogram for the whole photo, stretched to
            L in [0, 100]) or ``"clahe"`` (OpenCV contrast-limited adaptive equalization).
        strength: in [0, 1]; ``L' = (1 - strength) * L + strength * equalized``; neutral 0.0
            (the default 1.0 is the full effect).
        clip_limit: CLAHE only, > 0, useful range [1, 8]; higher = more local contrast.
        tile_grid: CLAHE only, integer >= 1: the photo is split into ``tile_grid`` x
            ``tile_grid`` tiles (capped at the image size in pixels).
    """
    out = as_rgb01(rgb)
    method, strength, clip_limit, tile_grid = check_equalize(
        method, strength, clip_limit, tile_grid
    )
    if strength == 0.0:
        return out
    return via_lab(out, lambda lab: equalize_lab(lab, method, strength, clip_limit, tile_grid))


# --- sharpening -----------------------------------------------------------------------------


def sharpen_lab(lab: np.ndarray, amount: float, radius: float, threshold: float) -> None:
    """In place: unsharp mask ``L' = L + amount * (L - blur(L))`` where the detail >= threshold."""
    lum = lab[..., 0]
    detail = lum - cv2.GaussianBlur(lum, (0, 0), sigmaX=radius, borderType=cv2.BORDER_REFLECT)
    if threshold > 0.0:
        detail[np.abs(detail) < threshold] = 0.0
    detail *= amount
    lum += detail
    np.clip(lum, 0.0, 100.0, out=lum)


def check_sharpen(amount: float, radius: float, threshold: float) -> tuple[float, float, float]:
    """Validated (amount, radius, threshold) or ValueError."""
    return (
        check_range("amount", amount, 0.0),
        check_range("radius", radius, 0.0, low_open=True),
        check_range("threshold", threshold, 0.0, 100.0),
    )


def sharpen(
    rgb: np.ndarray, amount: float = 0.0, radius: float = 1.0, threshold: float = 0.0
) -> np.ndarray:
    """Unsharp mask on Lab L only, so edges get crisper without colour fringes.

    ``L' = L + amount * (L - gaussian_blur(L, sigma=radius))``, skipping pixels whose detail
    ``|L - blur|`` is below ``threshold``; clipped to [0, 100]. Chroma a, b is unchanged.

    Args:
        amount: >= 0, useful range [0, 3]; neutral 0.0.
        radius: Gaussian sigma in pixels, > 0, useful range [0.5, 10]; default 1.0.
        threshold: in L units [0, 100], useful range [0, 10]; 0.0 sharpens everything,
            higher values leave smooth areas (and film grain) alone.
    """
    out = as_rgb01(rgb)
    amount, radius, threshold = check_sharpen(amount, radius, threshold)
    if amount == 0.0:
        return out
    return via_lab(out, lambda lab: sharpen_lab(lab, amount, radius, threshold))
