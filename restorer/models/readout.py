"""The colour read-out shared by the flagships: ab-bin scores and regressed chroma -> the chroma users see.

A network that subclasses :class:`BinReadOut` implements ``outputs(x)`` returning
``(bin scores (N, Q, h, w), regressed ab/110 (N, 2, h, w) or None)``; everything else (annealed
mean, the blend of the two heads, the chroma stretch, the mirrored average) lives here once.
"""

from __future__ import annotations

import torch
from torch import nn

from restorer.models.ab_bins import in_gamut_ab_bins

AB_SCALE = 110.0


class BinReadOut(nn.Module):
    """Read-out settings are plain attributes a model card sets (calibrated on held-out photos).

    ``temperature``: annealed mean of the bin distribution (low = bolder); ``blend``: share of
    the classification head against the regression head (1 = classification only);
    ``chroma_gain``: stretch of chroma about the image's mean colour at inference; ``flip_average``:
    average with the prediction for the mirrored photo; ``hint_blend``: the blend for photos with
    colour hints (None: ``blend``).
    """

    def __init__(self, temperature: float, chroma_gain: float, blend: float, flip_average: bool,
                 hint_blend: float | None = None) -> None:
        super().__init__()
        self.register_buffer("ab_bins", torch.from_numpy(in_gamut_ab_bins()) / AB_SCALE)  # (Q, 2) ab/110
        self.temperature = temperature
        self.chroma_gain = chroma_gain
        self.blend = blend
        self.flip_average = flip_average
        self.hint_blend = hint_blend

    @property
    def bin_count(self) -> int:
        return self.ab_bins.shape[0]

    def outputs(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor | None]:
        raise NotImplementedError

    def logits(self, x: torch.Tensor) -> torch.Tensor:
        """Per-bin scores ``(N, Q, h, w)``."""
        return self.outputs(x)[0]

    def decode(self, logits: torch.Tensor, temperature: float | None = None) -> torch.Tensor:
        """Annealed mean of the bin distribution -> ab/110 ``(N, 2, h, w)``."""
        t = self.temperature if temperature is None else temperature
        probs = torch.softmax(logits.float() / t, dim=1)
        return torch.einsum("nqhw,qc->nchw", probs, self.ab_bins.float()).to(logits.dtype)

    def read_out(self, logits: torch.Tensor, regressed: torch.Tensor | None,
                 hinted: torch.Tensor | None = None) -> torch.Tensor:
        """The chroma users see: blend of the two heads, stretched about the image mean colour.

        An expectation over many plausible colours is less saturated than any one of them; the
        stretch (1.0 in training) restores the photos' colourfulness at read-out time. Photos with
        colour hints (``hinted``, one bool per photo) are not stretched: their colours were given,
        not guessed, and a stretch would push them past what the user picked (measured on 74
        held-out photos with 10 true-colour hints: 25.18 dB stretched by 1.2, 25.65 dB not). Their
        heads are blended by ``hint_blend``: the vivid blend that suits a guess is not the most
        accurate once hints carry the colour (vivid2, same photos: 26.01 dB at 0.75, 26.22 at 0.25).
        """
        return self._stretched(self._blended(logits, regressed, hinted), hinted)

    def _blended(self, logits: torch.Tensor, regressed: torch.Tensor | None,
                 hinted: torch.Tensor | None = None) -> torch.Tensor:
        chroma = self.decode(logits)
        if regressed is None:
            return chroma
        blend = torch.full((chroma.shape[0], 1, 1, 1), self.blend, dtype=chroma.dtype, device=chroma.device)
        if hinted is not None and self.hint_blend is not None and not self.training:
            blend = torch.where(hinted.view(-1, 1, 1, 1), torch.full_like(blend, self.hint_blend), blend)
        return regressed + blend * (chroma - regressed)

    def _stretched(self, chroma: torch.Tensor, hinted: torch.Tensor | None = None) -> torch.Tensor:
        if self.training or self.chroma_gain == 1.0:
            return chroma
        gain = torch.full((chroma.shape[0], 1, 1, 1), self.chroma_gain, dtype=chroma.dtype, device=chroma.device)
        if hinted is not None:
            gain = torch.where(hinted.view(-1, 1, 1, 1), torch.ones_like(gain), gain)
        mean = chroma.mean(dim=(2, 3), keepdim=True)
        return mean + gain * (chroma - mean)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        hinted = _hinted(x)
        if self.training or not self.flip_average:
            return self.read_out(*self.outputs(x), hinted)
        # the mirrored photo is as plausible as the photo: averaging both halves the read-out's
        # variance for twice the network time
        chroma = self._blended(*self.outputs(x), hinted)
        mirrored = self._blended(*self.outputs(torch.flip(x, dims=[3])), hinted)
        return self._stretched(0.5 * (chroma + torch.flip(mirrored, dims=[3])), hinted)


def _hinted(x: torch.Tensor) -> torch.Tensor | None:
    """One bool per photo: does its input carry a colour hint (L, a, b, mask: the mask channel)?"""
    return x[:, 3].flatten(1).gt(0).any(1) if x.shape[1] >= 4 else None
