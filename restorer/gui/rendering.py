"""Pixels for the compare view, without Qt: a photo's preview-size original and colorized pictures.

A queue item keeps only its :class:`~restorer.pipeline.colorize.ChromaResult` (the network's
chroma at its working size); the preview is rendered from it by the same
:func:`~restorer.pipeline.colorize.render` that makes the saved full-size photo.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from restorer.pipeline.colorize import ChromaResult, render
from restorer.pipeline.pixels import shrink, to_uint8

PREVIEW_MAX = 2048  # long side of the arrays the compare view and live adjustments work on


@dataclass
class Preview:
    """What the compare view shows for one photo: uint8 RGB at preview size, plus the full size."""

    original: np.ndarray
    colorized: np.ndarray | None
    full_size: tuple[int, int]  # (width, height) of the photo on disk


def make_preview(pixels: np.ndarray, result: ChromaResult | None, max_side: int = PREVIEW_MAX) -> Preview:
    """Preview-size original and (with a ``result``) colorized uint8 RGB."""
    small = np.ascontiguousarray(to_uint8(shrink(pixels, max_side)))
    colorized = render(result, small) if result is not None else None
    return Preview(small, colorized, (pixels.shape[1], pixels.shape[0]))
