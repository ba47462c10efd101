"""Post-processing: known values of every adjustment, neutrality, no in-place edits, order."""

from __future__ import annotations

import json

import cv2
import numpy as np
import pytest

from restorer.pipeline.color import lab_to_rgb, rgb_to_lab
from restorer.pipeline.postprocess import (
    Adjustments,
    adjust_contrast_brightness,
    adjust_gamma,
    adjust_saturation,
    adjust_temperature,
    adjust_vibrance,
    apply_adjustments,
    color_transfer,
    equalize_histogram,
    sharpen,
)

L_TOL = 0.5  # OpenCV's float Lab round trip is good to ~0.2 L / a / b


def lab_image(lum, a=0.0, b=0.0, shape=(8, 8)) -> np.ndarray:
    """float32 RGB of the given Lab values (scalars or arrays broadcast to ``shape``)."""
    lab = np.zeros(shape + (3,), np.float32)
    lab[..., 0], lab[..., 1], lab[..., 2] = lum, a, b
    return lab_to_rgb(lab)


def grey_ramp(low: float, high: float, shape=(16, 128)) -> tuple[np.ndarray, np.ndarray]:
    """(RGB, its L) of a horizontal grey ramp from L = low to L = high."""
    rgb = lab_image(np.linspace(low, high, shape[1], dtype=np.float32)[None, :], shape=shape)
    return rgb, rgb_to_lab(rgb)[..., 0]


def chroma(rgb: np.ndarray) -> np.ndarray:
    lab = rgb_to_lab(rgb)
    return np.hypot(lab[..., 1], lab[..., 2])


@pytest.fixture(scope="module")
def photo() -> np.ndarray:
    """A smooth, colourful, in-gamut test photo (float32, 48 x 64)."""
    rng = np.random.default_rng(0)
    noise = cv2.GaussianBlur(rng.random((48, 64, 3)).astype(np.float32), (0, 0), 3)
    noise = (noise - noise.min()) / (noise.max() - noise.min())
    return (0.2 + 0.6 * noise).astype(np.float32)


# --- neutrality, dtypes, no in-place edits --------------------------------------------------

NEUTRAL_CALLS = {
    "contrast_brightness": lambda x: adjust_contrast_brightness(x, 1.0, 0.0),
    "gamma": lambda x: adjust_gamma(x, 1.0),
    "equalize_global_strength0": lambda x: equalize_histogram(x, "global", strength=0.0),
    "equalize_clahe_strength0": lambda x: equalize_histogram(x, "clahe", strength=0.0),
    "saturation": lambda x: adjust_saturation(x, 1.0),
    "vibrance": lambda x: adjust_vibrance(x, 0.0),
    "sharpen": lambda x: sharpen(x, amount=0.0),
    "temperature": lambda x: adjust_temperature(x, 0.0, 0.0),
    "color_transfer": lambda x: color_transfer(x, x[::-1] * 0.5, strength=0.0),
    "apply_adjustments": lambda x: apply_adjustments(x, Adjustments()),
}

ACTIVE_CALLS = {
    "contrast_brightness": lambda x: adjust_contrast_brightness(x, 1.5, 0.1),
    "gamma": lambda x: adjust_gamma(x, 1.8),
    "equalize_global": lambda x: equalize_histogram(x, "global"),
    "equalize_clahe": lambda x: equalize_histogram(x, "clahe", tile_grid=4),
    "saturation": lambda x: adjust_saturation(x, 1.7),
    "vibrance": lambda x: adjust_vibrance(x, 0.8),
    "sharpen": lambda x: sharpen(x, amount=1.5, radius=2.0),
    "temperature": lambda x: adjust_temperature(x, 0.4, -0.3),
    "color_transfer": lambda x: color_transfer(x, x[::-1, ::-1, ::-1], strength=0.7),
    "apply_adjustments": lambda x: apply_adjustments(
        x, Adjustments(temperature=0.3, saturation=1.3, contrast=1.2, sharpen_amount=1.0)
    ),
}


@pytest.mark.parametrize("name", NEUTRAL_CALLS)
def test_neutral_parameters_return_a_copy_of_the_input(photo, name):
    before = photo.copy()
    out = NEUTRAL_CALLS[name](photo)
    assert out.dtype == np.float32 and out.shape == photo.shape
    assert not np.shares_memory(out, photo)
    np.testing.assert_allclose(out, photo, atol=1e-6, rtol=0)
    np.testing.assert_array_equal(photo, before)


