"""GUI test fixtures: offscreen Qt, isolated QSettings, a tiny real model, generated photos,
and a guard that fails any test leaving a thread running."""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before any Qt import

import threading  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402
import pytest  # noqa: E402

pytest.importorskip("pytestqt")

from PySide6.QtCore import QSettings  # noqa: E402


@pytest.fixture(autouse=True)
def isolated_qsettings(tmp_path_factory):
    """Default QSettings (organization/app scope) go to a temporary folder, never the user's."""
    folder = tmp_path_factory.mktemp("qsettings")
    for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
        QSettings.setPath(QSettings.Format.IniFormat, scope, str(folder))
        QSettings.setPath(QSettings.Format.NativeFormat, scope, str(folder))
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    return folder


@pytest.fixture(autouse=True)
def no_threads_left(request):
    """Fail a test that leaves a GUI thread, a busy pool or a new Python thread running."""
    before = set(threading.enumerate())
    yield
    from restorer.gui.workers import running_threads

    deadline = time.monotonic() + 2.0
    while True:
        leftover = running_threads()
        leftover += [t.name for t in threading.enumerate() if t not in before and t.is_alive() and not t.daemon]
        if not leftover or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert not leftover, f"{request.node.name} left threads running: {leftover}"


@pytest.fixture
def settings_file(tmp_path):
    return tmp_path / "restorer-settings.ini"


@pytest.fixture
def make_settings(settings_file):
    from restorer.gui.settings import Settings

    def factory() -> Settings:
        return Settings(QSettings(str(settings_file), QSettings.Format.IniFormat))

    return factory


@pytest.fixture
def tiny_model(tmp_path_factory, monkeypatch):
    """A tiny random-weight flagship written with the real weights code, used as 'bundled'."""
    import torch

    from restorer.models.vivid import VividNet
    from restorer.models.weights import ModelCard, save_model

    torch.manual_seed(0)
    weights = tmp_path_factory.mktemp("weights")
    user = tmp_path_factory.mktemp("user")
    net = VividNet(width=8, global_dim=8).eval()
    save_model(net, ModelCard(name="vivid", arch="vivid", hparams={"width": 8, "global_dim": 8}), weights)
    monkeypatch.setenv("RESTORER_WEIGHTS_DIR", str(weights))
    monkeypatch.setenv("RESTORER_USER_DIR", str(user))
    return weights


def grey_photo(height: int = 60, width: int = 80, seed: int = 0) -> np.ndarray:
    """A black-and-white scene: gradient sky, a bright disc, darker ground, a little noise."""
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[:height, :width].astype(np.float32)
    image = 0.35 + 0.45 * (1 - yy / height)
    image[yy > height * 0.6] = 0.25
    disc = (yy - height * 0.4) ** 2 + (xx - width * (0.3 + 0.05 * seed)) ** 2 < (height * 0.18) ** 2
    image[disc] = 0.9
    image += rng.normal(0, 0.02, image.shape)
    grey = (np.clip(image, 0, 1) * 255).astype(np.uint8)
    return np.repeat(grey[..., None], 3, axis=2)


@pytest.fixture
def write_photo():
    from PIL import Image

    def write(path, height: int = 60, width: int = 80, seed: int = 0):
        path.parent.mkdir(parents=True, exist_ok=True)
        Image.fromarray(grey_photo(height, width, seed)).save(path)
        return path

    return write


@pytest.fixture
def window(qtbot, make_settings):
    """The main window over isolated settings; shut down (threads joined) after the test."""
    from restorer.gui.main_window import MainWindow

    win = MainWindow(make_settings())
    qtbot.addWidget(win)
    win.show()
    yield win
    win.shutdown()


@pytest.fixture
def ready_window(tiny_model, window, qtbot):
    """The main window once the model catalogue (with the tiny flagship) has loaded."""
    qtbot.waitUntil(lambda: window.picker.loaded, timeout=20000)
    assert window.picker.model_name() == "vivid"
    return window
