"""Help > About: version, licences and every model's card, offscreen."""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"

import subprocess  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

import restorer  # noqa: E402
from restorer.gui.about_dialog import AboutDialog  # noqa: E402
from restorer.gui.about_info import BUNDLED_COMPONENTS, model_card_rows  # noqa: E402
from restorer.gui.icons import app_icon_path  # noqa: E402
from restorer.models.zoo import list_models  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def dialog(qtbot, tiny_weights_dir):
    about = AboutDialog()
    qtbot.addWidget(about)
    about.show()
    return about


def test_header_shows_version_and_icon(dialog):
    assert dialog.version_label.text() == f"Version {restorer.__version__}"
    assert restorer.__version__ in dialog.system_info_text()
    assert app_icon_path() is not None and not dialog.icon_label.pixmap().isNull()


def test_every_model_name_appears_with_its_card(dialog, qtbot):
    dialog.tabs.setCurrentWidget(dialog.models_tab)
    expected = [entry.name for entry in list_models()]
    assert expected and dialog.model_names() == expected
    card = dialog.model_card_html("vivid")
    for field in ("Architecture", "Paper", "Training data", "Metrics", "bundled with Restorer"):
        assert field in card
    dialog.model_list.setCurrentRow(len(expected) - 1)
    assert expected[-1] in dialog.model_card.toPlainText()


def test_card_rows_cover_architecture_only_entries(tiny_weights_dir):
    entry = next(entry for entry in list_models() if not entry.ready)
    rows = dict(model_card_rows(entry))
    assert rows["Training data"] == "no weights installed" and rows["Metrics"] == "not measured"
    assert rows["Paper"] == entry.spec.paper


def test_licence_table_lists_bundled_components(dialog):
    rows = {name.strip(): licence for name, _version, licence in dialog.licence_rows()}
    assert len(rows) == len(BUNDLED_COMPONENTS)
    assert rows["Qt 6 (via PySide6)"].startswith("LGPL-3.0")
    assert rows["PyTorch"] == "BSD-3-Clause" and rows["NumPy"] == "BSD-3-Clause"
    assert rows["OpenCV (opencv-python-headless)"] == "Apache-2.0"
    assert rows["Pillow"] == "MIT-CMU (HPND)" and rows["qtawesome"] == "MIT"
    assert "SIL OFL 1.1" in rows["Font Awesome Free font"]
    assert rows["tqdm"] == "MPL-2.0 AND MIT" and rows["safetensors"] == "Apache-2.0"


def test_torch_versions_appear_once_torch_is_loaded(dialog):
    import torch

    dialog.load_models()
    assert dialog.info_labels["PyTorch"].text().startswith(torch.__version__)
    assert "CPU" in dialog.info_labels["Compute devices"].text()


def test_opening_about_does_not_import_torch(tmp_path):
    code = (
        "import sys\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "from restorer.gui.about_dialog import AboutDialog\n"
        "dialog = AboutDialog()\n"
        "print('torch' in sys.modules, '|', dialog.info_labels['PyTorch'].text())\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=tmp_path,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False | not loaded yet"
