"""What a new user tripped on in the main window (issue 19): re-colorizing with another model, the
queue's right-click menu, undoing Clear Finished, queue names, the stop and save lines, the running
status cell, the side panel at 1366 x 768, the output folder dialog, the model picker at start-up,
the CUDA entry's reason and importing weights."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QFileDialog, QGroupBox, QScrollArea

from restorer.gui.queue_model import NAME
from restorer.gui.session import DONE, RUNNING


@pytest.fixture
def second_model(tiny_model):
    """A second tiny flagship, ``vivid-b`` (other random weights), beside the fixture's ``vivid``."""
    import torch

    from restorer.models.vivid import VividNet
    from restorer.models.weights import ModelCard, save_model

    torch.manual_seed(1)
    card = ModelCard(name="vivid-b", arch="vivid", hparams={"width": 8, "global_dim": 8}, title="Vivid B")
    save_model(VividNet(width=8, global_dim=8).eval(), card, tiny_model)
    return "vivid-b"


def run_photos(window, qtbot, paths) -> list:
    window.add_paths(paths)
    qtbot.waitUntil(lambda: window.model.rowCount() == len(paths), timeout=5000)
    window.run_queue()
    qtbot.waitUntil(lambda: window.session.queue.count(DONE) == len(paths) and not window.session.running,
                    timeout=30000)
    return window.session.queue.items()


def choose_model(window, name: str) -> None:
    combo = window.picker.model_combo
    combo.setCurrentIndex(combo.findData(name, 257))


def test_a_new_model_recolorizes_the_photo_on_screen_and_the_rest_on_request(second_model, ready_window, qtbot,
                                                                             tmp_path, write_photo):
    window = ready_window
    first, second = run_photos(window, qtbot, [write_photo(tmp_path / f"p{i}.png", seed=i) for i in range(2)])
    window.queue_panel.select_id(first.id)
    qtbot.waitUntil(lambda: window.compare.after_label == "Colorized · vivid", timeout=10000)
    assert not window.actions.recolorize_all.isEnabled()

    choose_model(window, second_model)
    qtbot.waitUntil(lambda: first.made_with is not None and first.made_with.model == "vivid-b"
                    and not window.session.running, timeout=30000)
    assert first.result.model == "vivid-b" and second.result.model == "vivid"  # the rest waits
    qtbot.waitUntil(lambda: window.compare.after_label == "Colorized · vivid-b", timeout=10000)
    assert window.display.item_id == first.id  # the view stayed on the photo

    assert window.actions.recolorize_all.isEnabled()
    assert window.actions.recolorize_all.text().replace("&", "") == "Re-colorize All with vivid-b"
    window.actions.recolorize_all.trigger()
    qtbot.waitUntil(lambda: second.result.model == "vivid-b" and not window.session.running, timeout=30000)
    assert "Re-colorized 1 photo with vivid-b." in window.message_bar.text()
    assert not window.actions.recolorize_all.isEnabled()


def test_recolorize_selected_and_the_right_click_menu(second_model, ready_window, qtbot, tmp_path, write_photo):
    window = ready_window
    items = run_photos(window, qtbot, [write_photo(tmp_path / f"r{i}.png", seed=i) for i in range(2)])
    window.queue_panel.select_id(items[1].id)
    menu = window.queue_menu(items[1].id)
    texts = [action.text().replace("&", "") for action in menu.actions() if not action.isSeparator()]
    assert texts[0] == "Re-colorize Selected with vivid"
    assert {"Save", "Save As…", "Show in Folder", "Remove From Queue"} <= set(texts)
    assert window.queue_menu(None).actions()  # empty space: open photos, undo a clear
    menu.deleteLater()

    choose_model(window, second_model)
    window._preview_timer.stop()  # no automatic preview here: the menu's command does it
    window.actions.recolorize_selected.trigger()
    qtbot.waitUntil(lambda: items[1].result.model == "vivid-b" and not window.session.running, timeout=30000)
    assert items[0].result.model == "vivid"


def test_clear_finished_can_be_undone_from_the_message(ready_window, qtbot, tmp_path, write_photo):
    from restorer.pipeline.postprocess import Adjustments

    window = ready_window
    item = run_photos(window, qtbot, [write_photo(tmp_path / "c.png")])[0]
    window.session.set_adjustments(item.id, Adjustments(saturation=1.5))
    window.actions.clear_done.trigger()
    assert window.model.rowCount() == 0
    bar = window.message_bar
    assert bar.level == "warning" and "1 of them not saved" in bar.text()
    assert bar.action_button.isVisible() and bar.action_button.text() == "Undo"
    assert window.actions.undo_clear.isEnabled()
    bar.action_button.click()
    assert window.model.rowCount() == 1 and window.session.queue.items()[0] is item
    assert item.result is not None and item.adjustments.saturation == 1.5
    assert not window.actions.undo_clear.isEnabled()


