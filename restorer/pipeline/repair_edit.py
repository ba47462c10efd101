"""Editing a damage mask by hand: the photo and the detector's view of it at an editing size, and the
edited mask brought back to the photo's full size. Qt-free; the GUI's mask editor calls these on
worker threads (the detector never runs on the GUI thread)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from restorer.pipeline.color import luminance
from restorer.pipeline.inference import working_shape
from restorer.pipeline.repair import (RepairOptions, damage_mask, damage_probability, grey_from_luminance,
                                      repair_luminance, shared_detector)

EDIT_MAX = 1600  # long side (px) of the picture the mask is painted on


@dataclass
class EditView:
    """One photo as the mask editor sees it: grey uint8 and L at the editing size, the detector's
    damage probability there, and the photo's full (H, W)."""

    grey: np.ndarray
    lum: np.ndarray
    prob: np.ndarray
    full_shape: tuple[int, int]


def _shrunk(array: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    if array.shape[:2] == shape:
        return array
    return cv2.resize(array, (shape[1], shape[0]), interpolation=cv2.INTER_AREA)


def editing_view(path: Path, options: RepairOptions = RepairOptions(), max_side: int = EDIT_MAX) -> EditView:
    """Decode ``path``, run the detector on it (as the repair step would) and shrink both to the editing size."""
    from restorer.pipeline.io import load_image

    lum_full = luminance(load_image(path).pixels)
    prob_full = damage_probability(shared_detector(), lum_full, options.detect_size)
    shape = working_shape(*lum_full.shape, max_side)
    lum = _shrunk(lum_full, shape)
    return EditView(grey_from_luminance(lum, np.uint8), lum, _shrunk(prob_full, shape), lum_full.shape)


def detected_mask(view: EditView, options: RepairOptions) -> np.ndarray:
    """The mask the repair step would use, at the editing size."""
    return damage_mask(view.prob, options.sensitivity, options.grow)


def full_size_mask(mask: np.ndarray, full_shape: tuple[int, int]) -> np.ndarray:
    """An editing-size mask at the photo's full size (smooth edges, then cut at half)."""
    if mask.shape == tuple(full_shape):
        return mask.astype(bool)
    scaled = cv2.resize(mask.astype(np.uint8) * 255, (full_shape[1], full_shape[0]), interpolation=cv2.INTER_LINEAR)
    return scaled >= 128


def editing_size_mask(mask: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """A full-size mask (e.g. one edited earlier) shrunk to the editing size: any touched pixel counts."""
    if mask.shape == tuple(shape):
        return mask.astype(bool)
    return cv2.resize(mask.astype(np.uint8) * 255, (shape[1], shape[0]), interpolation=cv2.INTER_AREA) > 0


def repaired_preview(view: EditView, mask: np.ndarray, options: RepairOptions) -> np.ndarray:
    """The editing-size grey repaired with ``mask`` (what the full-size repair will look like)."""
    repaired = repair_luminance(None, view.lum, options, mask)
    return grey_from_luminance(repaired.lum, np.uint8)
