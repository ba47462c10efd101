"""Vivid: Restorer's flagship colorization network (L -> ab, with optional colour hints).

Design for two CPU cores: the first layer already halves the resolution, the deep layers run
at 1/8-1/16 scale, and a global-context branch (seed 002's fusion idea, learned end to end) is
fused into the 1/8-scale features. The head classifies every 1/4-scale pixel into quantised ab
bins; an annealed-mean read-out (temperature ``T``) turns the distribution into a vivid but
stable colour, avoiding the grey/sepia average that regression losses converge to. A second,
2-channel head regresses the mean-squared-error-optimal chroma from the same features; the read-out
blends the two (``blend``: 0 = regression only, 1 = classification only), then stretches chroma
about the image's own mean colour (``chroma_gain``): for a given colourfulness that costs less
accuracy than scaling about grey. Two extra input channels carry a sparse ab hint map and a third
its mask, for click-to-colour.
"""

from __future__ import annotations

import torch
from torch import nn
from torch.nn import functional as F

from restorer.models.blocks import conv_bn_relu, shape_of
from restorer.models.readout import BinReadOut
from restorer.models.registry import BIN_READOUT_SETTINGS, ArchSpec, has_keys


class VividNet(BinReadOut):
    def __init__(self, width: int = 32, global_dim: int = 64, temperature: float = 0.38,
                 chroma_gain: float = 1.0, regression: bool = True, blend: float = 1.0,
                 flip_average: bool = False, hint_blend: float | None = None) -> None:
        super().__init__(temperature, chroma_gain, blend, flip_average, hint_blend)
        w = width
        self.stem = conv_bn_relu(4, w, 2)
        self.enc2 = nn.Sequential(conv_bn_relu(w, 2 * w, 2), conv_bn_relu(2 * w, 2 * w))
        self.enc3 = nn.Sequential(conv_bn_relu(2 * w, 4 * w, 2), conv_bn_relu(4 * w, 4 * w))
        self.enc4 = nn.Sequential(conv_bn_relu(4 * w, 6 * w, 2), conv_bn_relu(6 * w, 6 * w))
        self.global_branch = nn.Sequential(
            conv_bn_relu(6 * w, 8 * w, 2), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
            nn.Linear(8 * w, global_dim), nn.ReLU(inplace=True),
        )
        self.fuse = nn.Sequential(conv_bn_relu(6 * w + 4 * w + global_dim, 4 * w, kernel=1),
                                  conv_bn_relu(4 * w, 4 * w))
        self.dec2 = nn.Sequential(conv_bn_relu(4 * w + 2 * w, 2 * w, kernel=1), conv_bn_relu(2 * w, 2 * w))
        self.head = nn.Conv2d(2 * w, self.bin_count, 1)
        self.regress = nn.Conv2d(2 * w, 2, 1) if regression else None

    def outputs(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor | None]:
        """(bin scores, regressed ab/110 or None), both at 1/4 resolution."""
        features = self.features(x)
        return self.head(features), None if self.regress is None else self.regress(features)

    def features(self, x: torch.Tensor) -> torch.Tensor:
        if x.shape[1] == 1:
            x = torch.cat([x, x.new_zeros(x.shape[0], 3, x.shape[2], x.shape[3])], dim=1)
        x = torch.cat([(x[:, :1] - 0.5) * 2, x[:, 1:4]], dim=1)
        e2 = self.enc2(self.stem(x))
        e3 = self.enc3(e2)
        e4 = self.enc4(e3)
        glob = self.global_branch(e4)[:, :, None, None].expand(-1, -1, e3.shape[2], e3.shape[3])
        up4 = F.interpolate(e4, size=e3.shape[2:], mode="bilinear", align_corners=False)
        d3 = self.fuse(torch.cat([up4, e3, glob], dim=1))
        up3 = F.interpolate(d3, size=e2.shape[2:], mode="bilinear", align_corners=False)
        return self.dec2(torch.cat([up3, e2], dim=1))


def _detect(sd) -> bool:
    return has_keys(sd, "ab_bins", "global_branch.0.0.weight", "fuse.0.0.weight", "dec2.0.0.weight")


def _hparams(sd) -> dict:
    return {
        "width": shape_of(sd, "stem.0.weight")[0],
        "global_dim": shape_of(sd, "global_branch.3.weight")[0],
        "regression": "regress.weight" in sd,
    }


SPEC = ArchSpec(
    name="vivid",
    title="Vivid (Restorer flagship)",
    family="flagship",
    paper="Restorer's own: fusion encoder-decoder, ab-bin classification + regression heads",
    description="Fast L -> ab network with global context, a class-rebalanced colour classifier "
    "blended with a regression head, and optional colour hints.",
    input_kind="L",
    output_kind="ab",
    native_size=256,
    size_multiple=16,
    build=VividNet,
    detect=_detect,
    infer_hparams=_hparams,
    default_hparams={"width": 32, "global_dim": 64, "regression": True},
    accepts_hints=True,
    head="bins",
    loss="rebalanced-ce",
    readout_settings=BIN_READOUT_SETTINGS,
)
