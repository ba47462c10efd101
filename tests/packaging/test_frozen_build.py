"""The PyInstaller desktop bundle builds, starts, and colorizes a photo (slow: minutes of CPU).

    .venv/bin/pytest -m slow tests/packaging -q

Builds with packaging/build.sh into a temporary folder. Set RESTORER_FROZEN_APP=/path/to/dist/Restorer
to test a bundle you already built instead. The build's time and size are written to
build/frozen-build-report.json.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tests.helpers import synthetic_photo

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
EXE_SUFFIX = ".exe" if sys.platform.startswith("win") else ""
BUILD_TIMEOUT_S = 3600


def _folder_size(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file() and not path.is_symlink())


@pytest.fixture(scope="module")
def frozen_app(tmp_path_factory) -> Path:
    existing = os.environ.get("RESTORER_FROZEN_APP")
    if existing:
        return Path(existing)
    dist = tmp_path_factory.mktemp("dist")
    work = tmp_path_factory.mktemp("pyinstaller-work")
    started = time.monotonic()
    result = subprocess.run(["bash", str(ROOT / "packaging" / "build.sh"), "--distpath", str(dist),
                             "--workpath", str(work)], cwd=ROOT, capture_output=True, text=True,
                            timeout=BUILD_TIMEOUT_S)
    seconds = time.monotonic() - started
    assert result.returncode == 0, (result.stdout + result.stderr)[-6000:]
    app = dist / "Restorer"
    report = {"build_seconds": round(seconds, 1), "size_mib": round(_folder_size(app) / 2**20, 1),
              "folder": str(app), "build_sh_tail": result.stdout.strip().splitlines()[-4:]}
    (ROOT / "build").mkdir(exist_ok=True)
    (ROOT / "build" / "frozen-build-report.json").write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nfrozen build: {report['build_seconds']} s, {report['size_mib']} MiB at {app}")
    return app


def _run(app: Path, program: str, *args: str, env: dict | None = None, timeout: int = 600):
    exe = app / f"{program}{EXE_SUFFIX}"
    assert exe.is_file(), f"{exe} is missing from the bundle"
    return subprocess.run([str(exe), *args], capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})})


def _clean_env(tmp_path: Path, **extra: str) -> dict:
    """The frozen app's environment: its own user folder, no source-tree weights override."""
    env = {key: value for key, value in os.environ.items() if key not in ("RESTORER_WEIGHTS_DIR", "PYTHONPATH")}
    env["RESTORER_USER_DIR"] = str(tmp_path / "user")
    env.update(extra)
    return env


def test_bundle_layout(frozen_app):
    internal = frozen_app / "_internal"
    for program in ("restorer", "restorer-gui"):
        assert (frozen_app / f"{program}{EXE_SUFFIX}").is_file()
    assert (frozen_app / "install-desktop.sh").is_file()
    assert (internal / "resources" / "linux" / "org.restorer.Restorer.desktop").is_file()
    assert (internal / "resources" / "icons" / "hicolor" / "256x256" / "apps" / "org.restorer.Restorer.png").is_file()
    assert list((internal / "qtawesome" / "fonts").glob("*.ttf")), "qtawesome's icon fonts are not bundled"
    assert list(internal.rglob("libqxcb*")) or sys.platform != "linux", "Qt's xcb platform plugin is missing"
    import torch

    if torch.version.cuda is None:  # a CPU torch must give a bundle without CUDA libraries
        cuda = [p.name for p in internal.rglob("*") if re.match(r"lib(cudart|cublas|cudnn|nccl|nvrtc)|libtorch_cuda",
                                                                 p.name)]
        assert cuda == []


def test_frozen_cli_reports_version(frozen_app, tmp_path):
    import restorer

    result = _run(frozen_app, "restorer", "--version", env=_clean_env(tmp_path), timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"restorer {restorer.__version__}"


def test_frozen_cli_colorizes_a_photo(frozen_app, tmp_path):
    bundled = sorted((frozen_app / "_internal" / "weights").glob("*.safetensors"))
    extra = {}
    if not bundled:  # weights/ had no trained model when the bundle was built: use a tiny one
        import torch

        from restorer.models.vivid import VividNet
        from restorer.models.weights import ModelCard, save_model

        torch.manual_seed(0)
        weights = tmp_path / "weights"
        save_model(VividNet(width=8, global_dim=8).eval(),
                   ModelCard(name="vivid", arch="vivid", hparams={"width": 8, "global_dim": 8}), weights)
        extra["RESTORER_WEIGHTS_DIR"] = str(weights)
    env = _clean_env(tmp_path, **extra)

    photos = tmp_path / "photos"
    photos.mkdir()
    Image.fromarray(synthetic_photo(120, 160, seed=3)).convert("L").save(photos / "grandma.jpg", quality=92)
    out = tmp_path / "out"

    listing = _run(frozen_app, "restorer", "models", env=env, timeout=300)
    assert listing.returncode == 0, listing.stderr
    assert "vivid" in listing.stdout

    result = _run(frozen_app, "restorer", "colorize", str(photos / "grandma.jpg"), "-o", str(out),
                  "--device", "cpu", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 colorized" in result.stdout
    output = out / "grandma_colorized.jpg"
    assert output.is_file()
    pixels = np.asarray(Image.open(output).convert("RGB")).astype(np.float32)
    assert pixels.shape == (120, 160, 3)
    chroma = (pixels.max(axis=-1) - pixels.min(axis=-1)).mean()
    assert chroma > 3.0, f"the frozen app's output is still grey (mean chroma {chroma:.2f})"


def test_frozen_gui_self_test(frozen_app, tmp_path):
    result = _run(frozen_app, "restorer-gui", "--self-test", env=_clean_env(tmp_path, QT_QPA_PLATFORM="offscreen"),
                  timeout=300)
    lines = dict(line.split(": ", 1) for line in result.stdout.splitlines() if ": " in line)
    for check in ("qt", "icon-fonts", "app-icon", "svg-icon", "about", "weights"):
        assert lines.get(check, "").startswith("ok"), result.stdout + result.stderr
    if importlib.util.find_spec("restorer.gui.app") is not None:  # the main window module exists in source
        assert lines.get("gui-app", "").startswith("ok"), result.stdout + result.stderr
        assert result.returncode == 0
