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

from dataclasses import dataclass

import cv2
import numpy as np

from restorer.core.ranges import RENDER_SIZE
from restorer.models.runtime import Colorizer
from restorer.pipeline.color import rgb_to_lab
from restorer.pipeline.guided import guided_upsample

MIN_RENDER, MAX_RENDER = int(RENDER_SIZE.low), int(RENDER_SIZE.high)


@dataclass(frozen=True)
class ColorHint:
    """A user's colour click: position as fractions of width/height, colour as Lab a, b.

    ``radius`` is half the side of the hinted square, as a fraction of the photo's long side;
    ``color`` is the sRGB hex the user picked (for display; the network gets ``a``, ``b``). The
    file format is :mod:`restorer.pipeline.hints`.
    """

    x: float
    y: float
    a: float
    b: float
    radius: float = 0.01
    color: str = ""


def working_shape(height: int, width: int, render_size: int) -> tuple[int, int]:
    """(h, w) with the long side ``render_size``, aspect kept; never larger than the input."""
    render_size = int(np.clip(render_size, MIN_RENDER, MAX_RENDER))
    scale = min(1.0, render_size / max(height, width))
    return max(1, round(height * scale)), max(1, round(width * scale))


def hint_square(hint: ColorHint, shape: tuple[int, int]) -> tuple[slice, slice]:
    """(rows, columns) of the square ``hint`` covers in an image of ``shape`` (h, w)."""
    radius = max(0, int(round(hint.radius * max(shape))))
    cx = int(np.clip(hint.x, 0, 1) * (shape[1] - 1))
    cy = int(np.clip(hint.y, 0, 1) * (shape[0] - 1))
    return slice(max(0, cy - radius), cy + radius + 1), slice(max(0, cx - radius), cx + radius + 1)


def hint_map(hints: tuple[ColorHint, ...], shape: tuple[int, int]) -> np.ndarray:
    """Rasterise hints into ``(h, w, 3)``: a, b where a hint is, a 0/1 mask in the last channel."""
    out = np.zeros(shape + (3,), np.float32)
    for hint in hints:
        out[hint_square(hint, shape)] = (hint.a, hint.b, 1.0)
    return out


def small_luminance(lum: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """The full-size L ``(H, W)`` area-shrunk to ``shape`` (no aliasing)."""
    return cv2.resize(lum, (shape[1], shape[0]), interpolation=cv2.INTER_AREA)


def predict_ab(colorizer: Colorizer, lum: np.ndarray, render_size: int, render_scales: tuple[float, ...],
               hints: tuple[ColorHint, ...] = ()) -> np.ndarray:
    """Chroma ``(h, w, 2)`` (Lab a, b) at the working size for a photo whose full-size L is ``lum``.

    With several render scales, each prediction is resized to the working size and the mean is
    returned: the scales see objects at different sizes, so their errors partly cancel (on held-out
    photos this was worth more accuracy than the extra network time costs).
    """
    height, width = lum.shape
    shape = working_shape(height, width, render_size)
    shapes = [working_shape(height, width, round(render_size * scale)) for scale in render_scales]
    total = np.zeros(shape + (2,), np.float32)
    for scale_shape in shapes:
        chroma = _chroma_at(colorizer, lum, scale_shape, hints)
        if scale_shape != shape:
            chroma = cv2.resize(chroma, (shape[1], shape[0]), interpolation=cv2.INTER_LINEAR)
        total += chroma
    return total / len(shapes)


def _chroma_at(colorizer: Colorizer, lum: np.ndarray, shape: tuple[int, int],
               hints: tuple[ColorHint, ...]) -> np.ndarray:
    """The network's chroma for the photo seen at ``shape``, brought to ``shape``."""
    lum_small = small_luminance(lum, shape)
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
