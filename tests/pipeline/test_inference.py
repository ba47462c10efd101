"""Inference at any resolution: shapes, luminance kept, determinism, render size, RGB networks, hints."""

from __future__ import annotations

import numpy as np
import pytest

from restorer.models.runtime import load_colorizer
from restorer.pipeline.color import luminance
from restorer.pipeline.colorize import ColorHint, ColorizeSettings, colorize_array, predict_chroma
from restorer.pipeline.inference import working_shape
from tests.helpers import synthetic_photo


@pytest.fixture
def flagship(tiny_weights_dir):
    return load_colorizer("vivid", "cpu")


def test_working_shape_keeps_aspect_and_never_upscales():
    assert working_shape(1000, 2000, 256) == (128, 256)
    assert working_shape(100, 50, 256) == (100, 50)


@pytest.mark.parametrize("shape", [(97, 131), (33, 400), (1, 1), (5, 2000)])
def test_any_size_gives_same_size_colour_output(flagship, shape):
    image = synthetic_photo(*shape) if min(shape) > 8 else np.full(shape + (3,), 120, np.uint8)
    out = colorize_array(flagship, image)
    assert out.shape == shape + (3,) and out.dtype == np.uint8


def test_full_resolution_luminance_is_kept(flagship):
    image = synthetic_photo(300, 400)
    out = colorize_array(flagship, image, ColorizeSettings(render_size=64))
    # L differs only by gamut clipping and 8-bit rounding, never by the network's small working size
    assert np.median(np.abs(luminance(out) - luminance(image))) < 0.6


def test_deterministic(flagship):
    image = synthetic_photo(120, 90)
    assert np.array_equal(colorize_array(flagship, image), colorize_array(flagship, image))


def test_render_size_changes_the_working_size(flagship):
    image = synthetic_photo(300, 400)
    assert predict_chroma(flagship, image, ColorizeSettings(render_size=64)).ab.shape[:2] == (48, 64)
    assert predict_chroma(flagship, image, ColorizeSettings(render_size=200)).ab.shape[:2] == (150, 200)


def test_render_scales_average_the_predictions_at_each_scale(flagship):
    import cv2

    image = synthetic_photo(300, 400)
    base = predict_chroma(flagship, image, ColorizeSettings(render_size=64)).ab
    assert np.array_equal(predict_chroma(flagship, image, ColorizeSettings(render_size=64, render_scales=(1.0,))).ab, base)
    large = predict_chroma(flagship, image, ColorizeSettings(render_size=128)).ab
    both = predict_chroma(flagship, image, ColorizeSettings(render_size=64, render_scales=(1.0, 2.0))).ab
    assert both.shape == base.shape  # the working size stays the first scale's
    expected = 0.5 * (base + cv2.resize(large, (64, 48), interpolation=cv2.INTER_LINEAR))
    assert np.allclose(both, expected, atol=1e-5) and not np.array_equal(both, base)


def test_render_scales_come_from_the_model_card(tiny_weights_dir):
    import json

    card_path = tiny_weights_dir / "vivid.json"
    card = json.loads(card_path.read_text())
    card["render_scales"] = [0.5, 1.0]
    card_path.write_text(json.dumps(card))  # read-out only: the weights' checksum is unaffected
    colorizer = load_colorizer("vivid", "cpu")
    assert colorizer.default_render_scales == (0.5, 1.0)
    image = synthetic_photo(300, 400)
    assert np.array_equal(predict_chroma(colorizer, image, ColorizeSettings()).ab,
                          predict_chroma(colorizer, image, ColorizeSettings(render_scales=(0.5, 1.0))).ab)
    assert not np.array_equal(predict_chroma(colorizer, image, ColorizeSettings()).ab,
                              predict_chroma(colorizer, image, ColorizeSettings(render_scales=(1.0,))).ab)


def test_uint16_in_uint16_out(flagship):
    image = synthetic_photo(64, 64).astype(np.uint16) * 257
    out = colorize_array(flagship, image)
    assert out.dtype == np.uint16 and out.max() > 255


def test_rgb_network_keeps_original_luminance_unless_raw(tiny_weights_dir):
    net = load_colorizer("seed004a-dense-ae", "cpu")
    image = synthetic_photo(200, 150)
    kept = colorize_array(net, image)
    raw = colorize_array(net, image, ColorizeSettings(raw_rgb=True))
    assert np.median(np.abs(luminance(kept) - luminance(image))) < 0.6
    assert np.median(np.abs(luminance(raw) - luminance(image))) > 1.0


def test_hints_change_the_colour_where_given(flagship):
    image = np.full((64, 64, 3), 128, np.uint8)
    plain = predict_chroma(flagship, image, ColorizeSettings()).ab
    hinted = predict_chroma(flagship, image, ColorizeSettings(hints=(ColorHint(0.5, 0.5, 60.0, 40.0, 0.1),))).ab
    assert not np.allclose(plain, hinted)
