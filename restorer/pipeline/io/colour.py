"""Is this photo already in colour? One answer for the loader, the training scan and the evaluator.

A photo is grey when its mean Lab chroma is under :data:`CHROMA_THRESHOLD`; a toned print
(sepia, selenium, cyanotype) has more chroma but all of it pointing one way, and counts as
black-and-white too.
"""

from __future__ import annotations

import cv2
import numpy as np

from restorer.pipeline.color import rgb_to_lab, to_float01

CHROMA_THRESHOLD = 3.0  # mean Lab chroma from which a photo counts as coloured (grey is ~0)
TONED_COHERENCE = 0.95  # |mean ab| / mean |ab| above this: one single hue, i.e. sepia/cyanotype


def thumbnail(pixels: np.ndarray, max_pixels: int = 256 * 256) -> np.ndarray:
    """A small area-filtered copy: colour statistics do not need every pixel."""
    height, width = pixels.shape[:2]
    if height * width <= max_pixels:
        return pixels
    scale = (max_pixels / (height * width)) ** 0.5
    size = (max(1, int(width * scale)), max(1, int(height * scale)))
    step = max(1, round(0.5 / scale))  # every step-th pixel first: area-filtering all of them costs ms
    return cv2.resize(np.ascontiguousarray(pixels[::step, ::step]), size, interpolation=cv2.INTER_AREA)


def _ab(rgb: np.ndarray) -> np.ndarray:
    return rgb_to_lab(to_float01(thumbnail(rgb)))[..., 1:]


def mean_chroma(rgb: np.ndarray) -> float:
    """Mean Lab chroma sqrt(a^2 + b^2) of an RGB image of any dtype: ~0 for grey, >5 for clearly coloured."""
    ab = _ab(rgb)
    return float(np.mean(np.hypot(ab[..., 0], ab[..., 1])))


def is_grey(rgb: np.ndarray) -> bool:
    """No colour to speak of (a black-and-white photo, or a colour one faded to nearly grey)."""
    return mean_chroma(rgb) < CHROMA_THRESHOLD


def is_toned(rgb: np.ndarray) -> bool:
    """True when all chroma points one way (sepia, selenium, cyanotype): a monochrome print."""
    ab = _ab(rgb)
    a, b = ab[..., 0], ab[..., 1]
    return float(np.hypot(a.mean(), b.mean())) > TONED_COHERENCE * float(np.mean(np.hypot(a, b)))


def classify_colour(pixels: np.ndarray, notes: list[str]) -> bool:
    """Whether ``pixels`` ``(H, W, 3)`` is a colour photo; notes why when it matters to the user."""
    if is_grey(pixels):
        return False
    if is_toned(pixels):
        notes.append("toned monochrome (e.g. sepia): treated as black-and-white")
        return False
    notes.append("already a colour photo: colorizing from its luminance")
    return True
