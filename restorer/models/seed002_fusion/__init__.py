"""Seed 002: "fusion" colorization network, L -> ab, global features fused at 1/8 scale.

The paper fuses a pretrained InceptionResNetV2 embedding of the whole photo into the encoder's
1/8-scale features. No pretrained classifier can be downloaded here, so the global branch is a
small CNN (strided convs + global average pool + linear) trained end to end with the rest. The paper's widths (64 -> 512) are ``width=64``; Restorer
trains ``width=32`` (half the channels) to fit CPU training.
"""

from __future__ import annotations

import torch
from torch import nn
from torch.nn import functional as F

from restorer.models.blocks import conv_bn_relu, shape_of
from restorer.models.registry import REGISTRY, ArchSpec, has_keys


class FusionNet(nn.Module):
    def __init__(self, width: int = 32, global_dim: int = 256) -> None:
        super().__init__()
        w = width
        self.encoder = nn.Sequential(
            conv_bn_relu(1, w, 2), conv_bn_relu(w, 2 * w),
            conv_bn_relu(2 * w, 2 * w, 2), conv_bn_relu(2 * w, 4 * w),
            conv_bn_relu(4 * w, 4 * w, 2), conv_bn_relu(4 * w, 8 * w),
            conv_bn_relu(8 * w, 8 * w), conv_bn_relu(8 * w, 4 * w),
        )
        self.global_net = nn.Sequential(
            conv_bn_relu(1, w, 2), conv_bn_relu(w, 2 * w, 2), conv_bn_relu(2 * w, 4 * w, 2),
            conv_bn_relu(4 * w, 4 * w, 2), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
            nn.Linear(4 * w, global_dim), nn.ReLU(inplace=True),
        )
        self.fusion = conv_bn_relu(4 * w + global_dim, 4 * w, kernel=1)
        self.decoder = nn.Sequential(
            conv_bn_relu(4 * w, 2 * w), nn.Upsample(scale_factor=2, mode="nearest"),
            conv_bn_relu(2 * w, w), conv_bn_relu(w, w), nn.Upsample(scale_factor=2, mode="nearest"),
            conv_bn_relu(w, w // 2), nn.Conv2d(w // 2, 2, 3, padding=1),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = (x[:, :1] - 0.5) * 2
        local = self.encoder(x)
        glob = self.global_net(F.interpolate(x, size=(128, 128), mode="bilinear", align_corners=False))
        glob = glob[:, :, None, None].expand(-1, -1, local.shape[2], local.shape[3])
        fused = self.fusion(torch.cat([local, glob], dim=1))
        return torch.tanh(self.decoder(fused))  # 1/2 resolution; the pipeline upsamples


def _detect(sd) -> bool:
    return has_keys(sd, "global_net.0.0.weight", "fusion.0.weight", "decoder.6.weight")


def _hparams(sd) -> dict:
    return {
        "width": shape_of(sd, "encoder.0.0.weight")[0],
        "global_dim": shape_of(sd, "global_net.6.weight")[0],
    }


SPEC = REGISTRY.add(
    ArchSpec(
        name="seed002-fusion",
        title="Fusion network (seed 002)",
        family="seed",
        paper="Seed 002: deep colorization with a global classifier fused at 1/8 scale (L -> ab)",
        description="Encoder + global-context branch fused at 1/8 scale; global branch is a CNN "
        "trained end to end (no pretrained InceptionResNetV2 available).",
        input_kind="L",
        output_kind="ab",
        native_size=256,
        size_multiple=8,
        build=FusionNet,
        detect=_detect,
        infer_hparams=_hparams,
        default_hparams={"width": 32, "global_dim": 256},
    )
)