@pytest.mark.parametrize("name", ACTIVE_CALLS)
def test_input_is_never_modified(photo, name):
    before = photo.copy()
    out = ACTIVE_CALLS[name](photo)
    np.testing.assert_array_equal(photo, before)
    assert out.dtype == np.float32 and out.shape == photo.shape
    assert not np.shares_memory(out, photo)
    assert 0.0 <= out.min() and out.max() <= 1.0
    assert np.abs(out - photo).max() > 1e-3  # it did something


def test_integer_inputs_are_converted_to_float(photo):
    u8 = np.rint(photo * 255).astype(np.uint8)
    u16 = np.rint(photo * 65535).astype(np.uint16)
    np.testing.assert_allclose(adjust_gamma(u8, 1.0), u8 / 255.0, atol=1e-6)
    np.testing.assert_allclose(adjust_gamma(u16, 1.0), u16 / 65535.0, atol=1e-6)
    out8, out_f = adjust_saturation(u8, 1.5), adjust_saturation(u8 / 255.0, 1.5)
    assert out8.dtype == np.float32
    np.testing.assert_allclose(out8, out_f, atol=1e-5)
    assert apply_adjustments(u16, Adjustments(gamma=1.2)).dtype == np.float32


def test_float64_input_gives_float32(photo):
    out = adjust_contrast_brightness(photo.astype(np.float64), 1.0, 0.0)
    assert out.dtype == np.float32


@pytest.mark.parametrize(
    "call",
    [
        lambda x: adjust_gamma(x, 0.0),
        lambda x: adjust_contrast_brightness(x, -1.0),
        lambda x: adjust_contrast_brightness(x, 1.0, 1.5),
        lambda x: equalize_histogram(x, "median"),
        lambda x: equalize_histogram(x, "clahe", strength=1.5),
        lambda x: equalize_histogram(x, "clahe", tile_grid=0),
        lambda x: adjust_saturation(x, -0.1),
        lambda x: adjust_vibrance(x, 2.0),
        lambda x: sharpen(x, amount=1.0, radius=0.0),
        lambda x: adjust_temperature(x, float("nan")),
        lambda x: color_transfer(x, x, strength=-1.0),
        lambda x: adjust_gamma(x[..., 0], 1.2),  # not (H, W, 3)
    ],
)
def test_bad_parameters_raise_value_error(photo, call):
    with pytest.raises(ValueError):
        call(photo)


# --- tone -----------------------------------------------------------------------------------


def test_contrast_2_doubles_distance_from_mid_grey():
    rgb, lum = grey_ramp(30.0, 70.0)
    out = adjust_contrast_brightness(rgb, contrast=2.0)
    np.testing.assert_allclose(rgb_to_lab(out)[..., 0], (lum - 50.0) * 2.0 + 50.0, atol=L_TOL)
    assert chroma(out).max() < 0.5  # stays grey


def test_contrast_clips_to_black_and_white():
    rgb, _ = grey_ramp(10.0, 90.0)
    lum = rgb_to_lab(adjust_contrast_brightness(rgb, contrast=3.0))[..., 0]
    assert lum[:, 0].max() < L_TOL and lum[:, -1].min() > 100.0 - L_TOL


def test_brightness_shifts_lightness():
    rgb, lum = grey_ramp(20.0, 70.0)
    out = adjust_contrast_brightness(rgb, brightness=0.1)
    np.testing.assert_allclose(rgb_to_lab(out)[..., 0], lum + 10.0, atol=L_TOL)
    out = adjust_contrast_brightness(rgb, brightness=-0.15)
    np.testing.assert_allclose(rgb_to_lab(out)[..., 0], lum - 15.0, atol=L_TOL)


def test_brightness_keeps_chroma_of_a_colour():
    rgb = lab_image(50.0, 20.0, -15.0)
    lab = rgb_to_lab(adjust_contrast_brightness(rgb, brightness=0.1))
    np.testing.assert_allclose(lab[0, 0], [60.0, 20.0, -15.0], atol=L_TOL)


@pytest.mark.parametrize(("lum", "gamma", "expected"), [(25.0, 2.0, 50.0), (64.0, 0.5, 40.96)])
def test_gamma_on_known_lightness(lum, gamma, expected):
    out = adjust_gamma(lab_image(lum), gamma)
    np.testing.assert_allclose(rgb_to_lab(out)[..., 0], expected, atol=L_TOL)


