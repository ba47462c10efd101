"""Running a network on a photo of any size: it sees the photo small, its chroma comes back small.

The network sees the photo at its working size (``render_size`` = long side in px, DeOldify's
render factor / DDColor's input size), made from the photo's own full-size Lab L by area
shrinking. Chroma a network predicts below that size is brought up to it with the small L as
guide (:mod:`restorer.pipeline.guided`). A model card may ask for a multi-scale read-out
(``render_scales``): the network also sees the photo at those multiples of the working size, and
the chroma predictions are averaged. :mod:`restorer.pipeline.colorize` turns the result into a
photo at any size; nothing here knows about files.
"""

from __future__ import annotations

import cv2
import numpy as np

from restorer.core.ranges import RENDER_SIZE
from restorer.models.runtime import Colorizer
from restorer.pipeline.color import rgb_to_lab
from restorer.pipeline.guided import guided_upsample
from restorer.pipeline.hint_geometry import ColorHint, hint_map, hint_square
from restorer.pipeline.hint_spread import spread_hint_residuals

MIN_RENDER, MAX_RENDER = int(RENDER_SIZE.low), int(RENDER_SIZE.high)


def working_shape(height: int, width: int, render_size: int) -> tuple[int, int]:
    """(h, w) with the long side ``render_size``, aspect kept; never larger than the input."""
    render_size = int(np.clip(render_size, MIN_RENDER, MAX_RENDER))
    scale = min(1.0, render_size / max(height, width))
    return max(1, round(height * scale)), max(1, round(width * scale))


def small_luminance(lum: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """The full-size L ``(H, W)`` area-shrunk to ``shape`` (no aliasing)."""
    return cv2.resize(lum, (shape[1], shape[0]), interpolation=cv2.INTER_AREA)


def predict_ab(colorizer: Colorizer, lum: np.ndarray, render_size: int, render_scales: tuple[float, ...],
               hints: tuple[ColorHint, ...] = ()) -> np.ndarray:
    """Chroma ``(h, w, 2)`` (Lab a, b) at the working size for a photo whose full-size L is ``lum``.

    With several render scales, each prediction is resized to the working size and the mean is
    returned: the scales see objects at different sizes, so their errors partly cancel (on held-out
    photos this was worth more accuracy than the extra network time costs). With ``hints``, what
    the network missed under each hint is spread along the photo's edges
    (:mod:`restorer.pipeline.hint_spread`).
    """
    height, width = lum.shape
    shape = working_shape(height, width, render_size)
    lum_small = small_luminance(lum, shape)
    shapes = [working_shape(height, width, round(render_size * scale)) for scale in render_scales]
    total = np.zeros(shape + (2,), np.float32)
    for scale_shape in shapes:
        lum_seen = lum_small if scale_shape == shape else small_luminance(lum, scale_shape)
        chroma = _chroma_at(colorizer, lum_seen, hints)
        if scale_shape != shape:
            chroma = cv2.resize(chroma, (shape[1], shape[0]), interpolation=cv2.INTER_LINEAR)
        total += chroma
    total /= len(shapes)
    if hints and colorizer.spec.accepts_hints:  # each hint's colour shows where it was placed
        total = spread_hint_residuals(total, lum_small, hints)
    return total


def _chroma_at(colorizer: Colorizer, lum_small: np.ndarray, hints: tuple[ColorHint, ...]) -> np.ndarray:
    """The network's chroma for the photo seen as ``lum_small`` (its L at one working size), at that size."""
    shape = lum_small.shape
    hint_maps = hint_map(hints, shape)[None] if hints else None
    output = colorizer.run(lum_small[None], hint_maps)[0]
    if colorizer.spec.output_kind == "rgb":
        rgb = cv2.resize(output, (shape[1], shape[0]), interpolation=cv2.INTER_LINEAR)
        return rgb_to_lab(rgb)[..., 1:]
    if output.shape[:2] != shape:  # chroma predicted below the input size: put its edges on L's
        return guided_upsample(output, lum_small)
    return output


def predict_raw_rgb(colorizer: Colorizer, lum: np.ndarray, render_size: int) -> np.ndarray:
    """An RGB network's own RGB ``(h, w, 3)`` in [0, 1] at the working size (its luminance, not the photo's)."""
    shape = working_shape(lum.shape[0], lum.shape[1], render_size)
    rgb = colorizer.run(small_luminance(lum, shape)[None])[0]
    return np.ascontiguousarray(rgb, dtype=np.float32)


__all__ = ["ColorHint", "hint_map", "hint_square", "predict_ab", "predict_raw_rgb", "small_luminance", "working_shape"]
