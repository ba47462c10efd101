"""The shared colour read-out: around colour hints the colours were given (unstretched, their own
blend of the heads); away from them, and on photos without hints, the read-out is the guess's."""

from __future__ import annotations

import torch

from restorer.models.vivid2 import Vivid2Net

NEAR, FAR = (5, 5), (30, 30)  # output cells (1/4 scale of 128 px) at and far from the hint


def network_and_input(**readout) -> tuple[Vivid2Net, torch.Tensor]:
    torch.manual_seed(0)
    network = Vivid2Net(width=8, global_dim=8, hint_width=4, **readout).eval()
    hints = torch.zeros(2, 3, 128, 128)
    hints[0, :, 19:23, 19:23] = torch.tensor([0.3, -0.2, 1.0])[:, None, None]  # photo 0 has a hint
    return network, torch.cat([torch.rand(2, 1, 128, 128), hints], dim=1)


def at(chroma: torch.Tensor, photo: int, cell: tuple[int, int]) -> torch.Tensor:
    return chroma[photo, :, cell[0], cell[1]]


def test_the_chroma_stretch_skips_the_region_around_hints_only():
    network, x = network_and_input()
    with torch.no_grad():
        network.chroma_gain = 1.0
        plain = network(x)
        network.chroma_gain = 2.0
        stretched = network(x)
        alone = network(x[:, :1])
    assert torch.allclose(at(stretched, 0, NEAR), at(plain, 0, NEAR))  # near the hint: as given
    assert not torch.allclose(at(stretched, 0, FAR), at(plain, 0, FAR))  # far from it: stretched
    assert not torch.allclose(stretched[1], plain[1])  # no hint on the photo: stretched
    assert torch.allclose(stretched[1], alone[1], atol=1e-5)  # the same as without hint channels


def test_near_hints_the_two_heads_are_blended_by_the_hint_blend():
    network, x = network_and_input(blend=0.75)
    with torch.no_grad():
        logits, regressed = network.outputs(x)
        classified = network.decode(logits)
        before = network(x)
        network.hint_blend = 0.25
        after = network(x)
    mixed = regressed + 0.25 * (classified - regressed)
    assert torch.allclose(at(after, 0, NEAR), at(mixed, 0, NEAR), atol=1e-5)
    assert torch.allclose(at(before, 0, NEAR), at(regressed + 0.75 * (classified - regressed), 0, NEAR), atol=1e-5)
    assert torch.allclose(at(after, 0, FAR), at(before, 0, FAR))  # far from the hint: the card's blend
    assert torch.allclose(after[1], before[1])  # no hint: the card's blend


def test_nearness_is_one_at_a_hint_and_zero_far_away():
    network, x = network_and_input()
    near = network.near_hints(x, (32, 32))
    assert near[0, 0, 5, 5] == 1 and near[0, 0, 30, 30] == 0 and near[1].max() == 0
    assert network.near_hints(x[1:], (32, 32)) is None  # no photo with a hint