def test_global_equalization_stretches_a_low_contrast_ramp():
    rgb, lum = grey_ramp(45.0, 55.0)
    assert np.ptp(lum) < 11.0
    out_lum = rgb_to_lab(equalize_histogram(rgb, "global"))[..., 0]
    assert out_lum.min() < 1.0 and out_lum.max() > 99.0
    # a uniform ramp equalizes to a (nearly) uniform spread over [0, 100], still monotonic
    for quarter in (25.0, 50.0, 75.0):
        assert abs(np.mean(out_lum < quarter) - quarter / 100.0) < 0.05
    assert np.all(np.diff(out_lum[0]) > -L_TOL)


def test_equalization_strength_mixes_original_and_equalized():
    rgb, lum = grey_ramp(45.0, 55.0)
    full = rgb_to_lab(equalize_histogram(rgb, "global", strength=1.0))[..., 0]
    half = rgb_to_lab(equalize_histogram(rgb, "global", strength=0.5))[..., 0]
    np.testing.assert_allclose(half, (lum + full) / 2.0, atol=L_TOL)


def test_equalization_of_a_flat_image_is_harmless():
    flat = lab_image(40.0, 10.0, 10.0)
    for method in ("global", "clahe"):
        out = equalize_histogram(flat, method)
        assert np.isfinite(out).all()


def test_equalization_leaves_chroma_alone():
    rgb = lab_image(np.linspace(45.0, 55.0, 64)[None, :], 15.0, -10.0, shape=(8, 64))
    lab = rgb_to_lab(equalize_histogram(rgb, "global", strength=0.5))
    np.testing.assert_allclose(lab[..., 1], 15.0, atol=1.0)
    np.testing.assert_allclose(lab[..., 2], -10.0, atol=1.0)


def local_std(lum: np.ndarray, size: int = 9) -> float:
    mean = cv2.blur(lum, (size, size))
    sq = cv2.blur(lum * lum, (size, size))
    return float(np.sqrt(np.maximum(sq - mean * mean, 0.0)).mean())


def test_clahe_increases_local_contrast():
    rng = np.random.default_rng(1)
    texture = cv2.GaussianBlur(rng.standard_normal((96, 96)).astype(np.float32), (0, 0), 2)
    texture /= texture.std()
    gradient = np.linspace(30.0, 70.0, 96, dtype=np.float32)[None, :]
    rgb = lab_image(gradient + 2.0 * texture, shape=(96, 96))
    lum = rgb_to_lab(rgb)[..., 0]
    out_lum = rgb_to_lab(equalize_histogram(rgb, "clahe", clip_limit=4.0, tile_grid=4))[..., 0]
    assert local_std(out_lum) > 1.5 * local_std(lum)
    weaker = rgb_to_lab(equalize_histogram(rgb, "clahe", clip_limit=1.5, tile_grid=4))[..., 0]
    assert local_std(lum) < local_std(weaker) < local_std(out_lum)


def test_clahe_on_an_image_smaller_than_the_tile_grid():
    tiny = lab_image(np.array([[20.0, 40.0, 60.0]]), shape=(2, 3))
    assert equalize_histogram(tiny, "clahe", tile_grid=8).shape == (2, 3, 3)


def step_image(a: float = 0.0, b: float = 0.0) -> np.ndarray:
    lum = np.where(np.arange(32) < 16, 40.0, 60.0).astype(np.float32)[None, :]
    return lab_image(lum, a, b, shape=(8, 32))


def test_sharpen_raises_edge_contrast_and_keeps_flat_areas():
    rgb = step_image()
    lum = rgb_to_lab(rgb)[..., 0]
    out_lum = rgb_to_lab(sharpen(rgb, amount=1.0, radius=1.5))[..., 0]
    assert out_lum[:, 15].mean() < lum[:, 15].mean() - 3.0  # dark side of the edge darker
    assert out_lum[:, 16].mean() > lum[:, 16].mean() + 3.0  # light side lighter
    np.testing.assert_allclose(out_lum[:, :8], lum[:, :8], atol=L_TOL)  # far from the edge
    np.testing.assert_allclose(out_lum[:, -8:], lum[:, -8:], atol=L_TOL)