def test_queue_names_elide_at_the_end_with_the_full_path_and_a_resizable_column(window, qtbot, tmp_path,
                                                                                write_photo):
    photo = write_photo(tmp_path / "urban_street_scene_1962_winter_number_one.png")
    window.add_paths([photo])
    qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=5000)
    view = window.queue_panel.view
    assert view.textElideMode() == Qt.TextElideMode.ElideRight
    assert window.model.index(0, NAME).data(Qt.ItemDataRole.ToolTipRole) == str(photo)
    header = view.horizontalHeader()
    assert header.sectionResizeMode(NAME) == header.ResizeMode.Interactive
    view.resize(view.width() + 80, view.height())  # names take the spare width until the user sets one
    qtbot.waitUntil(lambda: header.sectionSize(NAME) > view.viewport().width() - 200, timeout=2000)
    window.save_settings()
    assert window.settings.header_state("queue") is None
    header.resizeSection(NAME, 260)  # the user drags the column's edge
    assert not view.names_follow_width
    window.save_settings()
    header.resizeSection(NAME, 100)
    assert view.restore_columns(window.settings.header_state("queue")) and header.sectionSize(NAME) == 260


def test_the_running_status_writes_its_stage_beside_the_bar_not_under_it(window, qtbot, tmp_path, write_photo):
    from restorer.gui.queue_panel import status_rects

    text, bar = status_rects(QRect(0, 0, 104, 56), 16)
    assert not text.intersects(bar) and bar.height() >= 4 and QRect(0, 0, 104, 56).contains(bar)
    window.add_paths([write_photo(tmp_path / "s.png")])
    qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=5000)
    item = window.session.queue.items()[0]
    window.session.queue.set_status(item.id, RUNNING, progress=0.4, stage="Colorizing")
    assert not window.queue_panel.view.grab().isNull()  # paints without error


def test_save_as_names_the_folder_it_saved_to(ready_window, qtbot, tmp_path, write_photo, monkeypatch):
    window = ready_window
    run_photos(window, qtbot, [write_photo(tmp_path / "album" / "s.png")])
    window.output.set_folder(tmp_path / "usual")
    chosen = tmp_path / "elsewhere" / "mine.png"
    chosen.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kwargs: (str(chosen), ""))
    with qtbot.waitSignal(window.exporter.finished, timeout=20000):
        window.save_as()
    assert chosen.is_file()
    assert window.message_bar.text() == f"Saved mine.png to {chosen.parent}."


def test_stop_says_how_far_the_batch_got(ready_window, qtbot, tmp_path, write_photo):
    window = ready_window
    photos = [write_photo(tmp_path / "many" / f"s{i:02d}.png", height=120, width=160, seed=i % 5) for i in range(8)]
    window.add_paths(photos)
    qtbot.waitUntil(lambda: window.model.rowCount() == 8, timeout=5000)
    window.run_queue()
    qtbot.waitUntil(lambda: window.session.queue.count(DONE) >= 1, timeout=30000)
    window.actions.cancel_all.trigger()
    done = window.session.queue.count(DONE)
    assert re.fullmatch(rf"Stopped: {done} of 8 photos colorized; {8 - done} still queued \(Run goes on from "
                        r"there\)\.", window.message_bar.text())
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=5000)


def test_the_side_panel_reaches_the_output_section_at_1366_by_768(ready_window, qtbot):
    window = ready_window
    window.resize(1366, 768)
    qtbot.wait(50)
    assert window.width() <= 1366 and window.height() <= 768  # nothing forces a larger window
    scroll = window.findChild(QScrollArea, "sidePanel")
    output = next(box for box in scroll.widget().findChildren(QGroupBox) if box.title() == "Output")
    scroll.ensureWidgetVisible(output)
    qtbot.wait(50)
    top_left = output.mapTo(scroll.viewport(), output.rect().topLeft())
    assert scroll.viewport().rect().contains(QRect(top_left, output.size()))
    assert output.width() <= scroll.viewport().width()  # nothing cut at the right either


