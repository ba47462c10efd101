"""Shared fixtures: an isolated user folder, a tiny trained-looking flagship, generated photos."""

from __future__ import annotations

import os

import pytest

from tests.helpers import save_tiny_detector, synthetic_photo

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def isolated_user_dir(tmp_path_factory, monkeypatch):
    """Every test gets its own user-data folder; nothing touches the real one."""
    user = tmp_path_factory.mktemp("user")
    monkeypatch.setenv("RESTORER_USER_DIR", str(user))
    return user


@pytest.fixture
def tiny_weights_dir(tmp_path, monkeypatch):
    """A weights folder holding a tiny random-weight flagship and seed-004a model, used as 'bundled'."""
    import torch

    from restorer.models.seed004a_dense_ae import DenseAutoencoder
    from restorer.models.vivid import VividNet
    from restorer.models.weights import ModelCard, save_model

    torch.manual_seed(0)
    folder = tmp_path / "weights"
    save_model(VividNet(width=8, global_dim=8).eval(),
               ModelCard(name="vivid", arch="vivid", hparams={"width": 8, "global_dim": 8}, render_size=64), folder)
    save_model(DenseAutoencoder(latent=16).eval(),
               ModelCard(name="seed004a-dense-ae", arch="seed004a-dense-ae", hparams={"latent": 16}), folder)
    monkeypatch.setenv("RESTORER_WEIGHTS_DIR", str(folder))
    return folder


@pytest.fixture
def tiny_detector(tiny_weights_dir):
    """A tiny random-weight damage detector beside the tiny colorizers in the 'bundled' folder."""
    return save_tiny_detector(tiny_weights_dir)


@pytest.fixture
def photo_folder(tmp_path):
    """Eight small colour JPEGs (and one grey one) in a nested folder."""
    from PIL import Image

    folder = tmp_path / "photos"
    (folder / "sub").mkdir(parents=True)
    for index in range(8):
        target = folder / ("sub" if index % 2 else "") / f"photo_{index}.jpg"
        Image.fromarray(synthetic_photo(80 + index * 4, 100, seed=index)).save(target, quality=92)
    Image.fromarray(synthetic_photo(64, 64)[..., 0]).convert("RGB").save(folder / "grey.png")
    return folder


@pytest.fixture
def hint_model(tmp_path, monkeypatch):
    """The installed default model is a network that follows colour hints exactly (tests/hint_network.py)."""
    from tests.hint_network import install_hint_echo

    return install_hint_echo(tmp_path / "hint-weights", monkeypatch)
