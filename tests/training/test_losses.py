"""Loss functions: known values and the properties the flagship relies on."""

from __future__ import annotations

import numpy as np
import torch

from restorer.models.ab_bins import in_gamut_ab_bins
from restorer.training import losses

BINS = torch.from_numpy(in_gamut_ab_bins()) / 110.0


def test_ssim_of_identical_images_is_one_and_drops_with_noise():
    x = torch.rand(2, 3, 32, 32)
    assert losses.ssim_index(x, x).item() == pytest_approx(1.0)
    assert losses.ssim_loss(x, (x + 0.3 * torch.randn_like(x)).clamp(0, 1)).item() > 0.1


def pytest_approx(value, tol=1e-4):
    import pytest

    return pytest.approx(value, abs=tol)


def test_soft_encoding_is_a_distribution_peaking_at_the_nearest_bin():
    target = torch.stack([BINS[10], BINS[50]], dim=1).view(1, 2, 2, 1)
    soft, nearest = losses.soft_encode(target, BINS)
    assert torch.allclose(soft.sum(1), torch.ones(1, 2, 1))
    assert nearest.flatten().tolist() == [10, 50]
    assert soft[0, 10, 0, 0] > 0.5


def test_rebalancing_weights_rare_colours_up_with_unit_mean():
    prior = np.full(len(BINS), 1e-4)
    prior[0] = 1.0
    weights = losses.rebalance_weights(prior)
    p = prior / prior.sum()
    assert float((weights.numpy() * p).sum()) == pytest_approx(1.0)
    assert weights[1] > 10 * weights[0]


def test_cross_entropy_prefers_the_right_bin():
    target = BINS[30].view(1, 2, 1, 1).expand(1, 2, 4, 4).clone()
    right = torch.full((1, len(BINS), 4, 4), -5.0)
    right[:, 30] = 5.0
    wrong = torch.full((1, len(BINS), 4, 4), -5.0)
    wrong[:, 100] = 5.0
    weights = torch.ones(len(BINS))
    assert losses.rebalanced_cross_entropy(right, target, BINS, weights) < \
        losses.rebalanced_cross_entropy(wrong, target, BINS, weights)


def test_colourfulness_loss_penalises_grey_predictions_only():
    truth = torch.full((1, 2, 4, 4), 0.4)
    assert losses.colorfulness_loss(torch.zeros_like(truth), truth) > 0.3
    assert losses.colorfulness_loss(truth * 1.2, truth) == 0


def random_photo_as_lab(seed: int, shape: tuple[int, int]):
    """A random float RGB photo ``(H, W, 3)`` and its OpenCV Lab as network tensors (L/100, ab/110)."""
    import cv2

    rgb = np.random.default_rng(seed).random((*shape, 3)).astype(np.float32)
    lab = cv2.cvtColor(rgb, cv2.COLOR_RGB2Lab)
    lum = torch.from_numpy(lab[..., 0] / 100.0)[None, None]
    ab = torch.from_numpy(lab[..., 1:].transpose(2, 0, 1) / 110.0)[None]
    return rgb, lum, ab


def test_torch_lab_to_rgb_inverts_opencv_lab():
    rgb, lum, ab = random_photo_as_lab(0, (24, 30))
    back = losses.lab_to_rgb(lum, ab)[0].permute(1, 2, 0).numpy()
    assert np.abs(back - rgb).max() < 0.01  # OpenCV's float Lab is tabulated to ~0.003


def test_colour_ssim_loss_rewards_the_true_chroma_and_has_finite_gradients():
    rgb, lum, true_ab = random_photo_as_lab(1, (32, 32))
    target = torch.from_numpy(rgb.transpose(2, 0, 1))[None]
    grey_ab = torch.zeros_like(true_ab, requires_grad=True)
    grey_loss = losses.colour_ssim_loss(lum, grey_ab, target)
    grey_loss.backward()
    assert losses.colour_ssim_loss(lum, true_ab, target).item() < 0.01 < grey_loss.item()
    assert torch.isfinite(grey_ab.grad).all() and grey_ab.grad.abs().sum() > 0


def test_training_hints_come_from_the_truth_and_at_most_max_count_per_crop():
    import torch

    from restorer.training.objective import sample_hints

    ab = torch.rand(8, 2, 32, 32) - 0.5
    hints = sample_hints(ab, 1.0, torch.Generator().manual_seed(0), max_count=1)
    mask = hints[:, 2] > 0
    assert mask.flatten(1).any(1).all()  # share 1: every crop is hinted
    assert (mask.flatten(1).sum(1) <= 25).all()  # one patch of at most 5 x 5 pixels
    none = sample_hints(ab, 0.0, torch.Generator().manual_seed(0), max_count=20)
    assert not none.any()


def test_the_stage1_loss_end_to_end_is_the_cached_stages_loss():
    """`--loss stage1` fine-tunes a network trained on cached features with the loss it was trained
    with; the default colour-bin loss adds an annealed-mean term and is not the same objective."""
    from restorer.models.registry import get_arch
    from restorer.models.vivid2 import Vivid2Net
    from restorer.training.cached_stage import CachedObjective
    from restorer.training.objective import Objective

    torch.manual_seed(0)
    network = Vivid2Net(width=8, global_dim=8, hint_width=4).eval()
    lum = torch.rand(2, 1, 64, 64)
    ab = (torch.rand(2, 2, 64, 64) - 0.5) * 0.4
    rgb = losses.lab_to_rgb(lum, ab)
    weights = torch.ones(network.bin_count)
    with torch.no_grad():
        end_to_end = Objective(network, get_arch("vivid2"), "stage1", weights, 0.0, 0)(lum, ab, rgb, train=False)[0]
        default = Objective(network, get_arch("vivid2"), "rebalanced-ce+ssim", weights, 0.0, 0)(lum, ab, rgb,
                                                                                            train=False)[0]
        cached = CachedObjective(network, weights, 0.0, 0)(network.encode(lum), lum, ab, rgb, train=False)[0]
    assert torch.allclose(end_to_end, cached, rtol=1e-4)
    assert not torch.allclose(default, cached, rtol=1e-3)