def test_sharpen_leaves_chroma_unchanged():
    rgb = step_image(a=20.0, b=10.0)
    lab = rgb_to_lab(sharpen(rgb, amount=1.0, radius=1.5))
    np.testing.assert_allclose(lab[..., 1], 20.0, atol=1.0)
    np.testing.assert_allclose(lab[..., 2], 10.0, atol=1.0)
    assert chroma(sharpen(step_image(), amount=2.0)).max() < 0.5


def test_sharpen_threshold_skips_small_detail():
    rgb = step_image()
    out = sharpen(rgb, amount=1.0, radius=1.5, threshold=50.0)  # the step's detail is < 10
    np.testing.assert_allclose(out, rgb, atol=2e-3)


# --- colour ---------------------------------------------------------------------------------


def test_saturation_0_gives_grey():
    rgb = lab_image(60.0, np.linspace(-30, 30, 8)[None, :], np.linspace(20, -20, 8)[:, None])
    out = adjust_saturation(rgb, 0.0)
    lab = rgb_to_lab(out)
    assert np.abs(lab[..., 1] * lab[..., 2]).max() < 0.05
    assert np.abs(lab[..., 1:]).max() < 0.3
    assert np.ptp(out, axis=2).max() < 2e-3  # R = G = B
    np.testing.assert_allclose(lab[..., 0], rgb_to_lab(rgb)[..., 0], atol=L_TOL)


def test_saturation_2_doubles_chroma_of_a_mid_colour():
    lab = rgb_to_lab(adjust_saturation(lab_image(60.0, 15.0, 20.0), 2.0))
    np.testing.assert_allclose(lab[0, 0], [60.0, 30.0, 40.0], atol=L_TOL)


def test_vibrance_favours_dull_colours():
    dull, vivid = lab_image(60.0, 5.0, 5.0), lab_image(55.0, 40.0, 45.0)
    for vibrance in (0.8, -0.8):
        ratio_dull = chroma(adjust_vibrance(dull, vibrance))[0, 0] / chroma(dull)[0, 0]
        ratio_vivid = chroma(adjust_vibrance(vivid, vibrance))[0, 0] / chroma(vivid)[0, 0]
        assert abs(ratio_dull - 1.0) > 2.0 * abs(ratio_vivid - 1.0)
        assert np.sign(ratio_dull - 1.0) == np.sign(vibrance)
        assert np.sign(ratio_vivid - 1.0) == np.sign(vibrance)


def test_vibrance_keeps_hue_and_lightness():
    rgb = lab_image(60.0, 10.0, -20.0)
    lab = rgb_to_lab(adjust_vibrance(rgb, 1.0))[0, 0]
    factor = 1.0 + (1.0 - np.hypot(10.0, 20.0) / 80.0)
    np.testing.assert_allclose(lab, [60.0, 10.0 * factor, -20.0 * factor], atol=L_TOL)


def test_temperature_warms_and_tint_shifts_a():
    grey = lab_image(60.0)
    warm = adjust_temperature(grey, temperature=1.0)
    lab = rgb_to_lab(warm)[0, 0]
    np.testing.assert_allclose(lab, [60.0, 0.0, 30.0], atol=L_TOL)
    assert warm[0, 0, 0] / warm[0, 0, 2] > 1.3 * grey[0, 0, 0] / grey[0, 0, 2]
    cool = adjust_temperature(grey, temperature=-0.5)
    assert cool[0, 0, 0] / cool[0, 0, 2] < grey[0, 0, 0] / grey[0, 0, 2]
    np.testing.assert_allclose(rgb_to_lab(cool)[0, 0, 2], -15.0, atol=L_TOL)
    magenta = rgb_to_lab(adjust_temperature(grey, tint=0.5))[0, 0]
    np.testing.assert_allclose(magenta, [60.0, 15.0, 0.0], atol=L_TOL)


def random_lab_photo(seed, lum, a_mean, a_spread, b_mean, b_spread, shape=(32, 32)):
    rng = np.random.default_rng(seed)
    a = a_mean + rng.uniform(-a_spread, a_spread, shape)
    b = b_mean + rng.uniform(-b_spread, b_spread, shape)
    return lab_image(lum + rng.uniform(-5, 5, shape), a, b, shape=shape)


