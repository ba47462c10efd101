"""Training the damage detector on grey crops of colour photos with synthetic damage drawn on them.

A crop is taken like the colorizers' (:func:`restorer.training.data.augmented_crop`), reduced to its
Lab L (the channel the repair step works on), damaged by :func:`restorer.training.damage.damage_photo`
with a seed fixed by (run seed, epoch, index), and the network learns the damage mask with binary
cross-entropy plus a soft Dice term (damage covers a few per cent of the pixels: Dice keeps the thin
strokes from being drowned by the background). Each epoch is checkpointed; a killed run resumes.
"""

from __future__ import annotations

import json
import random
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import cv2
import numpy as np
import torch
from torch.nn import functional as F

from restorer.core.errors import DatasetError
from restorer.core.progress import NEVER_CANCELLED, CancelToken, Progress
from restorer.models.registry import get_arch
from restorer.models.weights import ModelCard, save_model
from restorer.training import checkpoints
from restorer.training.damage import DamageConfig, damage_photo
from restorer.training.data import Augment, augmented_crop, read_rgb8, scan_photos, split_photos
from restorer.training.repair_scores import MaskCounts

ARCH = "damage-unet"


@dataclass
class DetectorConfig:
    data: list[Path]
    run_dir: Path
    out_dir: Path
    name: str = ARCH
    hparams: dict = field(default_factory=lambda: {"base": 8, "depth": 4})
    size: int = 128
    batch: int = 16
    epochs: int = 12
    epoch_size: int = 1000
    lr: float = 3e-3
    minutes: float = 20.0
    seed: int = 17
    val_count: int = 64
    threads: int = 1  # measured: 1 thread beats 2 when another training shares the 2 cores

    def to_dict(self) -> dict:
        data = asdict(self)
        return {key: [str(p) for p in value] if key == "data" else str(value) if isinstance(value, Path) else value
                for key, value in data.items()}


def grey_of(rgb8: np.ndarray) -> np.ndarray:
    """Lab L / 100 of a uint8 RGB image: float32 ``(H, W)`` in [0, 1]."""
    return cv2.cvtColor(rgb8.astype(np.float32) / 255.0, cv2.COLOR_RGB2Lab)[..., 0] / 100.0


class DamagedCrops:
    """Map-style dataset: index -> (damaged L/100 ``(1, S, S)``, mask ``(1, S, S)``) float32."""

    def __init__(self, photos: list[Path], size: int, epoch_size: int, seed: int, config=DamageConfig()) -> None:
        self.photos, self.size, self.epoch_size, self.seed, self.config = list(photos), size, epoch_size, seed, config
        self.epoch = 0

    def __len__(self) -> int:
        return self.epoch_size

    def sample(self, index: int) -> tuple[np.ndarray, np.ndarray]:
        rng = random.Random(f"{self.seed}:{self.epoch}:{index}")
        for _ in range(5):  # a vanished or unreadable photo is replaced by another draw
            image = read_rgb8(self.photos[rng.randrange(len(self.photos))])
            if image is not None and min(image.shape[:2]) >= 16:
                crop = grey_of(augmented_crop(image, Augment(crop=self.size), rng))
                damaged = damage_photo(crop, rng.randrange(2**32), self.config)
                return damaged.image, damaged.mask
        raise DatasetError("Training photos became unreadable.")

    def __getitem__(self, index: int):
        image, mask = self.sample(index)
        return torch.from_numpy(image)[None], torch.from_numpy(mask.astype(np.float32))[None]


