"""A photo saved by the app is the file `restorer colorize` writes for the same model and settings."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from restorer.cli.main import main
from restorer.gui.session import DONE
from restorer.pipeline.postprocess import Adjustments


@pytest.mark.parametrize("suffix", [".png", ".jpg"])
def test_gui_export_and_cli_output_are_byte_identical(ready_window, qtbot, tmp_path, write_photo, suffix):
    window = ready_window
    photo = tmp_path / "in" / f"scan{suffix}"
    photo.parent.mkdir()
    Image.open(write_photo(tmp_path / "grey.png", height=150, width=210, seed=2)).save(photo, dpi=(300, 300))
    window.picker.render_spin.setValue(96)
    window.session.apply_to_all(Adjustments(saturation=1.4, contrast=1.1, equalize="clahe", equalize_strength=0.5))
    window.add_paths([photo])
    qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=5000)
    window.run_queue()
    qtbot.waitUntil(lambda: window.session.queue.count(DONE) == 1 and not window.session.running, timeout=30000)
    with qtbot.waitSignal(window.exporter.finished, timeout=20000):
        window.export_all(tmp_path / "gui")

    code = main(["colorize", str(photo), "-o", str(tmp_path / "cli"), "--render-size", "96", "--device", "cpu",
                 "--saturation", "1.4", "--contrast", "1.1", "--equalize", "clahe", "--equalize-strength", "0.5"])
    assert code == 0
    gui_file = tmp_path / "gui" / f"scan_colorized{suffix}"
    cli_file = tmp_path / "cli" / f"scan_colorized{suffix}"
    gui_pixels = np.asarray(Image.open(gui_file).convert("RGB"))
    assert np.abs(gui_pixels.astype(int) - 128).max() > 10  # a real photo, not a blank
    assert gui_file.read_bytes() == cli_file.read_bytes()
