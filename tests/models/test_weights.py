"""Safe loading: checksums, malicious pickles, wrong shapes, truncated files, import of .pth."""

from __future__ import annotations

import json
import os
import pickle

import pytest
import torch

from restorer.core.errors import ModelLoadError, UnsafeWeightsError
from restorer.models.seed004a_dense_ae import DenseAutoencoder
from restorer.models.vivid import VividNet
from restorer.models.weights import ModelCard, load_pth, load_state_dict, save_model
from restorer.models.zoo import build_from_state_dict, find_model, import_weights, list_models, load_network
from restorer.models.registry import get_arch


class _Payload:
    """Unpickling this would create a marker file: proof that code ran."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def test_malicious_pickle_is_refused_and_never_runs(tmp_path):
    marker = tmp_path / "pwned"
    evil = tmp_path / "evil.pth"
    with open(evil, "wb") as handle:
        pickle.dump({"model1.0.weight": torch.zeros(1), "x": _Payload(marker)}, handle)
    with pytest.raises(UnsafeWeightsError, match="could run code"):
        load_pth(evil)
    with pytest.raises(UnsafeWeightsError):
        import_weights(evil)
    assert not marker.exists()


def test_checksum_mismatch_is_reported(tiny_weights_dir):
    entry = find_model("vivid")
    data = bytearray(entry.weights.read_bytes())
    data[-1] ^= 0xFF
    entry.weights.write_bytes(bytes(data))
    with pytest.raises(ModelLoadError, match="checksum"):
        load_network(entry)


def test_truncated_safetensors_is_a_clear_error(tmp_path):
    save_model(VividNet(width=8, global_dim=8), ModelCard(name="v", arch="vivid"), tmp_path)
    path = tmp_path / "v.safetensors"
    path.write_bytes(path.read_bytes()[:500])
    with pytest.raises(ModelLoadError, match="corrupt or truncated"):
        load_state_dict(path)


def test_wrong_shapes_name_the_architecture_and_tensor():
    state = VividNet(width=8, global_dim=8).state_dict()
    state["head.weight"] = torch.zeros(3, 16, 1, 1)
    with pytest.raises(ModelLoadError, match=r"vivid.*head\.weight"):
        build_from_state_dict(get_arch("vivid"), state, {"width": 8, "global_dim": 8})


def test_pth_import_detects_architecture_and_registers_user_model(tmp_path, isolated_user_dir):
    torch.manual_seed(0)
    net = DenseAutoencoder(latent=16).eval()
    path = tmp_path / "released.pth"
    torch.save({"state_dict": {f"module.{k}": v for k, v in net.state_dict().items()}}, path)
    entry = import_weights(path, name="my-ae")
    assert entry.spec.name == "seed004a-dense-ae"
    assert entry.weights.suffix == ".safetensors"
    names = {e.name: e for e in list_models()}
    assert names["my-ae"].source == "user"
    reloaded = load_network(names["my-ae"])
    x = torch.rand(1, 1, 64, 64)
    with torch.no_grad():
        assert torch.equal(reloaded(x), net(x))


def test_models_without_weights_say_how_to_get_them(tiny_weights_dir):
    entry = find_model("eccv16")
    assert not entry.ready
    with pytest.raises(ModelLoadError, match="import-weights"):
        load_network(entry)


def test_default_is_flagship_when_present(tiny_weights_dir):
    from restorer.models.zoo import default_model_name

    assert default_model_name() == "vivid"
    (tiny_weights_dir / "vivid.json").unlink()
    assert default_model_name() == "seed004a-dense-ae"


def test_broken_card_does_not_hide_other_models(tiny_weights_dir):
    (tiny_weights_dir / "junk.json").write_text("{not json")
    (tiny_weights_dir / "other.json").write_text(json.dumps({"name": "other", "arch": "nope"}))
    assert find_model("vivid").ready


def test_the_first_bytes_decide_the_loader(tmp_path):
    from restorer.models.weights import weights_format

    save_model(VividNet(width=8, global_dim=8), ModelCard(name="v", arch="vivid"), tmp_path)
    native = tmp_path / "v.safetensors"
    renamed = tmp_path / "v.pth"  # a safetensors file under a .pth name
    renamed.write_bytes(native.read_bytes())
    torch.save(load_state_dict(native), tmp_path / "v.pt")
    assert [weights_format(p) for p in (native, renamed, tmp_path / "v.pt")] == ["safetensors", "safetensors", "pytorch"]
    assert load_state_dict(renamed).keys() == load_state_dict(tmp_path / "v.pt").keys() == load_state_dict(native).keys()
    text = tmp_path / "notes.safetensors"
    text.write_text("not weights at all\n")
    with pytest.raises(ModelLoadError, match=r"^notes\.safetensors is not a PyTorch checkpoint / safetensors file\.$"):
        load_state_dict(text)
    with pytest.raises(ModelLoadError, match="not a PyTorch checkpoint"):
        load_pth(native)  # load_pth reads checkpoints only


def test_a_users_old_fine_tune_is_labelled_as_theirs_not_as_the_flagship(tiny_weights_dir):
    from restorer.core.paths import user_models_dir

    flagship = find_model("vivid").title
    save_model(VividNet(width=8, global_dim=8).eval(),
               ModelCard(name="family", arch="vivid", hparams={"width": 8, "global_dim": 8},
                         title=f"{get_arch('vivid').title}: family"), user_models_dir())
    entry = find_model("family")
    assert entry.title == "family (yours: vivid)" and find_model("vivid").title == flagship
