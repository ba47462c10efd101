"""A test-only network that follows colour hints: what a well-trained flagship does, made exact.

Random tiny flagships barely react to hints, so tests of the hint plumbing (file -> map ->
network -> rendered photo) would test nothing. This one scores each colour bin by how close it is
to the mean hinted colour around each 1/4-scale cell (a few cells wide), so a hint
colours its neighbourhood and nothing far away; with no hint near, grey wins.
"""

from __future__ import annotations

import torch
from torch.nn import functional as F

from restorer.models.readout import BinReadOut
from restorer.models.registry import ArchSpec, has_keys

ARCH = "test-hint-echo"
SHARPNESS = 2000.0  # score gain: neighbouring bins differ by ~0.01 in closeness; the read-out lands on the nearest


class HintEcho(BinReadOut):
    def __init__(self, reach: int = 9, temperature: float = 0.38) -> None:
        super().__init__(temperature, chroma_gain=1.0, blend=1.0, flip_average=False)
        self.reach = reach
        self.register_buffer("echo_gain", torch.tensor(SHARPNESS))

    def outputs(self, x: torch.Tensor):
        if x.shape[1] < 4:
            x = torch.cat([x, x.new_zeros(x.shape[0], 3, *x.shape[2:])], dim=1)
        hints = F.avg_pool2d(x[:, 1:4], 4)
        spread = F.avg_pool2d(hints, self.reach, stride=1, padding=self.reach // 2, count_include_pad=False)
        ab = spread[:, :2] / spread[:, 2:3].clamp(min=1e-6)  # the mean hinted colour; 0 (grey) where none
        bins = self.ab_bins.to(x.dtype)
        closeness = 2 * torch.einsum("nchw,qc->nqhw", ab, bins) - (bins ** 2).sum(1)[None, :, None, None]
        return self.echo_gain * closeness, None


SPEC = ArchSpec(name=ARCH, title="Hint echo (tests)", family="test", paper="", description="test network",
                input_kind="L", output_kind="ab", native_size=64, size_multiple=4, build=HintEcho,
                detect=lambda sd: has_keys(sd, "echo_gain"), infer_hparams=lambda sd: {}, accepts_hints=True)


def install_hint_echo(folder, monkeypatch, name: str | None = None) -> str:
    """Register the architecture and save it as the installed model ``name`` (default: the flagship's name)."""
    from restorer.models.registry import REGISTRY, all_archs
    from restorer.models.weights import ModelCard, save_model
    from restorer.models.zoo import FLAGSHIP

    all_archs()  # the real ones first, so they never clash with this one
    monkeypatch.setitem(REGISTRY._specs, ARCH, SPEC)
    name = name or FLAGSHIP
    save_model(HintEcho().eval(), ModelCard(name=name, arch=ARCH, hparams={}, render_size=64), folder)
    monkeypatch.setenv("RESTORER_WEIGHTS_DIR", str(folder))
    return name
