"""Regenerate the main window's screenshots in docs/screenshots/ (runs offscreen, no display needed).

    python docs/make_screenshots.py

Demo photos are scikit-image's bundled sample images turned black-and-white. The network is the
bundled flagship when ``weights/vivid.safetensors`` exists, else a tiny random-weight stand-in
(its colours are then meaningless; the screenshots still show the interface). Nothing here
touches your own settings or models: everything lives in a temporary folder.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"
SIZE = (1440, 900)
SAMPLES = {  # file name -> scikit-image sample
    "Grandpa's cat.jpg": "chelsea",
    "Coffee break, 1962.jpg": "coffee",
    "Launch day.jpg": "rocket",
    "Portrait.jpg": "astronaut",
    "Photographer.png": "camera",
    "Coins.png": "coins",
    "Cat in the garden.jpg": "cat",
    "Moon.png": "moon",
}


def prepare_model(work: Path) -> str:
    """Use the bundled flagship if present, else write a tiny one; returns a description."""
    if (ROOT / "weights" / "vivid.safetensors").is_file():
        return "bundled weights/vivid.safetensors"
    import torch

    from restorer.models.vivid import VividNet
    from restorer.models.weights import ModelCard, save_model

    torch.manual_seed(0)
    folder = work / "weights"
    card = ModelCard(name="vivid", arch="vivid", hparams={"width": 8, "global_dim": 8},
                     title="Vivid (demo stand-in)", description="Tiny random-weight stand-in for screenshots.")
    save_model(VividNet(width=8, global_dim=8).eval(), card, folder)
    os.environ["RESTORER_WEIGHTS_DIR"] = str(folder)
    return "tiny random-weight stand-in (no weights/vivid.safetensors)"


def write_demo_photos(folder: Path) -> list[Path]:
    import numpy as np
    import skimage.data
    from PIL import Image

    paths = []
    for index, (name, sample) in enumerate(SAMPLES.items()):
        pixels = getattr(skimage.data, sample)()
        grey = Image.fromarray(np.asarray(pixels)).convert("L")
        target = folder / ("1960s" if index >= 4 else "") / name
        target.parent.mkdir(parents=True, exist_ok=True)
        grey.save(target, quality=92) if target.suffix == ".jpg" else grey.save(target)
        paths.append(target)
    (folder / "index.txt").write_text("scanned album\n")  # a non-image: reported as skipped
    return paths


def wait_until(app, condition, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the window did not get there in time")
        app.processEvents()
        time.sleep(0.01)
    app.processEvents()


def settle(app, seconds: float = 0.3) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)


def shoot(window, name: str) -> Path:
    path = OUT / name
    window.grab().save(str(path))
    print("wrote", path.relative_to(ROOT))
    return path


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="restorer-shots-"))
    os.environ["RESTORER_USER_DIR"] = str(work / "user")
    print("model:", prepare_model(work))
    album = work / "Family album"
    write_demo_photos(album)
    OUT.mkdir(parents=True, exist_ok=True)

    from PySide6.QtCore import QSettings

    from restorer.gui.app import create_app
    from restorer.gui.main_window import MainWindow
    from restorer.gui.settings import Settings

    app = create_app([sys.argv[0]])
    window = MainWindow(Settings(QSettings(str(work / "settings.ini"), QSettings.Format.IniFormat)))
    window.resize(*SIZE)
    window.splitter.setSizes([380, 690, 370])
    window.show()
    try:
        take_all(app, window, album, work)
    finally:
        window.shutdown()
    return 0


def take_all(app, window, album: Path, work: Path) -> None:
    wait_until(app, lambda: window.picker.loaded)
    window.message_bar.dismiss()
    settle(app)
    shoot(window, "main_empty.png")

    window.add_paths([album])
    wait_until(app, lambda: window.model.rowCount() == len(SAMPLES))
    window.run_queue()
    wait_until(app, lambda: window.session.queue.count("done") >= 3)
    window.queue_panel.view.clearSelection()
    settle(app, 0.05)
    shoot(window, "main_queue_running.png")
    wait_until(app, lambda: not window.session.running)

    portrait = next(item for item in window.session.queue.items() if item.name == "Portrait.jpg")
    window.queue_panel.select_id(portrait.id)
    wait_until(app, lambda: window.display.item_id == portrait.id and window.compare.has_result)
    window.message_bar.dismiss()
    window.compare.set_split_fraction(0.45)
    settle(app)
    shoot(window, "main_compare_split.png")

    cat = next(item for item in window.session.queue.items() if item.name == "Grandpa's cat.jpg")
    window.queue_panel.select_id(cat.id)
    wait_until(app, lambda: window.display.item_id == cat.id and window.compare.has_result)
    window.compare.set_mode("side")
    settle(app)
    window.compare.set_zoom(window.compare.zoom * 1.6)
    settle(app)
    shoot(window, "main_side_by_side.png")

    window.compare.set_mode("split")
    window.compare.fit()
    window.compare.set_split_fraction(0.5)
    for key, value in (("saturation", 1.6), ("temperature", 0.25), ("contrast", 1.15), ("sharpen_amount", 0.6)):
        window.adjust.set_value(key, value)
    window.adjust.set_value("equalize", "clahe")
    window.adjust.flush()
    before = window.compare.after_array()
    wait_until(app, lambda: window.compare.after_array() is not before)
    settle(app)
    shoot(window, "main_adjust_panel.png")
    shoot_hint_tool(app, window)
    shoot_recolorized(app, window)


HINTS = ((0.33, 0.50, "#2f5fb0", 0.02), (0.08, 0.30, "#9a6a3a", 0.03), (0.88, 0.25, "#9a6a3a", 0.03),
         (0.30, 0.85, "#9a6a3a", 0.02))


def shoot_hint_tool(app, window) -> None:
    """The hint tool on the coffee photo: three hints placed, one selected with its suggestions."""
    coffee = next(item for item in window.session.queue.items() if item.name.startswith("Coffee"))
    window.queue_panel.select_id(coffee.id)
    wait_until(app, lambda: window.display.item_id == coffee.id and window.compare.has_result)
    window.compare.set_split_fraction(0.0)
    window.hint_panel.toggle.setChecked(True)
    for x, y, colour, radius in HINTS:
        window.hints.place(x, y, radius)
        window.hints.recolour_selected(colour)
    window.hints.edits.select(0)
    wait_until(app, lambda: window.hint_panel.swatches[-1].isEnabled() and not window.hints.previewer.busy)
    window.message_bar.dismiss()
    settle(app, 0.5)
    shoot(window, "hint_tool.png")


def shoot_recolorized(app, window, model: str = "seed002-fusion") -> None:
    """Another model picked with a colorized photo on screen: that photo is colorized again at once
    (its label names the model), the others keep theirs until Re-colorize All."""
    window.hint_panel.toggle.setChecked(False)
    portrait = next(item for item in window.session.queue.items() if item.name == "Portrait.jpg")
    window.queue_panel.select_id(portrait.id)
    wait_until(app, lambda: window.display.item_id == portrait.id and window.compare.has_result)
    combo = window.picker.model_combo
    index = combo.findData(model, 257)
    if index < 0:  # the tiny stand-in catalogue has no second model: leave this shot out
        return
    combo.setCurrentIndex(index)
    wait_until(app, lambda: portrait.made_with is not None and portrait.made_with.model == model
               and not window.session.running, timeout=120)
    wait_until(app, lambda: window.compare.after_label.startswith(f"Colorized · {model}"))
    window.compare.set_split_fraction(0.45)
    window.message_bar.dismiss()
    settle(app, 0.5)
    shoot(window, "main_recolorized.png")


if __name__ == "__main__":
    sys.exit(main())
