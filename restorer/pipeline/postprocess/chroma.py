"""Colour adjustments on the Lab chroma a, b (luminance L is left as it is).

Every public function takes float32 RGB ``(H, W, 3)`` in [0, 1] (uint8/uint16 are converted)
and returns a new float32 array; with neutral parameters it returns a plain copy of the input
(no Lab round trip). Colours pushed outside the sRGB gamut are clipped in RGB.
"""

from __future__ import annotations

import cv2
import numpy as np

from restorer.pipeline.color import rgb_to_lab, to_float01
from restorer.pipeline.postprocess._common import as_rgb01, check_range, via_lab

WHITE_BALANCE_SCALE = 30.0  # Lab units of b (temperature) / a (tint) at +-1
VIBRANCE_CHROMA = 80.0  # chroma at and above which vibrance no longer acts
TRANSFER_MAX_GAIN = 10.0  # cap on std_ref / std_src, so a near-grey photo's noise is not blown up
_REFERENCE_PIXELS = 512 * 512  # reference photos are shrunk to about this size for statistics


# --- saturation / vibrance ------------------------------------------------------------------


def saturation_lab(lab: np.ndarray, saturation: float) -> None:
    """In place: ``(a, b) *= saturation``."""
    # one diagonal colour matrix over the interleaved array: ~10x faster than numpy's strided multiply
    cv2.transform(lab, np.diag([1.0, saturation, saturation]).astype(np.float32), dst=lab)


def adjust_saturation(rgb: np.ndarray, saturation: float = 1.0) -> np.ndarray:
    """Scale Lab chroma (a, b) by ``saturation``; L is unchanged.

    Args:
        saturation: >= 0, useful range [0, 3]; neutral 1.0; 0 gives grey (a = b = 0).
    """
    out = as_rgb01(rgb)
    saturation = check_range("saturation", saturation, 0.0)
    if saturation == 1.0:
        return out
    return via_lab(out, lambda lab: saturation_lab(lab, saturation))


def vibrance_lab(lab: np.ndarray, vibrance: float) -> None:
    """In place: ``(a, b) *= 1 + vibrance * max(0, 1 - chroma / VIBRANCE_CHROMA)``."""
    weight = np.hypot(lab[..., 1], lab[..., 2])
    weight *= -1.0 / VIBRANCE_CHROMA
    weight += 1.0
    np.clip(weight, 0.0, 1.0, out=weight)
    weight *= vibrance
    weight += 1.0
    lab[..., 1:] *= weight[..., None]


def adjust_vibrance(rgb: np.ndarray, vibrance: float = 0.0) -> np.ndarray:
    """Saturation that favours dull colours: low-chroma pixels change most, vivid ones least.

    Each pixel's chroma (a, b) is scaled by ``1 + vibrance * w`` with
    ``w = max(0, 1 - chroma / 80)``: 1 for grey, 0 for chroma >= 80. L is unchanged.

    Args:
        vibrance: in [-1, 1]; neutral 0.0. +1 up to doubles the chroma of dull colours,
            -1 takes near-grey colours to grey while vivid ones keep most of theirs.
    """
    out = as_rgb01(rgb)
    vibrance = check_range("vibrance", vibrance, -1.0, 1.0)
    if vibrance == 0.0:
        return out
    return via_lab(out, lambda lab: vibrance_lab(lab, vibrance))


# --- white balance --------------------------------------------------------------------------


def temperature_lab(lab: np.ndarray, temperature: float, tint: float) -> None:
    """In place: ``b += 30 * temperature``, ``a += 30 * tint``."""
    lab[..., 2] += WHITE_BALANCE_SCALE * temperature
    lab[..., 1] += WHITE_BALANCE_SCALE * tint