def test_color_transfer_matches_reference_ab_statistics():
    src = random_lab_photo(2, 55.0, 10.0, 6.0, -10.0, 6.0)
    ref = random_lab_photo(3, 65.0, -15.0, 12.0, 25.0, 9.0, shape=(40, 24))
    src_lab, ref_lab = rgb_to_lab(src), rgb_to_lab(ref)
    out_lab = rgb_to_lab(color_transfer(src, ref))
    for ch in (1, 2):
        assert abs(out_lab[..., ch].mean() - ref_lab[..., ch].mean()) < 1.0
        assert abs(out_lab[..., ch].std() - ref_lab[..., ch].std()) < 1.0
    np.testing.assert_allclose(out_lab[..., 0], src_lab[..., 0], atol=1.0)  # L untouched

    half_lab = rgb_to_lab(color_transfer(src, ref, strength=0.5))
    for ch in (1, 2):
        expected = (src_lab[..., ch].mean() + ref_lab[..., ch].mean()) / 2.0
        assert abs(half_lab[..., ch].mean() - expected) < 1.0


def test_color_transfer_accepts_uint8_and_large_references():
    src = random_lab_photo(4, 50.0, 0.0, 5.0, 0.0, 5.0)
    ref = random_lab_photo(5, 60.0, 20.0, 5.0, 15.0, 5.0, shape=(8, 8))
    big = np.rint(cv2.resize(ref, (1200, 1000), interpolation=cv2.INTER_NEAREST) * 255)
    out_lab = rgb_to_lab(color_transfer(src, big.astype(np.uint8)))
    ref_lab = rgb_to_lab(ref)
    for ch in (1, 2):
        assert abs(out_lab[..., ch].mean() - ref_lab[..., ch].mean()) < 1.5


def test_color_transfer_onto_a_grey_photo_stays_finite():
    grey, _ = grey_ramp(30.0, 70.0, shape=(8, 32))
    ref = lab_image(60.0, 20.0, 20.0)
    lab = rgb_to_lab(color_transfer(grey, ref))
    assert np.isfinite(lab).all()
    np.testing.assert_allclose(lab[..., 1:].mean(axis=(0, 1)), [20.0, 20.0], atol=1.0)


# --- Adjustments / apply_adjustments --------------------------------------------------------


def test_adjustments_neutrality():
    assert Adjustments().is_neutral
    assert Adjustments(reference_path="ref.jpg").is_neutral  # nothing loaded: no transfer
    assert Adjustments(equalize="clahe", equalize_strength=0.0).is_neutral
    assert Adjustments(reference=np.zeros((2, 2, 3)), reference_strength=0.0).is_neutral
    for change in (
        {"temperature": 0.1},
        {"tint": -0.1},
        {"reference": np.zeros((2, 2, 3))},
        {"saturation": 0.9},
        {"vibrance": 0.2},
        {"contrast": 1.1},
        {"brightness": 0.05},
        {"gamma": 1.1},
        {"equalize": "global"},
        {"sharpen_amount": 0.5},
    ):
        assert not Adjustments(**change).is_neutral, change


def test_adjustments_validate_ranges():
    with pytest.raises(ValueError):
        Adjustments(equalize="always")
    with pytest.raises(ValueError):
        Adjustments(gamma=0.0)
    adj = Adjustments()
    adj.brightness = 3.0
    with pytest.raises(ValueError):
        apply_adjustments(lab_image(50.0), adj)


def test_apply_neutral_adjustments_returns_an_equal_copy(photo):
    u8 = np.rint(photo * 255).astype(np.uint8)
    out = apply_adjustments(u8, Adjustments(reference_path="unused.png"))
    np.testing.assert_allclose(out, u8 / 255.0, atol=1e-6)


def test_apply_matches_the_functions_chained_in_documented_order(photo):
    ref = photo[::-1, ::-1, [2, 0, 1]]
    adj = Adjustments(
        temperature=0.2,
        tint=-0.1,
        reference=ref,
        reference_strength=0.5,
        saturation=1.2,
        vibrance=0.3,
        contrast=1.1,
        brightness=0.02,
        gamma=1.1,
        equalize="clahe",
        equalize_strength=0.3,
        sharpen_amount=0.8,
        sharpen_radius=1.5,
    )
    chained = adjust_temperature(photo, 0.2, -0.1)
    chained = color_transfer(chained, ref, 0.5)
    chained = adjust_vibrance(adjust_saturation(chained, 1.2), 0.3)
    chained = adjust_gamma(adjust_contrast_brightness(chained, 1.1, 0.02), 1.1)
    chained = equalize_histogram(chained, "clahe", strength=0.3)
    chained = sharpen(chained, amount=0.8, radius=1.5)
    out = apply_adjustments(photo, adj)
    # apply_adjustments stays in Lab; the chain makes 8 RGB <-> Lab round trips through
    # OpenCV's float Lab, which cost ~1e-3 each on average
    assert np.abs(out - chained).mean() < 0.012
    assert np.abs(out - chained).max() < 0.06


