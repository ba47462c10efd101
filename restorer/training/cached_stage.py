"""Stage 1 of the pretrained flagship: train the decoder on cached features of the frozen encoder.

``train_on_cache`` is a generator like :func:`restorer.training.loop.train`: it yields
:class:`Progress` (payload: a dict of losses and validation metrics) and resumes from the run
folder's last finished epoch. The loss is the flagship's usual one (rebalanced ab-bin
cross-entropy + regression + SSIM of the finished colour photo), with random colour hints on a
share of the samples so the decoder learns to follow clicks.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from restorer.core.progress import Progress
from restorer.training import losses
from restorer.training.feature_cache import FeatureCache
from restorer.training.objective import REGRESSION_WEIGHT, SSIM_WEIGHT, hold_batch_norm, sample_hints


@dataclass
class CachedStageConfig:
    run_dir: Path
    epochs: int = 4
    batch: int = 32
    lr: float = 1e-3
    weight_decay: float = 1e-4
    rebalance: float = 0.5
    hint_prob: float = 0.25
    max_hints: int = 10
    hold_norm: bool = False  # a continuation keeps its batch-norm statistics (see hold_batch_norm)
    minutes: float | None = None
    seed: int = 0


class CachedObjective:
    """The flagship's loss on cached features: rebalanced ab-bin cross-entropy, regression MSE and
    1 - SSIM of the colour photo the regression head makes with the true L.

    Unlike :class:`restorer.training.objective.Objective` it leaves the annealed-mean read-out out of
    the gradient: that term cost a third of every step here, and the read-out is calibrated later.
    """

    def __init__(self, network, class_weights: torch.Tensor, hint_prob: float, seed: int,
                 max_hints: int = 10) -> None:
        self.network = network
        self.class_weights = class_weights
        self.hint_prob = hint_prob
        self.max_hints = max_hints
        self.generator = torch.Generator().manual_seed(seed)

    def outputs(self, features, lum, ab, train: bool):
        hints = sample_hints(ab, self.hint_prob, self.generator, self.max_hints) if train and self.hint_prob else None
        return self.network.heads(self.network.decode_features(*features, hints))

    def __call__(self, features, lum, ab, rgb, train: bool = True):
        logits, regressed = self.outputs(features, lum, ab, train)
        regressed = _upsample(regressed, ab)
        loss = losses.rebalanced_cross_entropy(logits, ab, self.network.ab_bins, self.class_weights)
        loss = loss + REGRESSION_WEIGHT * losses.mse_loss(regressed, ab)
        loss = loss + SSIM_WEIGHT * losses.colour_ssim_loss(lum, regressed, rgb)
        return loss, logits, regressed


def _upsample(pred, like):
    return torch.nn.functional.interpolate(pred, size=like.shape[2:], mode="bilinear", align_corners=False)


def decoder_parameters(network) -> list[torch.nn.Parameter]:
    return [p for name, p in network.named_parameters() if not name.startswith("encoder.")]


def class_weights_from_cache(network, cache: FeatureCache, rebalance: float, samples: int = 2048) -> torch.Tensor:
    rng = np.random.default_rng(0)
    indices = rng.choice(cache.filled, size=min(samples, cache.filled), replace=False)
    ab = torch.from_numpy(cache.arrays["ab"][np.sort(indices)].astype(np.float32) / 110.0)
    quarter = torch.nn.functional.avg_pool2d(ab, 4)
    prior = losses.ab_prior(quarter.split(256), network.ab_bins.float())
    return losses.rebalance_weights(prior, rebalance)


def _rgb(lum: torch.Tensor, ab: torch.Tensor) -> torch.Tensor:
    return losses.lab_to_rgb(lum, ab)


def validate(objective: CachedObjective, cache: FeatureCache, batch: int) -> dict:
    """Mean loss, and PSNR of the regression head and of the read-out (true L), over the validation cache."""
    network = objective.network
    network.eval()
    sums = {"loss": 0.0, "psnr_regression": 0.0, "psnr": 0.0, "colourfulness": 0.0, "colourfulness_truth": 0.0}
    with torch.no_grad():
        for start in range(0, cache.filled, batch):
            indices = np.arange(start, min(cache.filled, start + batch))
            levels, embedding, lum, ab = cache.batch(indices)
            rgb = _rgb(lum, ab)
            loss, logits, regressed = objective((levels, embedding), lum, ab, rgb, train=False)
            read_out = _upsample(network.read_out(logits, _upsample(regressed, logits)), ab)
            sums["loss"] += float(loss) * len(indices)
            sums["psnr_regression"] += _psnr_sum(_rgb(lum, regressed), rgb)
            sums["psnr"] += _psnr_sum(_rgb(lum, read_out), rgb)
            sums["colourfulness"] += float(_colourfulness(_rgb(lum, read_out)).sum())
            sums["colourfulness_truth"] += float(_colourfulness(rgb).sum())
    network.train()
    means = {key: value / cache.filled for key, value in sums.items()}
    means["colorfulness_ratio"] = means.pop("colourfulness") / max(means.pop("colourfulness_truth"), 1e-6)
    return means


def _colourfulness(rgb: torch.Tensor) -> torch.Tensor:
    """Hasler-Suesstrunk colourfulness per image (as :func:`restorer.pipeline.metrics.colorfulness`)."""
    r, g, b = (rgb[:, i].flatten(1) * 255.0 for i in range(3))
    rg, yb = r - g, 0.5 * (r + g) - b
    spread = torch.hypot(rg.std(dim=1, unbiased=False), yb.std(dim=1, unbiased=False))
    return spread + 0.3 * torch.hypot(rg.mean(dim=1), yb.mean(dim=1))


def _psnr_sum(pred: torch.Tensor, truth: torch.Tensor) -> float:
    mse = ((pred - truth) ** 2).mean(dim=(1, 2, 3)).clamp(min=1e-10)
    return float((-10.0 * mse.log10()).sum())


def _state_path(run_dir: Path) -> Path:
    return Path(run_dir) / "cached_stage.pt"


def _resume(network, optimizer, run_dir: Path) -> tuple[int, list]:
    path = _state_path(run_dir)
    if not path.is_file():
        return 0, []
    state = torch.load(path, map_location="cpu", weights_only=True)
    network.load_state_dict(state["network"])
    optimizer.load_state_dict(state["optimizer"])
    return int(state["epoch"]), list(state["history"])


def _save(network, optimizer, run_dir: Path, epoch: int, history: list) -> None:
    path = _state_path(run_dir)
    tmp = path.with_suffix(".part")
    torch.save({"network": network.state_dict(), "optimizer": optimizer.state_dict(), "epoch": epoch,
                "history": history}, tmp)
    tmp.replace(path)


def train_on_cache(network, train_cache: FeatureCache, val_cache: FeatureCache, config: CachedStageConfig):
    """Generator: decoder epochs over the cache; yields Progress, returns the history of epochs."""
    Path(config.run_dir).mkdir(parents=True, exist_ok=True)
    torch.manual_seed(config.seed)
    _train_mode(network, config.hold_norm)
    optimizer = torch.optim.AdamW(decoder_parameters(network), lr=config.lr, weight_decay=config.weight_decay)
    first_epoch, history = _resume(network, optimizer, config.run_dir)
    weights = class_weights_from_cache(network, train_cache, config.rebalance)
    objective = CachedObjective(network, weights, config.hint_prob, config.seed, config.max_hints)
    steps = train_cache.filled // config.batch
    started = time.monotonic()
    for epoch in range(first_epoch, config.epochs):
        rng = np.random.default_rng(config.seed * 1000 + epoch)
        order = rng.permutation(train_cache.filled)
        running = 0.0
        for step in range(steps):
            _set_lr(optimizer, config, epoch * steps + step, config.epochs * steps)
            levels, embedding, lum, ab = train_cache.batch(order[step * config.batch:(step + 1) * config.batch])
            loss = objective((levels, embedding), lum, ab, _rgb(lum, ab), train=True)[0]
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            running += float(loss.detach())
            if step % 20 == 0:
                yield Progress(epoch * steps + step, config.epochs * steps, "train",
                               f"epoch {epoch + 1} step {step}/{steps} loss {running / (step + 1):.4f}",
                               {"epoch": epoch, "loss": running / (step + 1)})
            if config.minutes and time.monotonic() - started > 60 * config.minutes:
                break
        val = validate(objective, val_cache, 64)
        _train_mode(network, config.hold_norm)
        history.append({"epoch": epoch + 1, "train_loss": running / max(1, step + 1), **val,
                        "minutes": (time.monotonic() - started) / 60})
        _save(network, optimizer, config.run_dir, epoch + 1, history)
        yield Progress((epoch + 1) * steps, config.epochs * steps, "epoch", f"epoch {epoch + 1}: {history[-1]}",
                       history[-1])
        if config.minutes and time.monotonic() - started > 60 * config.minutes:
            break
    return history


def _train_mode(network, hold_norm: bool) -> None:
    network.train()
    if hold_norm:
        hold_batch_norm(network)


def _set_lr(optimizer, config: CachedStageConfig, step: int, total: int) -> None:
    warm = min(1.0, (step + 1) / 200)  # a short warm-up: the fresh decoder's first gradients are large
    lr = config.lr * warm * 0.5 * (1 + math.cos(math.pi * min(1.0, step / max(1, total))))
    for group in optimizer.param_groups:
        group["lr"] = lr
