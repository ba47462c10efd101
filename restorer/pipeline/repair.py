"""Repairing damage (scratches, dust, creases, tears) on a photo's luminance, before any colour.

Two steps, as in "Bringing Old Photos Back to Life": a small network trained on synthetic damage
(:mod:`restorer.models.damage_unet`) marks the damage, then the marked pixels are inpainted from
their surroundings. The network sees the photo at a working size (its long side at most
``detect_size``); its probability map is brought back to full size, thresholded by the
sensitivity and grown a little to cover the soft edges of each mark. Inpainting is classical
(OpenCV's Telea or Navier-Stokes) on the full-resolution L in row bands, so a 50 MP scan needs only
a band's worth of temporaries; pixels outside the mask are never touched. docs/REPAIR.md has the
measurements behind the defaults.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import cv2
import numpy as np

from restorer.core.errors import ModelLoadError
from restorer.pipeline.color import BAND_ROWS as COLOR_BAND_ROWS
from restorer.pipeline.color import LAB_EPSILON, LAB_KAPPA, from_float01, luminance
from restorer.pipeline.inference import working_shape
from restorer.pipeline.repair_options import METHOD_NAMES, RepairOptions  # noqa: F401  (re-exported)

METHODS = {"telea": cv2.INPAINT_TELEA, "ns": cv2.INPAINT_NS}  # the names in METHOD_NAMES
BAND_ROWS = 1024  # rows inpainted at once: ~30 MB of temporaries per 1,000 px of width
BAND_MARGIN = 96  # rows of context above and below each band (more than any stroke is wide)


@dataclass
class Repaired:
    """Result on L (``(H, W)`` float32, 0..100): the repaired L and the mask that was filled."""

    lum: np.ndarray
    mask: np.ndarray


def load_detector(device: str = "cpu"):
    """The installed damage detector, ready to run (a :class:`~restorer.models.runtime.NetworkColorizer`
    runs any network of the zoo: pads, runs without gradients, crops back)."""
    from restorer.models.registry import DAMAGE_DETECTOR
    from restorer.models.runtime import NetworkColorizer
    from restorer.models.zoo import list_models, load_network

    ready = [entry for entry in list_models(DAMAGE_DETECTOR) if entry.ready]
    if not ready:
        raise ModelLoadError("No damage detector installed (weights/damage-unet.safetensors is missing); "
                             "train one with `restorer train-detector`.")
    return NetworkColorizer(load_network(ready[0]), ready[0].spec, device, entry=ready[0])


def damage_probability(detector, lum: np.ndarray, detect_size: int = RepairOptions.detect_size) -> np.ndarray:
    """The detector's damage probability ``(H, W)`` float32 for L ``lum``, seen at most at ``detect_size``."""
    height, width = lum.shape
    shape = working_shape(height, width, detect_size)
    small = lum if shape == (height, width) else cv2.resize(lum, (shape[1], shape[0]), interpolation=cv2.INTER_AREA)
    prob = detector.run(small[None])[0, ..., 0]
    if prob.shape != (height, width):
        prob = cv2.resize(prob, (width, height), interpolation=cv2.INTER_LINEAR)
    return prob


def damage_mask(prob: np.ndarray, sensitivity: float = 0.5, grow: int = 1) -> np.ndarray:
    """Bool mask where ``prob`` > 1 - ``sensitivity``, dilated by ``grow`` px."""
    mask = (prob > 1.0 - float(np.clip(sensitivity, 0.0, 1.0))).astype(np.uint8)
    return grow_mask(mask, grow)


def grow_mask(mask: np.ndarray, grow: int) -> np.ndarray:
    mask = mask.astype(np.uint8)
    if grow > 0:
        kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * grow + 1, 2 * grow + 1))
        mask = cv2.dilate(mask, kernel)
    return mask.astype(bool)


def _scaled_grow(grow: int, shape: tuple[int, int], detect_size: int) -> int:
    """``grow`` px at the working size, in full-size px (a mask from a shrunk photo is coarser)."""
    return int(round(grow * max(1.0, max(shape) / detect_size)))


def inpaint(lum: np.ndarray, mask: np.ndarray, method: str = "ns", radius: int = 3) -> np.ndarray:
    """``lum`` (float32 ``(H, W)``) with ``mask`` filled by ``method``, in row bands; pixels outside
    the mask are returned unchanged."""
    if method not in METHODS:
        raise ValueError(f"unknown inpainting method {method!r}; use one of {', '.join(METHODS)}")
    out = np.array(lum, dtype=np.float32, copy=True)
    rows_with_damage = np.flatnonzero(mask.any(axis=1))
    for top in range(0, lum.shape[0], BAND_ROWS):
        bottom = min(top + BAND_ROWS, lum.shape[0])
        if not np.any((rows_with_damage >= top) & (rows_with_damage < bottom)):
            continue
        upper, lower = max(0, top - BAND_MARGIN), min(lum.shape[0], bottom + BAND_MARGIN)
        band_mask = mask[upper:lower].astype(np.uint8)
        filled = cv2.inpaint(np.ascontiguousarray(lum[upper:lower], np.float32), band_mask, radius, METHODS[method])
        inner = slice(top - upper, bottom - upper)
        out[top:bottom] = np.where(mask[top:bottom], filled[inner], lum[top:bottom])
    return out