def adjust_temperature(rgb: np.ndarray, temperature: float = 0.0, tint: float = 0.0) -> np.ndarray:
    """White balance in Lab: shift b by ``temperature * 30`` and a by ``tint * 30``.

    Args:
        temperature: in [-1, 1]; neutral 0.0; positive is warmer (yellow), negative cooler
            (blue).
        tint: in [-1, 1]; neutral 0.0; positive is magenta, negative green.
    """
    out = as_rgb01(rgb)
    temperature = check_range("temperature", temperature, -1.0, 1.0)
    tint = check_range("tint", tint, -1.0, 1.0)
    if temperature == 0.0 and tint == 0.0:
        return out
    return via_lab(out, lambda lab: temperature_lab(lab, temperature, tint))


# --- colour transfer ------------------------------------------------------------------------


def reference_ab_stats(reference_rgb: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(mean, std) of the Lab a and b channels of a reference photo, each shape ``(2,)``.

    Accepts RGB, RGBA (alpha ignored) or grey ``(H, W)`` of any dtype; large photos are
    shrunk to about 0.25 MP first (statistics barely change, time does).
    """
    ref = np.asarray(reference_rgb)
    if ref.ndim == 3 and ref.shape[2] == 4:
        ref = ref[..., :3]
    if ref.ndim == 3 and ref.shape[2] == 1:
        ref = ref[..., 0]
    if ref.ndim == 2:
        ref = np.repeat(ref[..., None], 3, axis=2)
    if ref.ndim != 3 or ref.shape[2] != 3 or ref.size == 0:
        raise ValueError(f"reference must be an RGB image, got shape {np.shape(reference_rgb)}")
    pixels = ref.shape[0] * ref.shape[1]
    if pixels > _REFERENCE_PIXELS:
        factor = (_REFERENCE_PIXELS / pixels) ** 0.5
        size = (max(1, round(ref.shape[1] * factor)), max(1, round(ref.shape[0] * factor)))
        ref = cv2.resize(np.ascontiguousarray(ref), size, interpolation=cv2.INTER_AREA)
    ab = rgb_to_lab(to_float01(ref))[..., 1:].reshape(-1, 2).astype(np.float64)
    return ab.mean(axis=0), ab.std(axis=0)


def color_transfer_lab(
    lab: np.ndarray, ref_mean: np.ndarray, ref_std: np.ndarray, strength: float
) -> None:
    """In place: Reinhard transfer of the a/b mean and std, mixed with the original by strength."""
    for channel in (1, 2):
        values = lab[..., channel]
        src_mean = float(values.mean(dtype=np.float64))
        src_std = float(values.std(dtype=np.float64))
        gain = min(float(ref_std[channel - 1]) / max(src_std, 1e-6), TRANSFER_MAX_GAIN)
        # (1 - s) * x + s * ((x - m_src) * gain + m_ref) == x * k + offset
        k = (1.0 - strength) + strength * gain
        offset = strength * (float(ref_mean[channel - 1]) - src_mean * gain)
        values *= k
        values += offset


def color_transfer(
    rgb: np.ndarray, reference_rgb: np.ndarray, strength: float = 1.0
) -> np.ndarray:
    """Give a photo the colour mood of a reference photo (Reinhard et al. 2001, in CIE Lab).

    The mean and standard deviation of a and b (not L) are matched to the reference's:
    ``a' = (a - mean_a) * std_ref_a / std_a + mean_ref_a`` (likewise b; the gain is capped at
    10 so a near-grey photo's noise is not blown up), then mixed with the original chroma:
    ``(1 - strength) * a + strength * a'``.

    Args:
        reference_rgb: the reference photo, RGB/RGBA/grey of any size and dtype.
        strength: in [0, 1]; neutral 0.0 (the default 1.0 is the full transfer).
    """
    out = as_rgb01(rgb)
    strength = check_range("strength", strength, 0.0, 1.0)
    if strength == 0.0:
        return out
    ref_mean, ref_std = reference_ab_stats(reference_rgb)
    return via_lab(out, lambda lab: color_transfer_lab(lab, ref_mean, ref_std, strength))