def test_the_output_folder_dialog_opens_at_the_last_folder(window, tmp_path, monkeypatch, make_settings, qtbot):
    from restorer.gui.main_window import MainWindow

    asked = []
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda _parent, _title, start: asked.append(start) or "")
    window.output.set_folder(tmp_path / "results")
    window.output.set_folder("")  # back to "beside each original"
    window.output.choose_folder()
    assert asked[-1] == str(tmp_path / "results")
    window.shutdown()
    again = MainWindow(make_settings())
    qtbot.addWidget(again)
    try:
        again.output.choose_folder()
        assert asked[-1] == str(tmp_path / "results")
    finally:
        again.shutdown()


def test_the_model_picker_starts_as_it_was_left_without_placeholders(tiny_model, qtbot, make_settings):
    from restorer.gui.main_window import MainWindow

    first = MainWindow(make_settings())
    qtbot.addWidget(first)
    assert first.picker.render_spin.text() == "\u2014"  # first start: a dash, never "32 px"
    assert "Loading" not in first.picker.model_combo.currentText()
    qtbot.waitUntil(lambda: first.picker.loaded, timeout=20000)
    shown = (first.picker.model_combo.currentText(), first.picker.render_spin.text(), first.picker.info.text())
    first.shutdown()

    second = MainWindow(make_settings())
    qtbot.addWidget(second)
    try:
        assert not second.picker.loaded  # the catalogue is still loading...
        assert (second.picker.model_combo.currentText(), second.picker.render_spin.text(),
                second.picker.info.text()) == shown  # ...and the panel already looks as it will
        qtbot.waitUntil(lambda: second.picker.loaded, timeout=20000)
        assert second.picker.model_combo.currentText() == shown[0]
    finally:
        second.shutdown()


def test_the_cuda_entry_says_why_it_is_unavailable(qtbot, monkeypatch):
    import torch

    from restorer.core.device import list_devices
    from restorer.gui.catalog import Catalog
    from restorer.gui.model_picker import ModelPicker

    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(torch.version, "cuda", None)
    cuda = next(device for device in list_devices() if device.key == "cuda")
    assert cuda.reason == "this PyTorch is a CPU-only build" and "CUDA build" in cuda.fix
    monkeypatch.setattr(torch.version, "cuda", "12.4")
    assert "driver" in next(d for d in list_devices() if d.key == "cuda").reason

    picker = ModelPicker()
    qtbot.addWidget(picker)
    picker.set_catalog(Catalog([], [cuda]))
    item = picker.device_combo.model().item(0)
    assert item.text() == "NVIDIA GPU (CUDA): this PyTorch is a CPU-only build" and not item.isEnabled()
    assert "CUDA build of torch" in item.toolTip()


def test_weights_are_imported_from_the_gui_as_the_command_line_does(ready_window, qtbot, tmp_path, monkeypatch):
    import torch

    from restorer.gui.import_weights import ImportRequest, ImportWeightsDialog
    from restorer.models.registry import get_arch

    window = ready_window
    offered = []  # the dialog the import button opens, answered "Cancel" at once
    monkeypatch.setattr(ImportWeightsDialog, "exec", lambda dialog: offered.append(dialog.arch_combo.currentData()))
    window.picker.import_button.click()
    weightless = [name for name, _title in window.picker.weightless()]
    assert {"eccv16", "siggraph17"} <= set(weightless)
    assert offered == weightless[:1]  # set for the first model listed without weights
    dialog = ImportWeightsDialog(window.picker.weightless(), preselect="siggraph17")
    qtbot.addWidget(dialog)
    assert dialog.arch_combo.currentData() == "siggraph17" and dialog.request() is None
    assert not dialog.buttons.buttons()[0].isEnabled()

    path = tmp_path / "plain.pth"
    torch.save(get_arch("seed003-plain").build(width=8).state_dict(), path)
    dialog.file_edit.setText(str(path))
    dialog.arch_combo.setCurrentIndex(0)  # detect from the file
    assert dialog.request() == ImportRequest(path, None, None)
    window.start_import(ImportRequest(path, "seed003-plain", "my-plain"))
    qtbot.waitUntil(lambda: window.picker.model_name() == "my-plain", timeout=30000)
    assert "Imported my-plain" in " ".join(text for _, text in window.message_bar.history)
    assert window.picker.model_info().source == "user"
    window.start_import(ImportRequest(tmp_path / "missing.pth", "eccv16", None))
    qtbot.waitUntil(lambda: window.message_bar.level == "error", timeout=20000)
    assert "Could not import missing.pth" in window.message_bar.text()