def test_contrast_comes_before_gamma():
    out = apply_adjustments(lab_image(37.5), Adjustments(contrast=2.0, gamma=2.0))
    # contrast: (37.5 - 50) * 2 + 50 = 25; gamma: 100 * 0.25 ** 0.5 = 50
    # (the other order would give 72.5)
    np.testing.assert_allclose(rgb_to_lab(out)[..., 0], 50.0, atol=L_TOL)


def test_sharpening_comes_after_equalization():
    # equalization turns the 40|60 step into 0|100, which sharpening cannot push further;
    # sharpening first would make overshoot levels that equalization spreads into greys
    out = apply_adjustments(step_image(), Adjustments(equalize="global", sharpen_amount=1.0))
    lum = rgb_to_lab(out)[..., 0]
    assert np.all((lum < 1.0) | (lum > 99.0))


def test_white_balance_comes_before_saturation():
    # temperature then saturation 0 is grey; the other order would be yellow
    out = apply_adjustments(lab_image(60.0), Adjustments(temperature=1.0, saturation=0.0))
    assert chroma(out).max() < 0.5


def test_color_transfer_comes_before_saturation():
    # saturation 0 after the transfer leaves grey; the other order would leave the ref's tint
    ref = lab_image(60.0, 30.0, 30.0)
    adj = Adjustments(reference=ref, saturation=0.0)
    assert chroma(apply_adjustments(lab_image(50.0, -10.0, 5.0), adj)).max() < 0.5


def test_contrast_comes_before_equalization():
    # global equalization depends only on the order of L values, so an earlier contrast
    # change (monotonic, no clipping) cannot change its result
    rgb, _ = grey_ramp(45.0, 55.0)
    equalized = apply_adjustments(rgb, Adjustments(equalize="global"))
    both = apply_adjustments(rgb, Adjustments(contrast=1.3, brightness=0.05, equalize="global"))
    np.testing.assert_allclose(both, equalized, atol=0.01)


def test_adjustments_dict_round_trip():
    ref = np.full((4, 4, 3), 0.5, np.float32)
    adj = Adjustments(
        temperature=0.25,
        tint=-0.5,
        reference=ref,
        reference_path="/photos/ref.jpg",
        reference_strength=0.75,
        saturation=1.5,
        vibrance=-0.2,
        contrast=1.2,
        brightness=-0.1,
        gamma=0.9,
        equalize="clahe",
        equalize_strength=0.6,
        clip_limit=3.0,
        tile_grid=4,
        sharpen_amount=1.25,
        sharpen_radius=2.0,
        sharpen_threshold=3.0,
    )
    data = adj.to_dict()
    assert "reference" not in data
    assert data["reference_path"] == "/photos/ref.jpg"
    text = json.dumps(data)  # JSON-friendly
    back = Adjustments.from_dict(json.loads(text))
    assert back == adj  # the reference array takes no part in equality
    assert back.reference is None and back.to_dict() == data
    assert Adjustments.from_dict(data, reference=ref).reference is ref
    assert Adjustments.from_dict({}) == Adjustments()
    assert Adjustments.from_dict({"gamma": 2, "future_option": True}).gamma == 2.0
    with pytest.raises(ValueError):
        Adjustments.from_dict({"saturation": "lots"})
    with pytest.raises(ValueError):
        Adjustments.from_dict({"tile_grid": 2.5})
    numpy_values = Adjustments(gamma=np.float32(1.5), tile_grid=np.int64(4)).to_dict()
    assert Adjustments.from_dict(json.loads(json.dumps(numpy_values))).gamma == 1.5


@pytest.mark.parametrize("name, value", [("saturation", 1e308), ("saturation", float("nan")), ("contrast", 6.0),
                                         ("gamma", 0.0), ("sharpen_amount", -1.0), ("brightness", 1.5)])
def test_adjustments_hold_the_ranges_the_cli_and_gui_share(name, value):
    from restorer.core.errors import SettingError
    from restorer.pipeline.postprocess import Adjustments

    with pytest.raises(SettingError, match=f"^{name} must be "):
        Adjustments(**{name: value})
    with pytest.raises(ValueError):  # what callers validating the usual way catch
        Adjustments.from_dict({name: value})
