"""Where a colour hint sits: the hint itself and the square it covers at any working size.

Its own module so both the network's input (:mod:`restorer.pipeline.inference`) and the spread of
what the network missed (:mod:`restorer.pipeline.hint_spread`) use one geometry.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


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
