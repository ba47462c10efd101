"""Damage detector: a tiny U-Net marking scratches, dust, creases and tears, L -> damage probability.

The detection half of "Bringing Old Photos Back to Life" (Wan et al. 2020), scaled down to train on
a CPU in minutes: ``depth`` resolution levels of two 3x3 conv-BN-ReLU each (max-pool down, bilinear
up, skip concatenation), one 1x1 head. It is trained on synthetic damage
(:mod:`restorer.training.damage`) and is not a colorizer: its kind is ``damage-detector``, so model
pickers and `restorer models` never offer it.
"""

from __future__ import annotations

import torch
from torch import nn
from torch.nn import functional as F

from restorer.models.blocks import conv_bn_relu, shape_of
from restorer.models.registry import DAMAGE_DETECTOR, ArchSpec, has_keys


def _block(c_in: int, c_out: int) -> nn.Sequential:
    return nn.Sequential(conv_bn_relu(c_in, c_out), conv_bn_relu(c_out, c_out))


class DamageUNet(nn.Module):
    """``forward`` returns the damage probability ``(N, 1, H, W)``; ``logits`` the pre-sigmoid map
    (what training's loss takes). Input is L/100 ``(N, 1+, H, W)`` (extra channels are ignored)."""

    def __init__(self, base: int = 8, depth: int = 4) -> None:
        super().__init__()
        widths = [base * 2**level for level in range(depth)]
        self.enc = nn.ModuleList(_block(c_in, c_out) for c_in, c_out in zip([1] + widths[:-1], widths))
        self.dec = nn.ModuleList(_block(widths[level + 1] + widths[level], widths[level])
                                 for level in reversed(range(depth - 1)))
        self.mask_head = nn.Conv2d(widths[0], 1, 1)

    def logits(self, x: torch.Tensor) -> torch.Tensor:
        x = (x[:, :1] - 0.5) * 2
        skips = []
        for level, block in enumerate(self.enc):
            x = block(x if level == 0 else F.max_pool2d(x, 2))
            skips.append(x)
        for block, skip in zip(self.dec, reversed(skips[:-1])):
            up = F.interpolate(x, size=skip.shape[2:], mode="bilinear", align_corners=False)
            x = block(torch.cat([up, skip], dim=1))
        return self.mask_head(x)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.sigmoid(self.logits(x))


def _detect(sd) -> bool:
    return has_keys(sd, "enc.0.0.0.weight", "dec.0.0.0.weight", "mask_head.weight")


def _hparams(sd) -> dict:
    depth = len({key.split(".")[1] for key in sd if key.startswith("enc.")})
    return {"base": shape_of(sd, "enc.0.0.0.weight")[0], "depth": depth}


SPEC = ArchSpec(
    name="damage-unet",
    title="Damage detector (tiny U-Net)",
    family="repair",
    paper="After Wan et al. 2020, Bringing Old Photos Back to Life: scratch detection trained on "
    "synthetic damage",
    description="Marks scratches, dust, creases and tears on a grey photo for inpainting.",
    input_kind="L",
    output_kind="mask",
    native_size=192,
    size_multiple=8,
    build=DamageUNet,
    detect=_detect,
    infer_hparams=_hparams,
    default_hparams={"base": 8, "depth": 4},
    kind=DAMAGE_DETECTOR,
    head="regression",  # a colorizer's notion; the detector trains with restorer.training.detector
    loss="mse",
)
