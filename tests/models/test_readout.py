"""The shared colour read-out: the chroma stretch applies to guessed colours, not to hinted photos."""

from __future__ import annotations

import torch

from restorer.models.vivid2 import Vivid2Net


def test_the_chroma_stretch_skips_photos_that_carry_hints():
    torch.manual_seed(0)
    network = Vivid2Net(width=8, global_dim=8, hint_width=4).eval()
    lum = torch.rand(2, 1, 64, 64)
    hints = torch.zeros(2, 3, 64, 64)
    hints[0, :, 30:34, 30:34] = torch.tensor([0.3, -0.2, 1.0])[:, None, None]  # photo 0 has a hint
    x = torch.cat([lum, hints], dim=1)
    with torch.no_grad():
        network.chroma_gain = 1.0
        plain = network(x)
        network.chroma_gain = 2.0
        stretched = network(x)
        alone = network(lum)
    assert torch.allclose(stretched[0], plain[0])  # hinted: as picked
    assert not torch.allclose(stretched[1], plain[1])  # no hint: stretched
    assert torch.allclose(stretched[1], alone[1], atol=1e-5)  # the same as without hint channels


def test_photos_with_hints_blend_the_two_heads_by_their_own_share():
    torch.manual_seed(0)
    network = Vivid2Net(width=8, global_dim=8, hint_width=4, blend=0.75).eval()
    hints = torch.zeros(2, 3, 64, 64)
    hints[0, :, 30:34, 30:34] = torch.tensor([0.3, -0.2, 1.0])[:, None, None]  # photo 0 has a hint
    x = torch.cat([torch.rand(2, 1, 64, 64), hints], dim=1)
    with torch.no_grad():
        logits, regressed = network.outputs(x)
        classified = network.decode(logits)
        before = network(x)
        network.hint_blend = 0.25
        after = network(x)
    assert torch.allclose(after[0], regressed[0] + 0.25 * (classified[0] - regressed[0]), atol=1e-5)
    assert torch.allclose(before[0], regressed[0] + 0.75 * (classified[0] - regressed[0]), atol=1e-5)
    assert torch.allclose(after[1], before[1])  # no hint: the card's blend
