"""The synthetic damage generator: deterministic by seed, a mask that covers what it damaged."""

from __future__ import annotations

import numpy as np
import pytest

from restorer.training.damage import VISIBLE, DamageConfig, damage_photo
from tests.helpers import synthetic_photo

GREY = synthetic_photo(160, 200, seed=3)[..., 1]
LOCAL = DamageConfig(clean_chance=0.0).local_only()


def test_same_seed_same_damage_other_seed_other_damage():
    first, again, other = damage_photo(GREY, 7), damage_photo(GREY, 7), damage_photo(GREY, 8)
    assert np.array_equal(first.image, again.image) and np.array_equal(first.mask, again.mask)
    assert not np.array_equal(first.image, other.image)


@pytest.mark.parametrize("seed", range(6))
def test_local_damage_changes_only_masked_pixels_visibly(seed):
    damaged = damage_photo(GREY, seed, LOCAL)
    clean = GREY.astype(np.float32) / 255
    change = np.abs(damaged.image - clean)
    assert damaged.mask.any()
    assert change[~damaged.mask].max() <= VISIBLE + 1e-6
    assert change[damaged.mask].min() > VISIBLE


def test_output_is_float_grey_in_range_of_the_input_shape():
    damaged = damage_photo(GREY.astype(np.float32) / 255, 1)
    assert damaged.image.shape == GREY.shape and damaged.image.dtype == np.float32
    assert damaged.mask.dtype == bool
    assert 0.0 <= damaged.image.min() and damaged.image.max() <= 1.0


def test_a_photo_drawn_clean_has_no_mask_and_only_global_wear():
    config = DamageConfig(clean_chance=1.0, jpeg_chance=0.0, grain=(0.0, 0.0), paper=(0.0, 0.0))
    damaged = damage_photo(GREY, 4, config)
    assert not damaged.mask.any()
    assert np.allclose(damaged.image, GREY / 255.0, atol=1e-6)


def test_global_wear_touches_every_pixel_but_is_not_masked():
    config = DamageConfig(clean_chance=1.0, grain=(0.02, 0.02), jpeg_chance=1.0)
    damaged = damage_photo(GREY, 5, config)
    assert not damaged.mask.any()
    assert np.mean(np.abs(damaged.image - GREY / 255.0)) > 0.005


def test_each_kind_of_damage_can_be_drawn_alone():
    none = DamageConfig(scratches=(0, 0), dust=(0, 0), creases=(0, 0), tear_chance=0.0, clean_chance=0.0)
    kinds = {"scratches": {"scratches": (8.0, 8.0)}, "dust": {"dust": (40.0, 40.0)},
             "creases": {"creases": (1, 1)}, "tear": {"tear_chance": 1.0}}
    from dataclasses import replace

    assert not damage_photo(GREY, 0, none.local_only()).mask.any()
    for kind, change in kinds.items():
        assert damage_photo(GREY, 0, replace(none, **change).local_only()).mask.any(), kind


def test_a_tear_is_a_solid_area_at_a_corner_or_edge():
    config = DamageConfig(scratches=(0, 0), dust=(0, 0), creases=(0, 0), tear_chance=1.0, clean_chance=0.0)
    for seed in range(4):
        mask = damage_photo(GREY, seed, config.local_only()).mask
        assert mask.mean() > 0.003
        border = np.concatenate([mask[0], mask[-1], mask[:, 0], mask[:, -1]])
        assert border.any()


def test_colour_input_is_refused():
    with pytest.raises(ValueError, match="grey"):
        damage_photo(synthetic_photo(32, 32), 0)
