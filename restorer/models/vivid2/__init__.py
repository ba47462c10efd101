"""Vivid 2: Restorer's flagship on an ImageNet-pretrained encoder (L -> ab, with colour hints).

Colour depends on what things are: petals are red, forests green, skies blue. A network trained
from scratch on 20k small photos on two CPU cores never learns enough of that, so this one stands
on EfficientNet-Lite0, trained on ImageNet's 1.3 M photos (fed the grey photo as three equal
channels). A small U-Net decoder reads the encoder's pyramid at strides 4-32; the encoder's pooled
1280-d embedding (what the classifier sees) is fused at 1/8 scale, as seed 002 fuses its
InceptionResNetV2 embedding. Colour hints (sparse ab + mask) enter on the decoder side only, at
1/4, 1/8 and 1/16 scale, so the pretrained encoder sees nothing but the photo. Two heads at 1/4
scale: ab-bin scores (a colour distribution, which cannot collapse to grey) and regressed
chroma; :class:`BinReadOut` turns them into the chroma users see.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict

import torch
from torch import nn
from torch.nn import functional as F

from restorer.models.blocks import conv_bn_relu, shape_of
from restorer.models.efficientnet_lite import HEAD_CHANNELS, PYRAMID_CHANNELS, EfficientNetLite0, lum_to_encoder_input
from restorer.models.readout import BinReadOut
from restorer.models.registry import REGISTRY, ArchSpec, has_keys

HINT_CHANNELS = 3  # a/110, b/110, mask
ENCODINGS_KEPT = 6  # inputs whose encoder features are remembered (two photos at three render scales)
ENCODING_BYTES = 64 << 20  # and at most this much of them (a 224 px input's features take ~0.6 MB; a
# user's 4096 px working size would take ~200 MB each, so those are not kept)
_MEMO_LOCK = threading.Lock()  # one for all networks: a held lock cannot be copied with a network


def pool_hints(hints: torch.Tensor, factor: int) -> torch.Tensor:
    """Sparse hints ``(N, 3, H, W)`` -> the mean hinted colour per ``factor`` cell and its 0/1 mask.

    A plain average would dilute a one-pixel hint to nothing; averaging over hinted pixels only
    keeps its colour, and the mask says where there was one.
    """
    mask = F.avg_pool2d(hints[:, 2:3], factor)
    ab = F.avg_pool2d(hints[:, :2] * hints[:, 2:3], factor) / mask.clamp(min=1e-6)
    hinted = (mask > 0).to(hints.dtype)
    return torch.cat([ab * hinted, hinted], dim=1)


class HintEncoder(nn.Module):
    """Hints at 1/4 scale -> features at 1/4, 1/8 and 1/16 (larger scales carry a hint farther)."""

    def __init__(self, width: int) -> None:
        super().__init__()
        self.at4 = conv_bn_relu(HINT_CHANNELS, width)
        self.at8 = conv_bn_relu(width, width, 2)
        self.at16 = conv_bn_relu(width, width, 2)

    def forward(self, hints4: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        h4 = self.at4(hints4)
        h8 = self.at8(h4)
        return h4, h8, self.at16(h8)


class Vivid2Net(BinReadOut):
    def __init__(self, width: int = 64, global_dim: int = 128, hint_width: int = 16,
                 temperature: float = 0.38, chroma_gain: float = 1.0, regression: bool = True,
                 blend: float = 1.0, flip_average: bool = False, hint_blend: float | None = None) -> None:
        super().__init__(temperature, chroma_gain, blend, flip_average, hint_blend)
        c4, c8, c16, c32 = PYRAMID_CHANNELS[1:]
        self.encoder = EfficientNetLite0(classifier=False)
        self.global_proj = nn.Sequential(nn.Linear(HEAD_CHANNELS, global_dim), nn.ReLU(inplace=True))
        self.hints = HintEncoder(hint_width)
        # each level: a 1x1 fusion of its inputs, then a 3x3 conv (a 3x3 on the wide concatenation
        # would cost 3x the decoder time for no measured gain on two cores)
        self.dec16 = _fusion(c32 + c16 + hint_width, 2 * width)
        self.dec8 = _fusion(2 * width + c8 + global_dim + hint_width, 2 * width)
        self.dec4 = _fusion(2 * width + c4 + hint_width, width)
        self.head = nn.Conv2d(width, self.bin_count, 1)
        self.regress = nn.Conv2d(width, 2, 1) if regression else None
        self._memo: OrderedDict = OrderedDict()  # input key -> encoder features (see encode)

    def train(self, mode: bool = True) -> "Vivid2Net":
        """Train mode for the decoder only: the encoder's batch-norm keeps its ImageNet statistics.

        Small CPU batches of grey photos would drag those statistics away from what every later
        layer of the encoder was trained on (the usual frozen-BN fine-tuning of a backbone).
        Remembered encodings are dropped: training may change the encoder.
        """
        super().train(mode)
        self.encoder.eval()
        self.forget_encodings()
        return self

    def forget_encodings(self) -> None:
        with _MEMO_LOCK:
            self._memo.clear()

    def __getstate__(self) -> dict:
        return {**self.__dict__, "_memo": OrderedDict()}  # copies (runtime.on_cpu) start empty

    def _load_from_state_dict(self, *args, **kwargs) -> None:
        self.forget_encodings()  # new weights, new features
        super()._load_from_state_dict(*args, **kwargs)

    def encode(self, lum: torch.Tensor) -> tuple[list[torch.Tensor], torch.Tensor]:
        """L/100 ``(N, 1, H, W)`` -> encoder features at strides 4, 8, 16, 32 and the embedding.

        Outside training the features of the last few inputs are remembered: the encoder sees
        only the photo, so a hint edit (which changes nothing but the hints) re-runs the decoder
        alone, about half the network's time.
        """
        if self.training or torch.is_grad_enabled():
            return self._encoded(lum)
        key = _input_key(lum)
        with _MEMO_LOCK:
            found = self._memo.get(key)
            if found is not None:
                self._memo.move_to_end(key)
                return found
        found = self._encoded(lum)
        if _bytes_of(found) <= ENCODING_BYTES:
            with _MEMO_LOCK:
                self._memo[key] = found
                while len(self._memo) > ENCODINGS_KEPT or sum(map(_bytes_of, self._memo.values())) > ENCODING_BYTES:
                    self._memo.popitem(last=False)
        return found

    def _encoded(self, lum: torch.Tensor) -> tuple[list[torch.Tensor], torch.Tensor]:
        levels, embedding = self.encoder.pyramid(lum_to_encoder_input(lum))
        return levels[1:], embedding

    def decode_features(self, levels: list[torch.Tensor], embedding: torch.Tensor,
                        hints: torch.Tensor | None) -> torch.Tensor:
        """The decoder: pyramid + embedding (+ full-size hints) -> features at 1/4 scale."""
        e4, e8, e16, e32 = levels
        if hints is None:
            hints = e4.new_zeros(e4.shape[0], HINT_CHANNELS, 4 * e4.shape[2], 4 * e4.shape[3])
        h4, h8, h16 = self.hints(pool_hints(hints.to(e4.dtype), 4))
        d16 = self.dec16(torch.cat([_up(e32, e16), e16, h16], dim=1))
        glob = self.global_proj(embedding)[:, :, None, None].expand(-1, -1, *e8.shape[2:])
        d8 = self.dec8(torch.cat([_up(d16, e8), e8, glob, h8], dim=1))
        return self.dec4(torch.cat([_up(d8, e4), e4, h4], dim=1))

    def heads(self, features: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor | None]:
        return self.head(features), None if self.regress is None else self.regress(features)

    def outputs(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor | None]:
        """``x`` = L/100 ``(N, 1, H, W)`` or L plus hints ``(N, 4, H, W)`` -> (bin scores, regressed ab/110)."""
        levels, embedding = self.encode(x[:, :1])
        hints = x[:, 1:4] if x.shape[1] > 1 else None
        return self.heads(self.decode_features(levels, embedding, hints))


def _input_key(lum: torch.Tensor) -> tuple:
    """What identifies an input exactly: shape, type, device and a digest of its values."""
    digest = hashlib.blake2b(lum.detach().cpu().contiguous().numpy().tobytes(), digest_size=16).digest()
    return tuple(lum.shape), lum.dtype, str(lum.device), digest


def _bytes_of(encoding: tuple[list[torch.Tensor], torch.Tensor]) -> int:
    levels, embedding = encoding
    return sum(t.numel() * t.element_size() for t in [*levels, embedding])


def _fusion(c_in: int, c_out: int) -> nn.Sequential:
    return nn.Sequential(conv_bn_relu(c_in, c_out, kernel=1), conv_bn_relu(c_out, c_out))


def _up(x: torch.Tensor, like: torch.Tensor) -> torch.Tensor:
    return F.interpolate(x, size=like.shape[2:], mode="bilinear", align_corners=False)


def _load_imagenet_encoder(network: Vivid2Net) -> None:
    from restorer.models.efficientnet_lite import load_pretrained

    network.encoder.load_state_dict(load_pretrained(classifier=False).state_dict())


def _detect(sd) -> bool:
    return has_keys(sd, "ab_bins", "encoder.stem.0.weight", "global_proj.0.weight", "dec8.0.0.weight")


def _hparams(sd) -> dict:
    return {
        "width": shape_of(sd, "dec4.1.0.weight")[0],
        "global_dim": shape_of(sd, "global_proj.0.weight")[0],
        "hint_width": shape_of(sd, "hints.at4.0.weight")[0],
        "regression": "regress.weight" in sd,
    }


SPEC = REGISTRY.add(
    ArchSpec(
        name="vivid2",
        title="Vivid 2 (Restorer flagship)",
        family="flagship",
        paper="Restorer's own: ImageNet-pretrained EfficientNet-Lite0 encoder (Tan & Le 2019) with a U-Net "
        "decoder, global fusion (seed 002), ab-bin classification + regression heads, colour hints",
        description="L -> ab network that knows what things are: an ImageNet-trained encoder, a colour "
        "classifier blended with a regression head, and click-to-colour hints.",
        input_kind="L",
        output_kind="ab",
        native_size=224,
        size_multiple=32,
        build=Vivid2Net,
        detect=_detect,
        infer_hparams=_hparams,
        default_hparams={"width": 64, "global_dim": 128, "hint_width": 16, "regression": True},
        accepts_hints=True,
        pretrained_prefix="encoder.",
        load_pretrained=_load_imagenet_encoder,
    )
)
