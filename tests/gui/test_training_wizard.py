"""The training wizard driven offscreen: scan counts, names, defaults, a tiny training run, cancel, resume."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

pytest.importorskip("pytestqt")

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl  # noqa: E402
from PySide6.QtGui import QDropEvent  # noqa: E402

from restorer.gui import training_runs  # noqa: E402
from restorer.gui.workers import running_threads  # noqa: E402
from restorer.training.run_folder import RunFolder  # noqa: E402
from restorer.gui.training_plot import nice_ticks  # noqa: E402
from restorer.gui.training_runs import WizardSettings, name_problem, save_run, suggest_name  # noqa: E402
from restorer.gui.training_wizard import FINISH, MODEL, SETTINGS, TRAIN, TrainingWizard  # noqa: E402
from tests.helpers import synthetic_photo  # noqa: E402

GREY = "grayscale (no colour to learn from)"
CORRUPT = "unreadable or corrupt"


@pytest.fixture
def colour_folder(tmp_path):
    """Twelve small colour photos, one grey photo and one corrupt file."""
    from PIL import Image

    folder = tmp_path / "album"
    folder.mkdir()
    for index in range(12):
        photo = synthetic_photo(72 + index * 4, 96, seed=index)
        Image.fromarray(photo).save(folder / f"photo_{index:02d}.jpg", quality=92)
    Image.fromarray(synthetic_photo(80, 80)[..., 1]).convert("RGB").save(folder / "grey.png")
    (folder / "broken.jpg").write_bytes(b"\xff\xd8 not really a jpeg")
    return folder


@pytest.fixture
def wizard(qtbot, tiny_weights_dir, isolated_user_dir):
    """A wizard over an isolated user folder with a tiny 'bundled' flagship to fine-tune."""
    wiz = TrainingWizard(parent=None)
    qtbot.addWidget(wiz)
    wiz.show()
    yield wiz
    wiz.shutdown()
    assert not wiz.training and not wiz.photos_page.scanning


def scanned(wiz, qtbot, folder):
    wiz.photos_page.set_folder(str(folder))
    qtbot.waitUntil(lambda: wiz.photos_page.scan is not None, timeout=15000)
    return wiz.photos_page.scan


def go_to(wiz, page_id):
    while wiz.currentId() < page_id:
        assert wiz.currentPage().isComplete(), f"page {wiz.currentId()} is not complete"
        wiz.next()
    assert wiz.currentId() == page_id


def tiny_run(wiz, name="album-tiny", epochs=1, epoch_size=32):
    """From-scratch dense autoencoder at 64 px: a few CPU steps."""
    page = wiz.model_page
    page.select("", "seed004a-dense-ae")
    page.name.setText(name)
    go_to(wiz, SETTINGS)
    settings = wiz.settings_page
    settings.device.setCurrentIndex(settings.device.findData("cpu"))
    settings.epochs.setValue(epochs)
    settings.epoch_size.setValue(epoch_size)
    settings.batch.setValue(8)
    wiz.config_extra = {"val_count": 4}


def test_scan_counts_usable_and_skipped_photos(wizard, qtbot, colour_folder):
    scan = scanned(wizard, qtbot, colour_folder)
    assert len(scan.photos) == 12 and not scan.paired
    assert scan.skipped_counts() == {GREY: 1, CORRUPT: 1}
    text = wizard.photos_page.result.text()
    assert "<b>12</b> usable" in text and f"1 skipped: {GREY}" in text and f"1 skipped: {CORRUPT}" in text
    assert wizard.photos_page.isComplete()


def test_paired_layout_dropped_folder_and_missing_folder(wizard, qtbot, colour_folder, tmp_path):
    paired = tmp_path / "pairs"
    (paired / "gray").mkdir(parents=True)
    colour_folder.rename(paired / "color")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(paired))])
    event = QDropEvent(QPointF(5, 5), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    wizard.photos_page.dropEvent(event)
    qtbot.waitUntil(lambda: wizard.photos_page.scan is not None, timeout=15000)
    assert wizard.photos_page.folder == str(paired) and wizard.photos_page.scan.paired
    assert "Paired layout detected" in wizard.photos_page.result.text()
    wizard.photos_page.set_folder(str(tmp_path / "nowhere"))
    qtbot.waitUntil(lambda: not wizard.photos_page.error.isHidden(), timeout=5000)
    assert "not found" in wizard.photos_page.error.text() and not wizard.photos_page.isComplete()


def test_model_page_defaults_to_flagship_and_validates_names(wizard, qtbot, colour_folder):
    scanned(wizard, qtbot, colour_folder)
    go_to(wizard, MODEL)
    page = wizard.model_page
    assert page.choice() == (True, "vivid", "vivid")
    assert page.model_name() == "vivid-album" and page.isComplete()
    for bad in ("", "my/model", "vivid", "seed000-cae", "CON", "-dash"):
        page.name.setText(bad)
        assert not page.isComplete() and page.name_error.text(), bad
    page.name.setText("family.v2")
    assert page.isComplete() and not page.name_error.text()
    page.select("", "seed004a-dense-ae")
    assert page.choice() == (False, "seed004a-dense-ae", "seed004a-dense-ae")
    assert suggest_name("vivid", "/x/album", {"vivid-album"}) == "vivid-album-2"
    assert name_problem("ok_name-1", set()) == ""


def test_settings_defaults_follow_the_choice(wizard, qtbot, colour_folder):
    scanned(wizard, qtbot, colour_folder)
    go_to(wizard, SETTINGS)
    settings = wizard.settings_page
    assert settings.lr.value() == pytest.approx(3e-4) and settings.size.isEnabled()
    assert settings.device.count() >= 2 and settings.device_note.text()
    wizard.back()
    wizard.model_page.select("", "seed004a-dense-ae")
    wizard.next()
    assert settings.lr.value() == pytest.approx(1e-3)
    assert settings.size.value() == 64 and not settings.size.isEnabled()
    assert nice_ticks(0.0, 1.0) == pytest.approx([0.0, 0.2, 0.4, 0.6, 0.8, 1.0])


def test_training_run_to_completion_registers_the_model(wizard, qtbot, colour_folder):
    from restorer.models.zoo import list_models

    scanned(wizard, qtbot, colour_folder)
    go_to(wizard, MODEL)
    tiny_run(wizard)
    created = []
    wizard.model_created.connect(created.append)
    steps = []
    with qtbot.waitSignal(wizard.model_created, timeout=60000):
        wizard.next()
        assert wizard.currentId() == TRAIN and wizard.training
        wizard.train_page.thread.yielded.connect(lambda p: steps.append(p.stage))
    qtbot.waitUntil(lambda: not wizard.training, timeout=10000)
    page = wizard.train_page
    assert created == ["album-tiny"] and "train" in steps and "epoch" in steps
    assert page.plot.points("training loss") and len(page.plot.points("validation loss")) == 1
    assert page.previews.count >= 1 and page.table.rowCount() == 1
    assert page.error.isHidden() and page.isComplete()
    entry = next(e for e in list_models() if e.name == "album-tiny")
    assert entry.source == "user" and entry.spec.name == "seed004a-dense-ae"
    wizard.next()
    assert wizard.currentId() == FINISH and "PSNR" in wizard.finish_page.text.text()
    assert not wizard.button(wizard.WizardButton.BackButton).isEnabled()
    assert training_runs.read_run("album-tiny").finished


def test_stop_mid_training_is_clean_and_closing_waits(wizard, qtbot, colour_folder):
    scanned(wizard, qtbot, colour_folder)
    go_to(wizard, MODEL)
    tiny_run(wizard, name="album-stop", epochs=50, epoch_size=4000)
    wizard.next()
    page = wizard.train_page
    qtbot.waitUntil(lambda: page.last_status is not None, timeout=30000)
    worker = page.thread
    page.toggle_pause()
    assert worker.paused and page.pause_button.text() == "Continue"
    page.toggle_pause()
    assert not worker.paused
    page.stop()
    qtbot.waitUntil(lambda: not wizard.training, timeout=5000)
    assert page.error.isHidden() and page.status.text().startswith("Stopped")
    assert page.resume_button.isVisible() and page.result is None
    page.resume_button.click()  # continue now, then close the wizard mid-training
    qtbot.waitUntil(lambda: wizard.training and page.last_status is not None, timeout=30000)
    wizard.reject()
    assert not wizard.training and running_threads() == []


def test_training_errors_show_on_the_page(wizard, qtbot, colour_folder):
    scanned(wizard, qtbot, colour_folder)
    go_to(wizard, MODEL)
    tiny_run(wizard, name="album-gone")
    for photo in colour_folder.glob("photo_*.jpg"):
        photo.unlink()  # the photos vanish between the scan and the training
    wizard.next()
    page = wizard.train_page
    qtbot.waitUntil(lambda: not wizard.training, timeout=15000)
    assert not page.error.isHidden() and "No usable colour photos" in page.error.text(), (page.status.text(), page.error.text(), page.result)
    assert "Traceback" not in page.error.text() and page.result is None and page.resume_button.isVisible()
    assert wizard.button(wizard.WizardButton.BackButton).isEnabled()


def test_reopening_offers_to_resume_a_stopped_run(qtbot, tiny_weights_dir, colour_folder):
    saved = WizardSettings(folder=str(colour_folder), base="seed004a-dense-ae", name="album-later", finetune=False,
                           arch="seed004a-dense-ae", epochs=7, size=64, batch=4, lr=5e-4)
    save_run(saved, epochs_done=2)
    RunFolder.named("album-later").checkpoint.write_bytes(b"checkpoint")
    wiz = TrainingWizard()
    qtbot.addWidget(wiz)
    wiz.show()
    assert not wiz.photos_page.runs_box.isHidden()
    wiz.photos_page.resume_requested.emit(training_runs.unfinished_runs()[0])  # its "Resume" button
    assert wiz.currentId() == MODEL
    page = wiz.model_page
    assert page.model_name() == "album-later" and wiz.resuming() and "epoch 2" in page.resume.text()
    assert page.choice() == (False, "seed004a-dense-ae", "seed004a-dense-ae") and not page.arch_combo.isEnabled()
    wiz.next()
    assert wiz.settings_page.epochs.value() == 7 and wiz.settings_page.batch.value() == 4
    settings = wiz.current_settings()
    assert settings.folder == str(colour_folder) and settings.to_config(resume=True).resume
    wiz.shutdown()


# telling the truth: base score, verdict, Stop keeps the best epoch, folder memory -----------------


def finetune_run(wiz, name, epochs=1, epoch_size=8):
    """Fine-tune the tiny 'bundled' vivid on 32 px crops: a few CPU steps."""
    wiz.model_page.select("vivid")
    wiz.model_page.name.setText(name)
    go_to(wiz, SETTINGS)
    settings = wiz.settings_page
    settings.device.setCurrentIndex(settings.device.findData("cpu"))
    for spin, value in ((settings.epochs, epochs), (settings.epoch_size, epoch_size), (settings.size, 32),
                        (settings.batch, 4)):
        spin.setValue(value)
    wiz.config_extra = {"val_count": 4}


def test_fine_tuning_scores_the_base_first_and_compares(wizard, qtbot, colour_folder):
    from restorer.models.zoo import find_model

    scanned(wizard, qtbot, colour_folder)
    go_to(wizard, MODEL)
    finetune_run(wizard, "album-ft")
    recommended = []
    wizard.model_recommended.connect(recommended.append)
    with qtbot.waitSignal(wizard.model_created, timeout=60000):
        wizard.next()
    qtbot.waitUntil(lambda: not wizard.training, timeout=10000)
    page = wizard.train_page
    result = page.result
    base = result.baseline
    assert base["model"] == "vivid" and 1 <= base["photos"] <= 4 and page.baseline == base
    assert page.table.item(0, 0).text() == "base (vivid)" and page.table.item(0, 3).text() == f"{base['psnr']:.2f}"
    assert "vivid before training" in page.summary.text() and "Fine-tuning vivid" in page.summary.text()
    mine = result.card.metrics["val"]["psnr"]
    assert f"base vivid {base['psnr']:.2f} dB -> yours (album-ft) {mine:.2f} dB" in page.status.text()
    assert recommended == (["album-ft"] if mine > base["psnr"] else [])
    assert find_model("album-ft").title == "album-ft (yours: fine-tuned from vivid)"
    wizard.next()
    assert f"-&gt; yours (album-ft) {mine:.2f} dB" in wizard.finish_page.text.text()


@pytest.mark.parametrize("base_psnr,improved", [(99.0, False), (1.0, True)])
def test_a_worse_model_is_not_recommended(wizard, qtbot, base_psnr, improved):
    from pathlib import Path

    from restorer.models.weights import ModelCard
    from restorer.training.loop import TrainResult

    card = ModelCard(name="mine", arch="vivid", metrics={"val": {"psnr": 20.0, "colorfulness_ratio": 0.9,
                                                                 "loss": 1.0}})
    result = TrainResult(Path("mine.safetensors"), card, False, "finished all epochs",
                         {"model": "vivid", "photos": 5, "psnr": base_psnr, "colorfulness_ratio": 0.8})
    created, recommended = [], []
    wizard.model_created.connect(created.append)
    wizard.model_recommended.connect(recommended.append)
    wizard.train_page.trained.emit(result)
    assert created == ["mine"] and recommended == (["mine"] if improved else [])
    wizard.finish_page.show_result(result)
    text = wizard.finish_page.text.text()
    assert ("WORSE than vivid" in text) is not improved and ("keeps using that one" in text) is not improved
    assert ("worse" in wizard.finish_page.title()) is not improved


def test_stop_after_an_epoch_keeps_the_best_epoch_and_clears_the_eta(wizard, qtbot, colour_folder):
    from restorer.models.zoo import list_models

    scanned(wizard, qtbot, colour_folder)
    go_to(wizard, MODEL)
    tiny_run(wizard, name="album-kept", epochs=200, epoch_size=16)
    wizard.next()
    page = wizard.train_page
    qtbot.waitUntil(lambda: len(page.epochs_seen) >= 1, timeout=60000)
    qtbot.waitUntil(lambda: "left" in page.stats.text(), timeout=30000)  # an estimate while it runs
    page.stop()
    assert "left" not in page.stats.text() and "best" in page.status.text()
    qtbot.waitUntil(lambda: not wizard.training, timeout=30000)
    result = page.result
    assert result is not None and result.reason.startswith("stopped by you after epoch")
    assert "left" not in page.stats.text() and page.isComplete() and not page.resume_button.isVisible()
    assert "album-kept" in [entry.name for entry in list_models() if entry.ready]
    assert training_runs.read_run("album-kept").finished


def test_a_typed_folder_is_scanned_without_enter_and_remembered(wizard, qtbot, colour_folder):
    qtbot.keyClicks(wizard.photos_page.edit, str(colour_folder))  # no Enter, focus stays in the field
    qtbot.waitUntil(lambda: wizard.photos_page.scan is not None, timeout=15000)
    assert wizard.photos_page.folder == str(colour_folder) and len(wizard.photos_page.scan.photos) == 12
    again = TrainingWizard()
    qtbot.addWidget(again)
    assert again.photos_page.folder == str(colour_folder)  # the last folder, scanned again
    qtbot.waitUntil(lambda: again.photos_page.scan is not None, timeout=15000)
    again.shutdown()
