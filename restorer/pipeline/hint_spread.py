"""Colour hints honoured where they were placed: what the network missed at each hint, spread along edges.

A hint-taking network sees the hints at a fraction of its working size and follows them loosely:
the colour at a click is near, not at, the colour the user gave. After the network has run, each
hint's *residual* (the chroma given minus the chroma predicted under it) is spread over the photo
and added to the prediction. The weight of a hint at a pixel falls with the square of the
edge-aware (geodesic) distance between them, where crossing a change of lightness costs extra
(Levin et al. 2004 propagate scribbles along the same cue) unless the change is as small as a
texture's (grass, fabric, film grain: a hint on a lawn should colour the lawn); a zero residual at
:data:`PRIOR_DISTANCE` stands for the network's own answer (Shepard interpolation with a prior).
So one hint recolours the region around it and fades away beyond edges and distance; many hints
fill the photo between them.

Chosen on the 74 held-out training scenes (never the evaluation photos; docs/HINTS.md):
10 true-colour hints, 25.65 dB without spreading, 26.01 dB with it; one hint 24.17 -> 24.22 dB
(eighth session, one-scale read-out). With the three-scale read-out (ninth session), letting steps of
up to :data:`TEXTURE_L` cost nothing extra raised 10 hints from 26.23 to 26.50 dB and one hint from
24.18 to 24.29 dB (tenth session; steps of 2-8 L all scored 26.46-26.51 dB). Blurring L before
the costs scored a little higher (26.56 dB) but stopped the colour a few pixels short of edges.
Spreading more widely can score higher (in the eighth session a residual shared by the whole photo
scored 26.36 dB against 26.01), but then a click on a dress recolours the sky too; the costs were
chosen so that one hint moves its own flat region by >= 80 % of its residual and the far side of a
clear edge (L 30 | 70) by < 10 % (tests/pipeline/test_hint_spread.py).
"""

from __future__ import annotations

import cv2
import numpy as np

from restorer.pipeline.hint_geometry import ColorHint, hint_square

SPREAD_SIZE = 128  # long side (px) the distances are computed at; the field is then resized (as
# accurate on the held-out scenes as 256 px, in a quarter of the time)
DISTANCE_UNIT = 224  # distances count in 1/224 of the photo's long side, whatever the size
SPATIAL_COST = 0.1  # distance per pixel step, in those units: small, so a hint fills its region
EDGE_COST = 4.0  # extra distance per Lab L unit of lightness change between neighbouring pixels
TEXTURE_L = 4.0  # ... beyond this many units: smaller steps are texture, not the edge of a region
PRIOR_DISTANCE = 40.0  # a hint this far away counts as much as the network's own answer
NEAR = 4.0  # added to every distance: a hint's own square is not infinitely sure
CHUNK = 32  # hints whose distance maps are held in memory at once
SWEEPS = 2  # rounds of the four directional passes (paths that turn more often are rarer)


def geodesic_distances(step_x: np.ndarray, step_y: np.ndarray, seeds: np.ndarray, sweeps: int = SWEEPS) -> np.ndarray:
    """Shortest 4-connected path lengths ``(n, h, w)`` from each seed map to every pixel.

    ``seeds`` ``(n, h, w)``: 0 where a path may start, ``inf`` elsewhere; ``step_x`` ``(h, w-1)``
    and ``step_y`` ``(h-1, w)`` the cost of stepping between horizontal and vertical neighbours.
    Each pass relaxes whole rows (or columns) at once: along a line, the best distance is a running
    minimum of ``seed - cumulative cost``, so a pass costs a few array operations.
    """
    dist = seeds.astype(np.float32, copy=True)
    for _ in range(sweeps):
        dist = _down_and_up(dist, step_y)
        # the same along rows, on the transposed maps: running minima down axis 1 are vectorised
        dist = np.ascontiguousarray(_down_and_up(np.ascontiguousarray(dist.transpose(0, 2, 1)), step_x.T)
                                    .transpose(0, 2, 1))
    return dist


