"""The model's own top colours at a point of a photo (ideepcolor's gamut palette).

A flagship classifies every 1/4-scale pixel into ab colour bins; the most probable bins at the
point a user clicked are the colours the network itself finds plausible there, given the other
hints already placed. They pre-fill the colour picker.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from restorer.core.errors import HintsError
from restorer.pipeline.color import luminance
from restorer.pipeline.hints import hex_of_lab
from restorer.pipeline.inference import ColorHint, hint_map, small_luminance, working_shape

DEFAULT_COUNT = 8


@dataclass(frozen=True)
class Suggestion:
    """One plausible colour: Lab chroma, the network's probability, and its sRGB hex at the
    photo's own lightness there (what the photo would show)."""

    a: float
    b: float
    probability: float
    color: str


def suggestion_problem(colorizer) -> str | None:
    """Why ``colorizer`` cannot suggest colours, or None when it can."""
    if getattr(colorizer, "scores_colours", False):
        return None
    return f"{colorizer.name} does not score colours, so it has no suggestions (pick any colour)"


def suggest_colours(colorizer, image: np.ndarray, x: float, y: float, hints: tuple[ColorHint, ...] = (),
                    count: int = DEFAULT_COUNT, render_size: int | None = None,
                    lum: np.ndarray | None = None) -> list[Suggestion]:
    """The ``count`` most probable colours at (``x``, ``y``) (fractions of width and height) of
    ``image`` (grey or RGB, any dtype; ``lum`` its L when at hand), most probable first.

    The network sees the photo at its working size with ``hints``; :class:`HintsError` when
    the model scores no colour bins.
    """
    problem = suggestion_problem(colorizer)
    if problem:
        raise HintsError(problem)
    lum = luminance(image) if lum is None else lum
    shape = working_shape(*lum.shape, render_size or colorizer.default_render_size)
    lum_small = small_luminance(lum, shape)
    hint_maps = hint_map(tuple(hints), shape)[None] if hints else None
    probabilities, bins = colorizer.colour_probabilities(lum_small[None], hint_maps)
    grid = probabilities[0]
    # the pixel hint_map would hint at this point, and the output cell that covers it
    row, col = int(np.clip(y, 0, 1) * (shape[0] - 1)), int(np.clip(x, 0, 1) * (shape[1] - 1))
    at_point = grid[min(grid.shape[0] - 1, row * grid.shape[0] // shape[0]),
                    min(grid.shape[1] - 1, col * grid.shape[1] // shape[1])]
    lightness = float(lum_small[row, col])
    best = np.argsort(at_point)[::-1][:count]
    return [Suggestion(float(bins[i, 0]), float(bins[i, 1]), float(at_point[i]),
                       hex_of_lab(lightness, float(bins[i, 0]), float(bins[i, 1]))) for i in best]
