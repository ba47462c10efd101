"""Seed 002: "fusion" colorization network, L -> ab, a pretrained classifier's view fused at 1/8 scale.

As the paper describes it (Baldassarre et al. 2017, "Deep Koalarization"): a convolutional encoder
on L, and a *frozen* ImageNet classifier that sees the whole photo; the classifier's 1000-d output
(before the softmax) is repeated over the encoder's 1/8-scale grid, concatenated (the fusion layer),
mixed by a 1x1 convolution and decoded to ab. InceptionResNetV2's weights cannot be had here, so
the ImageNet-trained EfficientNet-Lite0 stands in for it (fed the grey photo as three equal
channels). The paper's widths (64 -> 512) are ``width=64``; Restorer trains ``width=32`` (half the
channels) to fit CPU training.
"""

from __future__ import annotations

import torch
from torch import nn
from torch.nn import functional as F

from restorer.models.blocks import conv_bn_relu, shape_of
from restorer.models.efficientnet_lite import EfficientNetLite0, lum_to_encoder_input
from restorer.models.registry import ArchSpec, has_keys

IMAGENET_CLASSES = 1000


class FusionNet(nn.Module):
    def __init__(self, width: int = 32) -> None:
        super().__init__()
        w = width
        self.encoder = nn.Sequential(
            conv_bn_relu(1, w, 2), conv_bn_relu(w, 2 * w),
            conv_bn_relu(2 * w, 2 * w, 2), conv_bn_relu(2 * w, 4 * w),
            conv_bn_relu(4 * w, 4 * w, 2), conv_bn_relu(4 * w, 8 * w),
            conv_bn_relu(8 * w, 8 * w), conv_bn_relu(8 * w, 4 * w),
        )
        self.classifier = EfficientNetLite0(classifier=True).requires_grad_(False)
        self.fusion = conv_bn_relu(4 * w + IMAGENET_CLASSES, 4 * w, kernel=1)
        self.decoder = nn.Sequential(
            conv_bn_relu(4 * w, 2 * w), nn.Upsample(scale_factor=2, mode="nearest"),
            conv_bn_relu(2 * w, w), conv_bn_relu(w, w), nn.Upsample(scale_factor=2, mode="nearest"),
            conv_bn_relu(w, w // 2), nn.Conv2d(w // 2, 2, 3, padding=1),
        )

    def train(self, mode: bool = True) -> "FusionNet":
        super().train(mode)
        self.classifier.eval()  # frozen, as in the paper: its batch statistics stay ImageNet's
        return self

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        lum = x[:, :1]
        local = self.encoder((lum - 0.5) * 2)
        with torch.no_grad():
            glob = self.classifier(lum_to_encoder_input(_multiple_of_32(lum)))
        glob = glob[:, :, None, None].expand(-1, -1, local.shape[2], local.shape[3])
        fused = self.fusion(torch.cat([local, glob], dim=1))
        return torch.tanh(self.decoder(fused))  # 1/2 resolution; the pipeline upsamples


def _multiple_of_32(x: torch.Tensor) -> torch.Tensor:
    """The classifier pools its features, so any size works; its strides want multiples of 32."""
    height, width = (max(32, round(side / 32) * 32) for side in x.shape[2:])
    if (height, width) == tuple(x.shape[2:]):
        return x
    return F.interpolate(x, size=(height, width), mode="bilinear", align_corners=False)


def _detect(sd) -> bool:
    return has_keys(sd, "classifier.classifier.weight", "fusion.0.weight", "decoder.6.weight")


def _hparams(sd) -> dict:
    return {"width": shape_of(sd, "encoder.0.0.weight")[0]}


def _load_imagenet_classifier(network: FusionNet) -> None:
    from restorer.models.efficientnet_lite import load_pretrained

    network.classifier.load_state_dict(load_pretrained(classifier=True).state_dict())


SPEC = ArchSpec(
    name="seed002-fusion",
    title="Fusion network (seed 002)",
    family="seed",
    paper="Seed 002: deep colorization with a frozen ImageNet classifier fused at 1/8 scale (L -> ab)",
    description="Encoder + a frozen ImageNet classifier's 1000-d output fused at 1/8 scale "
    "(EfficientNet-Lite0 standing in for the paper's InceptionResNetV2).",
    input_kind="L",
    output_kind="ab",
    native_size=256,
    size_multiple=8,
    build=FusionNet,
    detect=_detect,
    infer_hparams=_hparams,
    default_hparams={"width": 32},
    pretrained_prefix="classifier.",
    load_pretrained=_load_imagenet_classifier,
    head="regression",
    loss="mse",
)
