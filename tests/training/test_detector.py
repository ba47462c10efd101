"""Training the damage detector: data, loss, scores, checkpoint/resume, the card it writes."""

from __future__ import annotations

import json

import numpy as np
import torch
from PIL import Image

from restorer.core.progress import run_to_end
from restorer.models.weights import ModelCard
from restorer.training.detector import DamagedCrops, DetectorConfig, detector_loss, train_detector
from restorer.training.repair_scores import MaskCounts
from tests.helpers import synthetic_photo


def photo_dir(tmp_path, count=6):
    folder = tmp_path / "photos"
    folder.mkdir()
    for index in range(count):
        Image.fromarray(synthetic_photo(48, 64, seed=index)).save(folder / f"p{index}.png")
    return folder


def test_crops_are_deterministic_per_epoch_and_index(tmp_path):
    photos = sorted(photo_dir(tmp_path).iterdir())
    crops = DamagedCrops(photos, 32, 4, seed=1)
    first, again = crops[2], crops[2]
    assert first[0].shape == (1, 32, 32) and first[1].shape == (1, 32, 32)
    assert torch.equal(first[0], again[0]) and torch.equal(first[1], again[1])
    crops.epoch = 1
    assert not torch.equal(first[0], crops[2][0])


def test_loss_is_lower_for_the_right_mask():
    mask = torch.zeros(1, 1, 16, 16)
    mask[..., 5:8, :] = 1
    right = (mask * 2 - 1) * 6
    assert detector_loss(right, mask) < detector_loss(-right, mask) / 10


def test_mask_scores_count_pixels():
    counts = MaskCounts()
    truth = np.zeros((4, 4), bool)
    truth[0] = True
    predicted = np.zeros((4, 4), bool)
    predicted[0, :2] = predicted[1, 0] = True
    counts.add(predicted, truth)
    scores = counts.scores()
    assert scores["iou"] == 2 / 5 and scores["f1"] == 4 / 7
    assert scores["precision"] == 2 / 3 and scores["recall"] == 2 / 4


def test_training_saves_a_detector_card_and_resumes(tmp_path):
    config = DetectorConfig(data=[photo_dir(tmp_path)], run_dir=tmp_path / "run", out_dir=tmp_path / "out",
                            hparams={"base": 4, "depth": 2}, size=32, batch=4, epochs=1, epoch_size=8,
                            val_count=2, minutes=5)
    weights = run_to_end(train_detector(config))
    card = ModelCard.from_json(weights.with_suffix(".json"))
    assert card.arch == "damage-unet" and card.hparams == {"base": 4, "depth": 2}
    assert set(card.metrics["val"]) >= {"loss", "iou", "f1"} and card.training["epochs_run"] == 1
    config.epochs = 2
    run_to_end(train_detector(config))
    history = json.loads((tmp_path / "run" / "card.json").read_text())["history"]
    assert [row["epoch"] for row in history] == [1, 2]  # the second session went on from epoch 1