def detector_loss(logits: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Binary cross-entropy plus soft Dice over the batch."""
    bce = F.binary_cross_entropy_with_logits(logits, mask)
    prob = torch.sigmoid(logits)
    dice = 1 - (2 * (prob * mask).sum() + 1) / (prob.sum() + mask.sum() + 1)
    return bce + dice


def evaluate_detector(network, samples: list[tuple[np.ndarray, np.ndarray]], threshold: float = 0.5) -> dict:
    """Loss, IoU and F1 of ``network`` on fixed (damaged, mask) samples."""
    network.eval()
    counts, losses = MaskCounts(), []
    with torch.no_grad():
        for image, mask in samples:
            logits = network.logits(torch.from_numpy(image)[None, None])
            truth = torch.from_numpy(mask.astype(np.float32))[None, None]
            losses.append(float(detector_loss(logits, truth)))
            counts.add((torch.sigmoid(logits)[0, 0] > threshold).numpy(), mask)
    return {"loss": float(np.mean(losses)), **counts.scores()}


def _photos(config: DetectorConfig):
    scan = yield from scan_photos(config.data, check=False)
    split = split_photos(scan.photos, (0.95, 0.05, 0.0), seed=config.seed)
    if not split.val:
        split.val = split.train[-config.val_count:]
    return split


def _validation_samples(photos: list[Path], config: DetectorConfig) -> list:
    crops = DamagedCrops(photos, config.size, config.val_count, config.seed + 1)
    crops.epoch = -1  # fixed draws, never an epoch's
    return [crops.sample(index) for index in range(min(config.val_count, max(1, len(photos))))]


def train_detector(config: DetectorConfig, cancel: CancelToken = NEVER_CANCELLED):
    """Generator: yields Progress while training, returns the saved weights' path. Resumes from
    ``run_dir``'s checkpoint; ``minutes`` bounds the training time over all sessions of the run."""
    torch.manual_seed(config.seed)
    torch.set_num_threads(config.threads)
    config.run_dir.mkdir(parents=True, exist_ok=True)
    split = yield from _photos(config)
    network = get_arch(ARCH).build(**config.hparams)
    optimizer = torch.optim.AdamW(network.parameters(), lr=config.lr, weight_decay=1e-4)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=config.epochs)
    state = checkpoints.RunState.load(config.run_dir) or checkpoints.RunState()
    state.restore(network, optimizer, scheduler)
    dataset = DamagedCrops(split.train, config.size, config.epoch_size, config.seed)
    validation = _validation_samples(split.val, config)
    for epoch in range(state.epoch, config.epochs):
        if state.minutes >= config.minutes:
            break
        started = time.monotonic()
        yield from _train_epoch(network, optimizer, dataset, epoch, config, cancel)
        state.minutes += (time.monotonic() - started) / 60
        val = evaluate_detector(network, validation)
        scheduler.step()
        improved = state.record(epoch + 1, val)
        state.save(config.run_dir, network, optimizer, scheduler, improved)
        yield Progress(epoch + 1, config.epochs, "epoch",
                       f"epoch {epoch + 1}: val loss {val['loss']:.4f} IoU {val['iou']:.3f} F1 {val['f1']:.3f}", val)
    return _export(network, state, config, split)


def _train_epoch(network, optimizer, dataset: DamagedCrops, epoch: int, config: DetectorConfig, cancel):
    dataset.epoch = epoch
    network.train()
    loader = torch.utils.data.DataLoader(dataset, batch_size=config.batch, shuffle=False, drop_last=True)
    total, loss_sum = len(loader), 0.0
    for step, (image, mask) in enumerate(loader):
        cancel.raise_if_cancelled()
        loss = detector_loss(network.logits(image), mask)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        loss_sum += float(loss.detach())
        yield Progress(epoch * total + step + 1, config.epochs * total, "train",
                       f"epoch {epoch + 1}/{config.epochs} loss {loss_sum / (step + 1):.4f}")


def _export(network, state, config: DetectorConfig, split) -> Path:
    """The best epoch's weights and a card saying how they were trained and how well they did."""
    network.load_state_dict(state.best_weights(config.run_dir, network))
    spec = get_arch(ARCH)
    card = ModelCard(
        name=config.name, arch=ARCH, hparams=spec.infer_hparams(network.state_dict()), title=spec.title,
        description=spec.description, render_size=spec.native_size,
        training={"config": config.to_dict(), "epochs_run": state.epoch, "minutes_total": round(state.minutes, 1),
                  "samples_seen": state.epoch * config.epoch_size, "history": state.history,
                  "split_sizes": {"train": len(split.train), "val": len(split.val)},
                  "data": "grey (Lab L) crops with synthetic damage from restorer.training.damage"},
        metrics={"val": {key: round(value, 4) for key, value in (state.best_val or {}).items()}},
    )
    weights = save_model(network.eval(), card, config.out_dir)
    (config.run_dir / "card.json").write_text(json.dumps(card.training, indent=1))
    return weights
