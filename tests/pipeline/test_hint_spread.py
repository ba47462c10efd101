"""Spreading what the network missed under each hint: exact where placed, along regions, not across edges."""

from __future__ import annotations

import numpy as np
import pytest

from restorer.pipeline import hint_spread
from restorer.pipeline.hint_spread import geodesic_distances, spread_hint_residuals
from restorer.pipeline.inference import ColorHint

RED = (40.0, 20.0)


def two_regions(height: int = 96, width: int = 128) -> np.ndarray:
    """Lab L: a dark left half (30) and a light right half (70), a clear edge between."""
    lum = np.full((height, width), 30.0, np.float32)
    lum[:, width // 2:] = 70.0
    return lum


def seed_at(shape, row, col) -> np.ndarray:
    seeds = np.full((1,) + shape, np.inf, np.float32)
    seeds[0, row, col] = 0.0
    return seeds


def test_distances_on_a_flat_image_are_city_block_lengths():
    steps_x, steps_y = np.ones((20, 29), np.float32), np.ones((19, 30), np.float32)
    dist = geodesic_distances(steps_x, steps_y, seed_at((20, 30), 0, 0))[0]
    rows, cols = np.mgrid[0:20, 0:30]
    np.testing.assert_allclose(dist, rows + cols)


def test_distances_go_round_a_wall_rather_than_through_it():
    steps_x, steps_y = np.ones((40, 39), np.float32), np.ones((39, 40), np.float32)
    steps_x[:30, 19] = 1000.0  # a wall between columns 19 and 20, open below row 30
    dist = geodesic_distances(steps_x, steps_y, seed_at((40, 40), 0, 0))[0]
    assert dist[0, 20] == pytest.approx(20 + 2 * 30)  # down past the wall's end, across, back up
    assert dist[0, 19] == pytest.approx(19)


def test_one_hint_fills_its_region_and_stops_at_a_clear_edge():
    lum = two_regions()
    ab = np.zeros(lum.shape + (2,), np.float32)  # the network left everything grey
    spread = spread_hint_residuals(ab, lum, (ColorHint(0.25, 0.5, *RED),))
    share = spread[..., 0] / RED[0]
    assert share[48, 32] == pytest.approx(1.0, abs=0.02)  # the hint's colour where it was placed
    assert share[:, :64].min() >= 0.8  # the whole dark region, corners included
    assert share[:, 70:].mean() < 0.1  # beyond the edge little changes
    np.testing.assert_allclose(spread[..., 1] / RED[1], share, atol=1e-4)  # the hint's hue, not another


def test_a_hint_the_network_already_followed_changes_nothing():
    lum = two_regions()
    ab = np.zeros(lum.shape + (2,), np.float32)
    ab[:, :64] = RED
    spread = spread_hint_residuals(ab, lum, (ColorHint(0.25, 0.5, *RED),))
    np.testing.assert_allclose(spread, ab, atol=1e-3)


def test_without_hints_the_chroma_is_returned_as_is():
    ab = np.random.default_rng(0).normal(size=(30, 40, 2)).astype(np.float32)
    assert spread_hint_residuals(ab, np.zeros((30, 40), np.float32), ()) is ab


def test_two_hints_each_colour_their_own_side():
    lum = two_regions()
    ab = np.zeros(lum.shape + (2,), np.float32)
    hints = (ColorHint(0.25, 0.5, 40.0, 0.0), ColorHint(0.75, 0.5, 0.0, -40.0))
    spread = spread_hint_residuals(ab, lum, hints)
    assert spread[:, :60, 0].min() > 30 and np.abs(spread[:, :60, 1]).max() < 5
    assert spread[:, 68:, 1].max() < -30 and np.abs(spread[:, 68:, 0]).max() < 5


def test_many_hints_are_spread_in_chunks_with_the_same_result(monkeypatch):
    rng = np.random.default_rng(3)
    lum = rng.uniform(0, 100, (64, 80)).astype(np.float32)
    ab = rng.normal(0, 10, (64, 80, 2)).astype(np.float32)
    hints = tuple(ColorHint(*rng.random(2), *rng.uniform(-50, 50, 2)) for _ in range(40))
    whole = spread_hint_residuals(ab, lum, hints)
    monkeypatch.setattr(hint_spread, "CHUNK", 7)
    np.testing.assert_allclose(spread_hint_residuals(ab, lum, hints), whole, rtol=1e-4, atol=1e-3)


def test_a_large_working_size_is_spread_at_a_small_one_and_keeps_its_size():
    lum = two_regions(600, 800)
    ab = np.zeros(lum.shape + (2,), np.float32)
    spread = spread_hint_residuals(ab, lum, (ColorHint(0.25, 0.5, *RED),))
    assert spread.shape == ab.shape and spread.dtype == np.float32
    assert spread[300, 200, 0] == pytest.approx(RED[0], abs=1.0) and spread[:, 450:, 0].mean() < 4


def test_texture_does_not_stop_a_hint_but_an_edge_still_does():
    lum = two_regions() + np.random.default_rng(5).uniform(-1.5, 1.5, (96, 128)).astype(np.float32)  # grain
    ab = np.zeros(lum.shape + (2,), np.float32)
    share = spread_hint_residuals(ab, lum, (ColorHint(0.25, 0.5, *RED),))[..., 0] / RED[0]
    assert share[:, :64].min() >= 0.8  # grain steps (up to 3 L) are not edges
    assert share[:, 70:].mean() < 0.1  # the L 30 | 70 edge still is


def test_a_gentle_ramp_of_small_steps_carries_a_hint_on():
    # a gentle gradient of many texture-sized steps, as on a lit wall or a sky, carries the colour on
    lum = np.tile(np.linspace(20.0, 80.0, 128, dtype=np.float32), (96, 1))
    ab = np.zeros(lum.shape + (2,), np.float32)
    share = spread_hint_residuals(ab, lum, (ColorHint(0.1, 0.5, *RED),))[..., 0] / RED[0]
    assert share[:, 100:].mean() > 0.5
