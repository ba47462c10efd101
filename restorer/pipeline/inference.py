"""Colorizing an image of any size: run the network small, keep the original's full-size luminance.

The network sees the photo at its working size (``render_size`` = long side in px, DeOldify's
render factor / DDColor's input size). Chroma a network predicts below that size is brought up to
it with the small L as guide (:mod:`restorer.pipeline.guided`); it is then upsampled bicubically to
the full size and merged in Lab with the original's own L, so no detail is lost however small the
working size. A model card may ask for a multi-scale read-out (``render_scales``): the network also
sees the photo at those multiples of the working size, and the chroma predictions are averaged.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

from restorer.core.ranges import RENDER_SIZE
from restorer.pipeline.color import from_float01, luminance, merge_luminance_chroma, rgb_to_lab
from restorer.pipeline.guided import guided_upsample

MIN_RENDER, MAX_RENDER = int(RENDER_SIZE.low), int(RENDER_SIZE.high)


@dataclass(frozen=True)
class ColorHint:
    """A user's colour click: position as fractions of width/height, colour as Lab a, b."""

    x: float
    y: float
    a: float
    b: float
    radius: float = 0.01  # fraction of the long side


@dataclass
class ColorizeOptions:
    render_size: int | None = None  # None: the model's own working size
    render_scales: tuple[float, ...] | None = None  # None: the model's own (usually just 1.0)
    raw_rgb: bool = False  # RGB-output networks: return their RGB, not original L + their chroma
    hints: list[ColorHint] = field(default_factory=list)


def working_shape(height: int, width: int, render_size: int) -> tuple[int, int]:
    """(h, w) with the long side ``render_size``, aspect kept; never larger than the input."""
    render_size = int(np.clip(render_size, MIN_RENDER, MAX_RENDER))
    scale = min(1.0, render_size / max(height, width))
    return max(1, round(height * scale)), max(1, round(width * scale))


def hint_map(hints: list[ColorHint], shape: tuple[int, int]) -> np.ndarray:
    """Rasterise hints into ``(h, w, 3)``: a, b where a hint is, a 0/1 mask in the last channel."""
    out = np.zeros(shape + (3,), np.float32)
    for hint in hints:
        radius = max(0, int(round(hint.radius * max(shape))))
        cx = int(np.clip(hint.x, 0, 1) * (shape[1] - 1))
        cy = int(np.clip(hint.y, 0, 1) * (shape[0] - 1))
        out[max(0, cy - radius): cy + radius + 1, max(0, cx - radius): cx + radius + 1] = (hint.a, hint.b, 1.0)
    return out


def small_luminance(image: np.ndarray, shape: tuple[int, int], lum: np.ndarray | None = None) -> np.ndarray:
    """L ``(h, w)`` of the image shrunk to ``shape`` (area filter: no aliasing).

    With the image's full-size L ``lum`` already at hand, that is shrunk instead: one Lab
    conversion per photo rather than two.
    """
    if lum is not None:
        return cv2.resize(lum, (shape[1], shape[0]), interpolation=cv2.INTER_AREA)
    small = cv2.resize(image, (shape[1], shape[0]), interpolation=cv2.INTER_AREA)
    return luminance(small)


def predict_chroma(colorizer, image: np.ndarray, options: ColorizeOptions,
                   lum: np.ndarray | None = None) -> np.ndarray:
    """Chroma ``(h, w, 2)`` (Lab a, b) at the working size for ``image`` (H, W[, 3]); ``lum`` is
    the image's full-size L when the caller has it.

    With several render scales, each prediction is resized to the working size and the mean is
    returned: the scales see objects at different sizes, so their errors partly cancel (on held-out
    photos this was worth more accuracy than the extra network time costs).
    """
    render = options.render_size or colorizer.default_render_size
    scales = options.render_scales or colorizer.default_render_scales
    height, width = image.shape[:2]
    shape = working_shape(height, width, render)
    shapes = [working_shape(height, width, round(render * scale)) for scale in scales]
    total = np.zeros(shape + (2,), np.float32)
    for scale_shape in shapes:
        chroma = _chroma_at(colorizer, image, scale_shape, options.hints, lum)
        if scale_shape != shape:
            chroma = cv2.resize(chroma, (shape[1], shape[0]), interpolation=cv2.INTER_LINEAR)
        total += chroma
    return total / len(shapes)


def _chroma_at(colorizer, image: np.ndarray, shape: tuple[int, int], hints: list[ColorHint],
               lum: np.ndarray | None) -> np.ndarray:
    """The network's chroma for ``image`` seen at ``shape``, brought to ``shape``."""
    lum_small = small_luminance(image, shape, lum)
    hint_maps = hint_map(hints, shape)[None] if hints else None
    output = colorizer.run(lum_small[None], hint_maps)[0]
    if colorizer.spec.output_kind == "rgb":
        rgb = cv2.resize(output, (shape[1], shape[0]), interpolation=cv2.INTER_LINEAR)
        return rgb_to_lab(rgb)[..., 1:]
    if output.shape[:2] != shape:  # chroma predicted below the input size: put its edges on L's
        return guided_upsample(output, lum_small)
    return output


def colorize_array(colorizer, image: np.ndarray, options: ColorizeOptions | None = None) -> np.ndarray:
    """Colorize ``image`` (grey ``(H, W)`` or RGB ``(H, W, 3)``, uint8/uint16/float) -> RGB of the same dtype.

    Deterministic: the same input, model and options give the same pixels.
    """
    options = options or ColorizeOptions()
    out_dtype = image.dtype if image.dtype in (np.uint8, np.uint16) else np.float32
    if options.raw_rgb and colorizer.spec.output_kind == "rgb":
        return _raw_rgb(colorizer, image, options, out_dtype)
    lum = luminance(image)
    ab_small = predict_chroma(colorizer, image, options, lum)
    return merge_luminance_chroma(lum, ab_small, out_dtype)


def _raw_rgb(colorizer, image, options, out_dtype) -> np.ndarray:
    render = options.render_size or colorizer.default_render_size
    shape = working_shape(image.shape[0], image.shape[1], render)
    rgb = colorizer.run(small_luminance(image, shape)[None])[0]
    rgb = cv2.resize(rgb, (image.shape[1], image.shape[0]), interpolation=cv2.INTER_CUBIC)
    return from_float01(rgb, out_dtype)


__all__ = ["ColorHint", "ColorizeOptions", "colorize_array", "predict_chroma", "working_shape"]
