"""Every architecture: builds, runs at odd sizes, round-trips through safetensors with detection."""

from __future__ import annotations

import pytest
import torch

from restorer.models.registry import all_archs, detect_arch
from restorer.models.weights import ModelCard, load_state_dict, save_model
from restorer.models.zoo import build_from_state_dict

TINY = {
    "vivid2": [{"width": 8, "global_dim": 8, "hint_width": 4},
               {"width": 16, "global_dim": 4, "hint_width": 8, "regression": False}],
    "vivid": [{"width": 8, "global_dim": 8}, {"width": 16, "global_dim": 4, "regression": False}],
    "seed000-cae": [{"base": 4}, {"base": 8}],
    "seed001-unet": [{"base": 4, "depth": 3}, {"base": 8, "depth": 4}],
    "seed002-fusion": [{"width": 8}, {"width": 16}],
    "seed003-plain": [{"width": 4}, {"width": 8}],
    "seed004a-dense-ae": [{"latent": 8}, {"latent": 32}],
    "seed004b-skip-unet": [{"latent": 8}, {"latent": 16}],
    "eccv16": [{}],
    "siggraph17": [{}],
    "damage-unet": [{"base": 4, "depth": 3}, {"base": 8, "depth": 4}],
}
SPECS = {spec.name: spec for spec in all_archs()}
CASES = [(name, hp) for name, hps in TINY.items() for hp in hps]


def test_every_registered_architecture_is_covered():
    assert set(SPECS) == set(TINY)


@pytest.mark.parametrize("name,hparams", CASES, ids=[f"{name}-{i}" for i, (name, _) in enumerate(CASES)])
def test_round_trip_through_safetensors(name, hparams, tmp_path):
    spec = SPECS[name]
    torch.manual_seed(1)
    net = spec.build(**hparams).eval()
    save_model(net, ModelCard(name="m", arch=name, hparams=hparams), tmp_path)
    state = load_state_dict(tmp_path / "m.safetensors")
    assert detect_arch(state).name == name
    for key, value in hparams.items():
        assert spec.infer_hparams(state)[key] == value
    again = build_from_state_dict(spec, state)
    side = spec.fixed_size or 48
    x = torch.rand(2, 1, side, side)
    with torch.no_grad():
        assert torch.equal(net(x), again(x))


@pytest.mark.parametrize("name", [n for n in TINY if n not in ("eccv16", "siggraph17")])
def test_output_kind_and_range(name):
    spec = SPECS[name]
    net = spec.build(**TINY[name][0]).eval()
    side = spec.fixed_size or 64
    with torch.no_grad():
        out = net(torch.rand(1, 1, side, side))
    assert out.shape[1] == {"ab": 2, "rgb": 3, "mask": 1}[spec.output_kind]
    if spec.output_kind in ("rgb", "mask"):
        assert out.min() >= 0 and out.max() <= 1
    else:
        assert out.abs().max() <= 1.0 + 1e-5  # ab/110


@pytest.mark.parametrize("name", ["vivid", "vivid2"])
def test_flagship_uses_hints(name):
    net = SPECS[name].build(**TINY[name][0]).eval()
    lum = torch.rand(1, 1, 64, 64)
    hints = torch.zeros(1, 3, 64, 64)
    hints[:, 0, 20:40, 20:40] = 0.5
    hints[:, 2, 20:40, 20:40] = 1.0
    with torch.no_grad():
        assert not torch.allclose(net(lum), net(torch.cat([lum, hints], 1)))


def test_flagship_read_out_blends_heads_and_stretches_about_the_image_mean():
    torch.manual_seed(3)
    net = SPECS["vivid"].build(width=8, global_dim=8).eval()
    x = torch.rand(1, 1, 64, 64)
    with torch.no_grad():
        logits, regressed = net.outputs(x)
        classified = net.decode(logits)
        net.blend = 0.0
        assert torch.allclose(net(x), regressed)
        net.blend = 0.25
        base = net(x)
        assert torch.allclose(base, 0.75 * regressed + 0.25 * classified, atol=1e-6)
        net.chroma_gain = 1.5
        stretched = net(x)
    mean = base.mean(dim=(2, 3), keepdim=True)
    assert torch.allclose(stretched.mean(dim=(2, 3), keepdim=True), mean, atol=1e-6)  # the cast stays
    assert torch.allclose(stretched - mean, 1.5 * (base - mean), atol=1e-6)


def test_flagship_flip_average_is_mirror_symmetric():
    torch.manual_seed(4)
    net = SPECS["vivid"].build(width=8, global_dim=8, flip_average=True).eval()
    x = torch.rand(1, 1, 64, 96)
    with torch.no_grad():
        out, out_mirrored = net(x), net(torch.flip(x, dims=[3]))
        net.flip_average = False
        plain = net(x)
    assert torch.allclose(out, torch.flip(out_mirrored, dims=[3]), atol=1e-5)
    assert not torch.allclose(out, plain)


def test_zhang_keys_match_released_layout():
    eccv = SPECS["eccv16"].build().state_dict()
    for key in ("model1.0.weight", "model1.4.running_mean", "model4.6.weight", "model8.0.weight",
                "model8.6.weight", "model_out.weight"):
        assert key in eccv
    assert eccv["model8.0.weight"].shape == (512, 256, 4, 4)
    sig = SPECS["siggraph17"].build().state_dict()
    for key in ("model1.0.weight", "model8up.0.weight", "model3short8.0.weight", "model8.1.weight",
                "model8.5.running_var", "model9.3.weight", "model10.1.weight", "model_class.0.weight",
                "model_out.0.weight"):
        assert key in sig
    assert sig["model1.0.weight"].shape == (64, 4, 3, 3)
    assert sig["model_class.0.weight"].shape == (529, 256, 1, 1)
