"""Fuzzing the loader and property tests of the colour-space round trip (CI-sized: a few seconds).

The loader's contract: whatever the bytes, ``load_image`` returns a valid ``LoadedImage`` or raises
``ImageReadError`` (one line) -- never another exception, never a hang.
"""

from __future__ import annotations

import random
import time
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from restorer.core.errors import ImageReadError
from restorer.pipeline.color import (
    lab_to_rgb,
    luminance,
    merge_luminance_chroma,
    rgb_to_lab,
    to_float01,
)
from restorer.pipeline.io import LoadedImage, load_image, mean_chroma
from tests.reliability.corpus import SEEDS, mutate

FUZZ = settings(deadline=None, database=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

def check_load(path) -> str:
    """Load ``path`` under the contract; 'ok' or 'refused'."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Pillow's own warnings are not failures
        try:
            image = load_image(path)
        except ImageReadError as err:
            message = str(err)
            assert message and "\n" not in message and "Traceback" not in message
            return "refused"
    assert isinstance(image, LoadedImage)
    assert image.pixels.ndim == 3 and image.pixels.shape[2] == 3 and image.pixels.size > 0
    assert image.pixels.dtype in (np.uint8, np.uint16)
    if image.alpha is not None:
        assert image.alpha.shape == image.pixels.shape[:2] and image.alpha.dtype == image.pixels.dtype
    return "ok"


# ------------------------------------------------------------------------------ the loader


@settings(FUZZ, max_examples=150)
@given(data=st.binary(max_size=4096), suffix=st.sampled_from([".jpg", ".png", ".tif", ".gif", ".webp", ".bmp"]))
def test_random_bytes_never_crash_the_loader(tmp_path, data, suffix):
    path = tmp_path / f"random{suffix}"
    path.write_bytes(data)
    check_load(path)


@settings(FUZZ, max_examples=200)
@given(seed=st.sampled_from(sorted(SEEDS)), mutation_seed=st.integers(0, 2**32 - 1),
       edits=st.integers(1, 24))
def test_mutated_valid_files_never_crash_the_loader(tmp_path, seed, mutation_seed, edits):
    suffix, data = SEEDS[seed]
    path = tmp_path / f"mutated{suffix}"
    path.write_bytes(mutate(data, random.Random(mutation_seed), edits))
    check_load(path)


def test_time_boxed_mutation_loop(tmp_path):
    """300 mutations of valid files of every kind, capped at 15 s on a slow machine."""
    rng = random.Random(20261123)
    outcomes = {"ok": 0, "refused": 0}
    started = time.monotonic()
    for index in range(300):
        suffix, data = SEEDS[rng.choice(sorted(SEEDS))]
        path = tmp_path / f"case{index % 4}{suffix}"
        path.write_bytes(mutate(data, rng, rng.choice([1, 1, 2, 4, 16])))
        outcomes[check_load(path)] += 1
        if time.monotonic() - started > 15:
            break
    assert sum(outcomes.values()) >= 100  # enough ran to mean something
    assert outcomes["ok"] and outcomes["refused"]  # both paths exercised


# ---------------------------------------------------------------------- colour-space round trip

_PIXELS = arrays(np.float32, st.tuples(st.integers(1, 12), st.integers(1, 12), st.just(3)),
                 elements=st.floats(0, 1, width=32))


@settings(FUZZ, max_examples=200)
@given(rgb=_PIXELS)
def test_rgb_lab_rgb_round_trip(rgb):
    lab = rgb_to_lab(rgb)
    assert np.isfinite(lab).all()
    assert (lab[..., 0] >= -1e-3).all() and (lab[..., 0] <= 100 + 1e-3).all()
    back = lab_to_rgb(lab)
    # OpenCV's float Lab uses a tabulated gamma: about 1/280 at worst, well under one 8-bit level
    assert np.abs(back - rgb).max() < 0.005


@settings(FUZZ, max_examples=150)
@given(image=arrays(np.uint8, st.tuples(st.integers(1, 16), st.integers(1, 16), st.just(3))))
def test_luminance_plus_chroma_rebuilds_an_8bit_photo(image):
    """Splitting into L and ab and merging back (what colorization does) loses < 1 level."""
    ab = rgb_to_lab(to_float01(image))[..., 1:]
    rebuilt = merge_luminance_chroma(luminance(image), ab, np.uint8)
    assert rebuilt.dtype == np.uint8 and rebuilt.shape == image.shape
    assert np.abs(rebuilt.astype(int) - image).max() <= 1


@settings(FUZZ, max_examples=100)
@given(grey=arrays(np.uint16, st.tuples(st.integers(1, 16), st.integers(1, 16))))
def test_grey_has_no_chroma_and_keeps_its_tones(grey):
    rgb = np.dstack([grey] * 3)
    lab = rgb_to_lab(to_float01(rgb))
    assert np.abs(lab[..., 1:]).max() < 0.2  # neutral stays neutral
    assert mean_chroma(rgb) < 0.2
    rebuilt = merge_luminance_chroma(luminance(rgb), np.zeros(grey.shape + (2,), np.float32), np.uint16)
    spread = rebuilt.max(axis=2).astype(int) - rebuilt.min(axis=2)
    assert spread.max() <= 1  # still grey (one 16-bit level of rounding)
    # tones survive to 0.2 % (128 of 65535 levels at worst; the darkest 126 levels become 0):
    # OpenCV's float Lab is tabulated. See docs/RELIABILITY.md, "16-bit precision".
    assert np.abs(rebuilt[..., 0].astype(int) - grey).max() <= 160


@pytest.mark.parametrize("value", [0.0, 1.0])
def test_extremes_survive(value):
    rgb = np.full((2, 2, 3), value, np.float32)
    assert np.abs(lab_to_rgb(rgb_to_lab(rgb)) - value).max() < 1e-3
