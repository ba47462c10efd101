"""What a network is trained to do: its loss, per architecture kind."""

from __future__ import annotations

import numpy as np
import torch
from torch.nn import functional as F

from restorer.core.errors import RestorerError
from restorer.training import losses

REGRESSION_WEIGHT = 5.0  # MSE on ab/110 is ~0.02; this puts its gradients on the scale of the cross-entropy's
SSIM_WEIGHT = 5.0  # 1 - SSIM of the colour photo is ~0.05 late in training: same scale as the MSE term
COLOUR_BIN_LOSSES = ("rebalanced-ce", "rebalanced-ce+ssim", "stage1")


def default_loss(spec) -> str:
    """The loss ``--loss auto`` trains ``spec`` with: the one its architecture declares."""
    return spec.loss


def sample_hints(ab: torch.Tensor, prob: float, generator: torch.Generator, max_count: int = 10) -> torch.Tensor:
    """Random colour hints drawn from the true chroma: ``(N, 3, H, W)`` (a/110, b/110, mask).

    Most samples get none (``1 - prob``), so the network colours well without hints; the others
    get 1 to ``max_count`` small patches carrying the true mean colour of the patch.
    """
    n, _, h, w = ab.shape
    hints = torch.zeros(n, 3, h, w)
    for i in range(n):
        if torch.rand(1, generator=generator).item() >= prob:
            continue
        count = int(torch.randint(1, max_count + 1, (1,), generator=generator))
        for _ in range(count):
            r = int(torch.randint(0, 3, (1,), generator=generator))
            y = int(torch.randint(0, h, (1,), generator=generator))
            x = int(torch.randint(0, w, (1,), generator=generator))
            patch = (slice(max(0, y - r), y + r + 1), slice(max(0, x - r), x + r + 1))
            hints[i, :2, patch[0], patch[1]] = ab[i, :, patch[0], patch[1]].mean((1, 2))[:, None, None]
            hints[i, 2, patch[0], patch[1]] = 1.0
    return hints


def hold_batch_norm(network: torch.nn.Module) -> None:
    """Fine-tuning: every batch-norm layer keeps the statistics its model was trained with.

    A few steps of small CPU batches (another crop size, other photos, more hints) move running
    statistics far enough to cost the finished model most of a dB before any weight has learned
    anything (measured on vivid2: 25.05 -> 24.21 dB after ten steps at a learning rate of 1e-6).
    """
    for module in network.modules():
        if isinstance(module, torch.nn.modules.batchnorm._BatchNorm):
            module.eval()


class Objective:
    """Computes the loss of one batch and the network's chroma prediction (ab/110)."""

    def __init__(self, network, spec, loss: str, class_weights: torch.Tensor | None, hint_prob: float,
                 seed: int, max_hints: int = 10) -> None:
        self.network = network
        self.spec = spec
        self.loss = default_loss(spec) if loss == "auto" else loss
        if self.loss in COLOUR_BIN_LOSSES and spec.head != "bins":
            raise RestorerError(f"{spec.name} predicts colours directly, not colour-bin scores: "
                               f"the {self.loss} loss needs one that scores colour bins, like vivid")
        self.class_weights = class_weights
        self.hint_prob = hint_prob if spec.accepts_hints else 0.0
        self.max_hints = max_hints
        self.generator = torch.Generator().manual_seed(seed)

    def inputs(self, lum, ab, train: bool):
        if self.hint_prob and train:
            hints = sample_hints(ab.cpu(), self.hint_prob, self.generator, self.max_hints)
            return torch.cat([lum, hints.to(lum.device)], dim=1)
        return lum

    def __call__(self, lum, ab, rgb, train: bool = True):
        x = self.inputs(lum, ab, train)
        if self.loss in COLOUR_BIN_LOSSES:
            logits, regressed = self.network.outputs(x)
            bins = self.network.ab_bins.to(logits.dtype)
            pred = self.network.decode(logits)
            loss = losses.rebalanced_cross_entropy(logits, ab, bins, self.class_weights)
            if self.loss != "stage1":  # stage1: exactly the cached stage's loss, for an end-to-end stage 2
                loss = loss + 2.0 * F.smooth_l1_loss(_upsample(pred, ab), ab, beta=0.05)
            if regressed is not None:  # the MSE-optimal chroma: what the read-out blends towards
                loss = loss + REGRESSION_WEIGHT * losses.mse_loss(_upsample(regressed, ab), ab)
            if self.loss in ("rebalanced-ce+ssim", "stage1"):
                smooth = _upsample(regressed if regressed is not None else pred, ab)
                loss = loss + SSIM_WEIGHT * losses.colour_ssim_loss(lum, smooth, rgb)
            return loss, _upsample(self.network.read_out(logits, regressed), ab)
        out = self.network(x)
        if self.spec.output_kind == "rgb":
            target = rgb if out.shape[2:] == rgb.shape[2:] else F.interpolate(rgb, size=out.shape[2:], mode="area")
            return self._pixel_loss(out, target), None
        pred = _upsample(out, ab)
        loss = self._pixel_loss(pred, ab)
        if self.loss == "mse+colorful":
            loss = loss + 0.5 * losses.colorfulness_loss(pred, ab)
        return loss, pred

    def _pixel_loss(self, pred, target):
        if self.loss == "ssim":
            return losses.ssim_loss(pred, target)
        if self.loss == "mae":
            return losses.mae_loss(pred, target)
        return losses.mse_loss(pred, target)


def _upsample(pred, like):
    if pred.shape[2:] == like.shape[2:]:
        return pred
    return F.interpolate(pred, size=like.shape[2:], mode="bilinear", align_corners=False)


def prior_from_batches(network, loader, batches: int = 20) -> np.ndarray:
    """Empirical ab-bin distribution of a few training batches (for class rebalancing)."""
    abs_ = []
    for index, (_, ab, _) in enumerate(loader):
        if index >= batches:
            break
        abs_.append(F.interpolate(ab, scale_factor=0.25, mode="area"))
    return losses.ab_prior(abs_, network.ab_bins.float().cpu())
