"""Colour-space conversions: known values, round trips, banded processing, dtypes."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from restorer.pipeline import color
from restorer.pipeline.io.colour import mean_chroma


def test_known_lab_values():
    white = color.rgb_to_lab(np.ones((1, 1, 3), np.float32))[0, 0]
    black = color.rgb_to_lab(np.zeros((1, 1, 3), np.float32))[0, 0]
    red = color.rgb_to_lab(np.array([[[1, 0, 0]]], np.float32))[0, 0]
    assert white == pytest.approx([100, 0, 0], abs=0.5)
    assert black == pytest.approx([0, 0, 0], abs=0.5)
    assert red == pytest.approx([53.2, 80.1, 67.2], abs=1.0)  # CIE reference for sRGB red


def test_luminance_is_banded_but_identical(monkeypatch):
    rng = np.random.default_rng(0)
    image = rng.integers(0, 256, (300, 50, 3), dtype=np.uint8)
    whole = color.luminance(image)
    monkeypatch.setattr(color, "BAND_ROWS", 7)
    assert np.array_equal(color.luminance(image), whole)


def test_uint16_and_grey_inputs():
    grey16 = np.full((4, 4), 65535, np.uint16)
    assert color.luminance(grey16) == pytest.approx(np.full((4, 4), 100.0), abs=0.5)


def test_merge_with_zero_chroma_reproduces_grey():
    rng = np.random.default_rng(1)
    grey = np.repeat(rng.integers(0, 256, (20, 20, 1), dtype=np.uint8), 3, axis=2)
    lum = color.luminance(grey)
    out = color.merge_luminance_chroma(lum, np.zeros((20, 20, 2), np.float32), np.uint8)
    assert np.abs(out.astype(int) - grey).max() <= 1


def test_merge_rejects_mismatched_shapes():
    with pytest.raises(ValueError):
        color.merge_luminance_chroma(np.zeros((4, 4), np.float32), np.zeros((4, 5, 2), np.float32))


def test_small_chroma_is_upsampled_band_by_band_like_cv2_resize(monkeypatch):
    import cv2

    rng = np.random.default_rng(2)
    ab = rng.uniform(-40, 40, (13, 17, 2)).astype(np.float32)
    lum = np.full((101, 77), 60, np.float32)
    reference = color.merge_luminance_chroma(lum, cv2.resize(ab, (77, 101), interpolation=cv2.INTER_CUBIC))
    monkeypatch.setattr(color, "BAND_ROWS", 10)
    whole = color.merge_luminance_chroma(lum, ab)
    monkeypatch.setattr(color, "WHOLE_CHROMA_PIXELS", 0)  # as for a scan too big to upsample at once
    banded = color.merge_luminance_chroma(lum, ab)
    assert np.abs(banded.astype(int) - reference).max() <= 1
    assert np.abs(whole.astype(int) - banded).max() <= 1


def test_mean_chroma_separates_grey_and_colour():
    grey = np.full((10, 10, 3), 128, np.uint8)
    red = np.zeros((10, 10, 3), np.uint8)
    red[..., 0] = 200
    assert mean_chroma(grey) < 1
    assert mean_chroma(red) > 30


@settings(max_examples=40, deadline=None)
@given(arrays(np.float32, (6, 5, 3), elements=st.floats(0, 1, width=32)))
def test_rgb_lab_round_trip_property(rgb):
    back = color.lab_to_rgb(color.rgb_to_lab(rgb))
    assert np.abs(back - rgb).max() < 0.01


def test_exact_path_matches_reference_values_and_opencv():
    rng = np.random.default_rng(3)
    rgb = rng.random((20, 20, 3)).astype(np.float32)
    assert np.abs(color.rgb_to_lab_exact(rgb) - color.rgb_to_lab(rgb)).max() < 1.0
    red = color.rgb_to_lab_exact(np.array([[[1, 0, 0]]], np.float32))[0, 0]
    assert red == pytest.approx([53.24, 80.09, 67.20], abs=0.05)
    assert np.abs(color.lab_to_rgb_exact(color.rgb_to_lab_exact(rgb)) - rgb).max() < 1e-5


def test_sixteen_bit_grey_keeps_its_tones():
    ramp = np.repeat(np.arange(0, 65536, 7, dtype=np.uint16)[None, :, None], 3, axis=2)
    out = color.merge_luminance_chroma(color.luminance(ramp), np.zeros(ramp.shape[:2] + (2,), np.float32),
                                       np.uint16)
    assert np.abs(out.astype(np.int64) - ramp).max() <= 2
