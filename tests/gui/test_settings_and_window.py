"""Settings survive a restart; the window's pickers, menus and lifecycle."""

from __future__ import annotations

import sys

import pytest

from restorer.gui.main_window import MainWindow


def open_window(qtbot, make_settings) -> MainWindow:
    win = MainWindow(make_settings())
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.picker.loaded, timeout=20000)
    return win


def test_settings_persist_across_two_windows(tiny_model, qtbot, make_settings, tmp_path):
    from restorer.pipeline.postprocess import Adjustments

    first = open_window(qtbot, make_settings)
    first.splitter.setSizes([200, 500, 400])
    saved_sizes = first.splitter.sizes()
    saved_size = first.size()
    first.picker.render_spin.setValue(96)
    first.picker.device_combo.setCurrentIndex(first.picker.device_combo.findData("cpu", 257))
    first.compare.set_mode("side")
    first.output.set_folder(tmp_path / "results")
    first.output.set_format("png")
    first.session.apply_to_all(Adjustments(brightness=0.25, equalize="clahe"))
    first.add_paths([tmp_path])  # goes to the recent list
    qtbot.waitUntil(lambda: first.importer.pending == 0, timeout=5000)
    first.close()
    assert not first.runner.busy

    second = open_window(qtbot, make_settings)
    try:
        assert second.picker.model_name() == "vivid"
        assert second.picker.device() == "cpu"
        assert second.picker.render_size() == 96
        assert second.splitter.sizes() == saved_sizes
        assert second.compare.mode == "side" and second.actions.side.isChecked()
        assert second.output.folder() == str(tmp_path / "results")
        assert second.output.options().ext == ".png"
        restored = second.adjust.adjustments()
        assert restored.brightness == pytest.approx(0.25) and restored.equalize == "clahe"
        assert second.settings.recent_files()[0] == str(tmp_path)
        assert second.recent_menu.actions()[0].toolTip() == str(tmp_path)
        assert second.size() == saved_size
    finally:
        second.shutdown()


def test_weightless_architectures_are_listed_but_disabled(ready_window):
    combo = ready_window.picker.model_combo
    store = combo.model()
    rows = {combo.itemData(row, 257): store.item(row) for row in range(combo.count())}
    assert rows["vivid"].isEnabled()
    assert not rows["eccv16"].isEnabled()
    assert "import-weights" in rows["eccv16"].toolTip()
    assert "parameters" in ready_window.picker.info.text()


def test_unavailable_devices_are_disabled_with_the_reason(ready_window):
    combo = ready_window.picker.device_combo
    reasons = {combo.itemData(row, 257): combo.model().item(row) for row in range(combo.count())}
    assert reasons["cpu"].isEnabled()
    for key, item in reasons.items():
        if not item.isEnabled():
            assert item.toolTip() and item.text().startswith(f"{item.text().split(':')[0]}: ")  # says why


def test_changing_the_model_resets_the_render_size(ready_window):
    picker = ready_window.picker
    picker.render_spin.setValue(512)
    picker._use_model_render_size()
    assert picker.render_size() == picker.model_info().render_size


def test_tools_menu_offers_the_training_wizard(window):
    tools = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Tools")
    assert window.actions.train in tools.actions()


def test_the_window_modules_do_not_import_torch():
    """torch loads on the runner thread only, so the window opens fast."""
    import subprocess

    code = ("import sys; import restorer.gui.app, restorer.gui.main_window; "
            "sys.exit('torch' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], timeout=60).returncode == 0


def test_tools_menu_opens_the_training_wizard(window, qtbot):
    window.actions.train.trigger()
    assert window._wizard is not None and window._wizard.isVisible()
    assert type(window._wizard).__name__ == "TrainingWizard"


def test_a_trained_model_is_used_only_when_it_beat_its_base(ready_window, qtbot):
    """The wizard's model_created only lists the new model; model_recommended (it got better) selects it."""
    pytest.importorskip("restorer.gui.training_wizard")
    from restorer.core.paths import user_models_dir
    from restorer.models.vivid import VividNet
    from restorer.models.weights import ModelCard, save_model

    save_model(VividNet(width=8, global_dim=8).eval(),  # stands for the model the wizard saved
               ModelCard(name="mine", arch="vivid", hparams={"width": 8, "global_dim": 8}), user_models_dir())
    ready_window.actions.train.trigger()
    wizard = ready_window._wizard
    wizard.model_created.emit("mine")
    qtbot.waitUntil(lambda: "mine" in ready_window.picker._models, timeout=20000)
    assert ready_window.picker.model_name() == "vivid" and ready_window.settings.model() != "mine"
    wizard.model_recommended.emit("mine")
    qtbot.waitUntil(lambda: ready_window.picker.model_name() == "mine", timeout=20000)
    assert ready_window.settings.model() == "mine"


def test_restorer_gui_main_opens_the_window_queues_arguments_and_quits(qtbot, tmp_path, write_photo, monkeypatch):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from restorer.gui import app as app_module

    photo = write_photo(tmp_path / "start.png")
    seen = {}
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # main() installs its own; undone after

    def close_when_queued():
        window = next(w for w in QApplication.topLevelWidgets() if type(w).__name__ == "MainWindow" and w.isVisible())
        qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=5000)
        seen["title"] = window.windowTitle()
        seen["queued"] = window.session.queue.items()[0].name
        window.close()

    QTimer.singleShot(0, close_when_queued)
    assert app_module.main([str(photo)]) == 0
    assert seen == {"title": "Restorer", "queued": "start.png"}
