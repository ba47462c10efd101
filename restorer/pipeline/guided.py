"""Edge-aware chroma upsampling: a fast guided filter (He & Sun, 2015) with luminance as guide.

Networks that predict chroma at a fraction of their input size (the flagship: 1/4) would have
their colour edges blurred by plain interpolation. Fitting chroma as a local linear function of
luminance at the small size, then applying that function to the larger luminance, puts colour
edges where the photo's own edges are.
"""

from __future__ import annotations

import cv2
import numpy as np

RADIUS = 1  # box radius in low-resolution pixels
EPS = 0.01  # regularisation in (L / 100)^2: flat regions (variance below this) get smooth chroma


def _box(image: np.ndarray) -> np.ndarray:
    size = (2 * RADIUS + 1, 2 * RADIUS + 1)
    return cv2.boxFilter(image, -1, size, borderType=cv2.BORDER_REFLECT)


def guided_upsample(chroma: np.ndarray, lum: np.ndarray) -> np.ndarray:
    """Chroma ``(h, w, C)`` float32 upsampled to ``lum``'s size ``(H, W)`` (Lab L in [0, 100]).

    ``lum`` is the guide at the target size; it is area-shrunk to the chroma's size to fit the
    local linear models, whose coefficients are then interpolated bilinearly.
    """
    height, width = lum.shape
    guide = np.ascontiguousarray(lum, dtype=np.float32) / 100.0
    small = cv2.resize(guide, (chroma.shape[1], chroma.shape[0]), interpolation=cv2.INTER_AREA)
    mean_i = _box(small)
    var_i = _box(small * small) - mean_i * mean_i
    channels = []
    for index in range(chroma.shape[2]):
        p = np.ascontiguousarray(chroma[..., index], dtype=np.float32)
        mean_p = _box(p)
        slope = (_box(small * p) - mean_i * mean_p) / (var_i + EPS)
        offset = mean_p - slope * mean_i
        slope = cv2.resize(_box(slope), (width, height), interpolation=cv2.INTER_LINEAR)
        offset = cv2.resize(_box(offset), (width, height), interpolation=cv2.INTER_LINEAR)
        channels.append(slope * guide + offset)
    return np.stack(channels, axis=-1)