def _down_and_up(dist: np.ndarray, step: np.ndarray) -> np.ndarray:
    """One pass down and one up axis 1 of ``dist`` ``(n, h, w)``; ``step`` ``(h-1, w)``."""
    along = np.concatenate([np.zeros_like(step[:1]), np.cumsum(step, axis=0)], axis=0)[None]
    dist = np.minimum(dist, along + np.minimum.accumulate(dist - along, axis=1))
    flipped = np.minimum.accumulate((dist + along)[:, ::-1], axis=1)[:, ::-1]
    return np.minimum(dist, flipped - along)


def spread_hint_residuals(ab: np.ndarray, lum: np.ndarray, hints: tuple[ColorHint, ...]) -> np.ndarray:
    """``ab`` ``(h, w, 2)`` (a network's chroma, Lab units) with each hint's residual spread in.

    ``lum`` is the photo's Lab L (0-100) at the same ``(h, w)``. Without hints ``ab`` comes back as is.
    """
    if not hints:
        return ab
    height, width = ab.shape[:2]
    scale = min(1.0, SPREAD_SIZE / max(height, width))
    shape = (max(1, round(height * scale)), max(1, round(width * scale)))
    small_ab = _resized(ab, shape, cv2.INTER_AREA)
    small_lum = _resized(lum, shape, cv2.INTER_AREA)
    field = _residual_field(small_ab, small_lum, hints)
    return ab + _resized(field, (height, width), cv2.INTER_LINEAR)


def _resized(image: np.ndarray, shape: tuple[int, int], interpolation: int) -> np.ndarray:
    if image.shape[:2] == shape:
        return image.astype(np.float32, copy=False)
    return cv2.resize(image.astype(np.float32), (shape[1], shape[0]), interpolation=interpolation)


def _residual_field(ab: np.ndarray, lum: np.ndarray, hints: tuple[ColorHint, ...]) -> np.ndarray:
    """The residual ``(h, w, 2)`` to add: the hints' residuals, weighted by 1 / distance^2, against
    a zero residual weighted as a hint at :data:`PRIOR_DISTANCE`."""
    unit = SPATIAL_COST * DISTANCE_UNIT / max(ab.shape[:2])
    step_x, step_y = (unit + _edge_cost(np.diff(lum, axis=axis)) for axis in (1, 0))
    weight_sum = np.full(ab.shape[:2], 1.0 / PRIOR_DISTANCE ** 2, np.float32)
    weighted = np.zeros(ab.shape, np.float32)
    for start in range(0, len(hints), CHUNK):
        seeds, residuals = _seeds_and_residuals(ab, hints[start:start + CHUNK])
        weights = 1.0 / (geodesic_distances(step_x, step_y, seeds) + NEAR) ** 2
        weight_sum += weights.sum(axis=0)
        weighted += np.einsum("nhw,nc->hwc", weights, residuals)
    return weighted / weight_sum[..., None]


def _edge_cost(lum_steps: np.ndarray) -> np.ndarray:
    """Extra distance for each step of lightness between neighbours: none up to :data:`TEXTURE_L`."""
    return EDGE_COST * np.maximum(np.abs(lum_steps) - TEXTURE_L, 0.0)


def _seeds_and_residuals(ab: np.ndarray, hints: tuple[ColorHint, ...]) -> tuple[np.ndarray, np.ndarray]:
    """Per hint: its square as a seed map (0 inside, inf outside) and its mean residual (a, b)."""
    seeds = np.full((len(hints),) + ab.shape[:2], np.inf, np.float32)
    residuals = np.zeros((len(hints), 2), np.float32)
    for index, hint in enumerate(hints):
        square = hint_square(hint, ab.shape[:2])
        seeds[index][square] = 0.0
        residuals[index] = np.array([hint.a, hint.b], np.float32) - ab[square].reshape(-1, 2).mean(axis=0)
    return seeds, residuals
