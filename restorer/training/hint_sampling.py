"""Colour hints drawn from a photo's true colours, to measure what hints are worth.

ideepcolor's protocol (Zhang et al. 2017, fig. 4): the network gets N hints taken from the
ground truth at random points, and the accuracy is plotted against N. Here each hint is a
square of :data:`~restorer.pipeline.hints.DEFAULT_RADIUS` (the app's default) carrying the mean
true chroma under it. The points depend only on the photo, and the first N of a photo are the
same whatever the largest N, so every count and every model sees the same clicks.
"""

from __future__ import annotations

import zlib

import numpy as np

from restorer.pipeline.color import rgb_to_lab, to_float01
from restorer.pipeline.hints import DEFAULT_RADIUS
from restorer.pipeline.inference import ColorHint

HINT_SEED = 16


def random_points(image: np.ndarray, count: int) -> np.ndarray:
    """``(count, 2)`` (x, y) fractions, the same for the same photo and nested across counts."""
    key = zlib.crc32(np.ascontiguousarray(image).tobytes())
    return np.random.default_rng([HINT_SEED, key]).random((count, 2))


def true_colour_hints(image: np.ndarray, count: int, radius: float = DEFAULT_RADIUS) -> tuple[ColorHint, ...]:
    """``count`` hints at random points of the colour photo ``image``, each with the mean true
    chroma of its square."""
    if count <= 0:
        return ()
    ab = rgb_to_lab(to_float01(image))[..., 1:]
    height, width = ab.shape[:2]
    half = max(0, round(radius * max(height, width)))
    hints = []
    for x, y in random_points(image, count):
        col, row = int(x * (width - 1)), int(y * (height - 1))
        patch = ab[max(0, row - half): row + half + 1, max(0, col - half): col + half + 1]
        a, b = patch.reshape(-1, 2).mean(axis=0)
        hints.append(ColorHint(float(x), float(y), float(a), float(b), radius))
    return tuple(hints)
