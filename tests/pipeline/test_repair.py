"""The repair step: detection at a working size, inpainting in bands, grey kept outside the mask."""

from __future__ import annotations

import numpy as np
import pytest

from restorer.core.errors import ModelLoadError
from restorer.pipeline import repair
from restorer.pipeline.color import luminance
from restorer.pipeline.repair import (RepairOptions, Repaired, RepairPlan, damage_mask, damage_probability,
                                      grey_from_luminance, inpaint, load_detector, repair_image, repair_luminance,
                                      repaired_grey, shared_detector)
from restorer.training.damage import DamageConfig, damage_photo
from restorer.training.repair_scores import masked_psnr
from tests.helpers import synthetic_photo


class FakeDetector:
    """Says "damage" wherever the L is above 90 (a bright scratch on a mid-grey photo)."""

    def __init__(self):
        self.seen = []

    def run(self, lum):
        self.seen.append(lum.shape[1:])
        return (lum > 90).astype(np.float32)[..., None]


def smooth_grey(height=120, width=160) -> np.ndarray:
    rows, cols = np.mgrid[:height, :width]
    return (60 + 60 * rows / height + 40 * cols / width).astype(np.uint8)


def scratched(grey: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    mask = np.zeros(grey.shape, bool)
    mask[40:43, 10:150] = True
    out = grey.copy()
    out[mask] = 250
    return out, mask


def test_inpainting_fills_a_scratch_and_leaves_every_other_pixel_alone():
    lum = luminance(smooth_grey())
    damaged = lum.copy()
    damaged[40:43, 10:150] = 100.0
    mask = damaged != lum
    for method in repair.METHODS:
        filled = inpaint(damaged, mask, method)
        assert np.array_equal(filled[~mask], damaged[~mask])
        assert np.abs(filled[mask] - lum[mask]).mean() < 1.5  # L units, out of 100


def test_banded_inpainting_matches_the_whole_image_for_small_marks(monkeypatch):
    lum = luminance(synthetic_photo(200, 90, seed=2))
    mask = damage_photo(lum / 100, 3, DamageConfig(tear_chance=0.0, clean_chance=0.0).local_only()).mask
    whole = inpaint(lum, mask)
    monkeypatch.setattr(repair, "BAND_ROWS", 50)
    monkeypatch.setattr(repair, "BAND_MARGIN", 20)
    assert np.abs(inpaint(lum, mask) - whole).max() < 0.25  # L units: a stroke cut by a band edge differs a hair


def test_unknown_method_is_a_clear_error():
    with pytest.raises(ValueError, match="telea"):
        inpaint(np.zeros((8, 8), np.float32), np.ones((8, 8), bool), "magic")


def test_mask_follows_sensitivity_and_grows():
    prob = np.zeros((20, 20), np.float32)
    prob[10, 10], prob[5, 5] = 0.9, 0.4
    assert damage_mask(prob, 0.5, 0).sum() == 1
    assert damage_mask(prob, 0.7, 0).sum() == 2
    assert damage_mask(prob, 0.5, 1).sum() == 5  # a 3 x 3 ellipse is a plus sign


def test_detection_runs_at_the_working_size_and_returns_full_size():
    detector = FakeDetector()
    prob = damage_probability(detector, np.full((300, 500), 50.0, np.float32), detect_size=100)
    assert detector.seen == [(60, 100)]
    assert prob.shape == (300, 500)


def test_repairing_a_grey_photo_removes_the_scratch_and_keeps_other_pixels_exactly():
    grey = smooth_grey()
    damaged, mask = scratched(grey)
    out, found = repair_image(FakeDetector(), damaged, RepairOptions(grow=1))
    assert out.dtype == np.uint8 and out.shape == grey.shape
    assert found[mask].all()
    assert np.array_equal(out[~found], damaged[~found])
    assert masked_psnr(out / 255, grey / 255, mask) > masked_psnr(damaged / 255, grey / 255, mask) + 15


def test_a_painted_mask_replaces_detection_and_strength_zero_changes_nothing():
    grey = smooth_grey()
    damaged, mask = scratched(grey)
    detector = FakeDetector()
    out, used = repair_image(detector, damaged, RepairOptions(strength=0.0), mask=mask)
    assert detector.seen == [] and np.array_equal(used, mask)
    assert np.array_equal(out, damaged)
    half = repair_luminance(None, luminance(damaged), RepairOptions(strength=0.5), mask=mask)
    full = repair_luminance(None, luminance(damaged), RepairOptions(strength=1.0), mask=mask)
    lum = luminance(damaged)
    assert np.allclose(half.lum[mask] - lum[mask], 0.5 * (full.lum[mask] - lum[mask]), atol=1e-3)


@pytest.mark.parametrize("dtype", [np.uint8, np.uint16])
def test_grey_round_trips_through_luminance_exactly(dtype):
    top = np.iinfo(dtype).max
    grey = np.linspace(0, top, 4096).astype(dtype).reshape(64, 64)
    assert np.array_equal(grey_from_luminance(luminance(grey), dtype), grey)


def test_a_colour_photo_comes_out_as_its_grey():
    rgb = synthetic_photo(40, 50)
    nothing = Repaired(luminance(rgb), np.zeros((40, 50), bool))
    out = repaired_grey(rgb, nothing)
    assert out.shape == (40, 50) and out.dtype == np.uint8
    assert np.abs(luminance(out) - luminance(rgb)).max() < 0.5


def test_a_plan_runs_the_installed_detector_on_odd_sizes(tiny_detector):
    assert shared_detector().spec.kind == "damage-detector"
    plan = RepairPlan(RepairOptions(detect_size=64))
    for shape in [(37, 91), (130, 70)]:
        out = plan(synthetic_photo(*shape))
        assert out.shape == shape and out.dtype == np.uint8


def test_a_plan_with_a_hand_mask_repairs_exactly_there_and_never_loads_the_detector(tiny_weights_dir):
    grey = smooth_grey()
    damaged, mask = scratched(grey)
    out = RepairPlan(RepairOptions(), mask)(damaged)
    assert np.array_equal(out[~mask], damaged[~mask]) and not np.array_equal(out[mask], damaged[mask])


def test_without_a_detector_the_message_says_how_to_get_one(tiny_weights_dir):
    with pytest.raises(ModelLoadError, match="train-detector"):
        load_detector()