def repair_luminance(detector, lum: np.ndarray, options: RepairOptions = RepairOptions(),
                     mask: np.ndarray | None = None) -> Repaired:
    """Detect (unless ``mask`` is given, e.g. painted by the user) and inpaint the damage on L."""
    if mask is None:
        grow = _scaled_grow(options.grow, lum.shape, options.detect_size)
        mask = damage_mask(damage_probability(detector, lum, options.detect_size), options.sensitivity, grow)
    filled = inpaint(lum, mask, options.method, options.radius)
    strength = float(np.clip(options.strength, 0.0, 1.0))
    if strength < 1.0:
        filled = np.where(mask, lum + strength * (filled - lum), lum).astype(np.float32)
    return Repaired(filled, mask)


def grey_from_luminance(lum: np.ndarray, dtype) -> np.ndarray:
    """Grey pixels of ``dtype`` whose Lab L is ``lum`` (2-D), the inverse of :func:`luminance` on a
    grey image; row band by row band, so a 50 MP scan never has a full-size float64 temporary."""
    out = np.empty(lum.shape, dtype=dtype)
    for top in range(0, lum.shape[0], COLOR_BAND_ROWS):
        band = np.asarray(lum[top: top + COLOR_BAND_ROWS], np.float64)
        fy = (band + 16) / 116
        linear = np.where(fy**3 > LAB_EPSILON, fy**3, band / LAB_KAPPA)
        encoded = np.where(linear <= 0.0031308, 12.92 * linear,
                           1.055 * np.power(np.clip(linear, 0.0, None), 1 / 2.4) - 0.055)
        out[top: top + COLOR_BAND_ROWS] = from_float01(encoded.astype(np.float32), dtype)
    return out


def repaired_grey(image: np.ndarray, repaired: Repaired) -> np.ndarray:
    """``image`` as grey of its own dtype with the repaired L written into the masked pixels only:
    every other pixel keeps its exact grey value."""
    dtype = image.dtype if image.dtype in (np.uint8, np.uint16) else np.float32
    grey = image if image.ndim == 2 else None
    if grey is None:
        grey = grey_from_luminance(luminance(image), dtype)
    out = np.array(grey, dtype=dtype, copy=True)
    if repaired.mask.any():
        out[repaired.mask] = grey_from_luminance(repaired.lum[repaired.mask][None], dtype)[0]
    return out


def repair_image(detector, image: np.ndarray, options: RepairOptions = RepairOptions(),
                 mask: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Repair a grey or RGB image: (grey of the input's dtype, the mask that was filled)."""
    repaired = repair_luminance(detector, luminance(image), options, mask)
    return repaired_grey(image, repaired), repaired.mask


_SHARED: dict[str, object] = {}
_SHARED_LOCK = threading.Lock()


def shared_detector(device: str = "cpu"):
    """The installed detector, loaded once per device and weights folder (the GUI's jobs share it)."""
    from restorer.core.paths import bundled_weights_dir, user_data_dir

    key = f"{device}|{bundled_weights_dir()}|{user_data_dir()}"
    with _SHARED_LOCK:
        if key not in _SHARED:
            _SHARED[key] = load_detector(device)
        return _SHARED[key]


@dataclass(frozen=True)
class RepairPlan:
    """How to repair one photo: ``options``, and the user's own mask (full size) when they edited
    it, else None to detect. Calling it repairs decoded pixels (loading the detector on first
    use, on the calling thread); the same plan gives the same pixels every time, so a photo can
    be decoded again for saving and repaired the same way."""

    options: RepairOptions = RepairOptions()
    mask: np.ndarray | None = field(default=None, compare=False)

    def __call__(self, pixels: np.ndarray) -> np.ndarray:
        mask = self.mask if self.mask is not None and self.mask.shape == pixels.shape[:2] else None
        detector = None if mask is not None else shared_detector()
        return repair_image(detector, pixels, self.options, mask)[0]


def grey_as_rgb(grey: np.ndarray) -> np.ndarray:
    """``(H, W)`` grey as ``(H, W, 3)`` RGB with equal channels (what the image writer takes)."""
    return np.repeat(grey[..., None], 3, axis=2) if grey.ndim == 2 else grey


def repair_loaded(loaded, plan: RepairPlan | None):
    """A decoded photo (``LoadedImage``) with its pixels repaired by ``plan`` (as grey RGB of the
    same dtype); the same object untouched when there is no plan."""
    if plan is not None:
        loaded.pixels = grey_as_rgb(plan(loaded.pixels))
    return loaded
