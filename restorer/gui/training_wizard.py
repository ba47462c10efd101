"""A wizard that teaches a model the colours of the user's own photos, for non-programmers.

Five pages: photos (a scanned folder), model and name, settings, training (live loss, metrics and
validation previews; pause, stop, resume), and a summary. Scanning and training run on worker
threads; closing the wizard cancels them and waits. When a model is saved the wizard emits
``model_created(name)`` so the main window can refresh its model picker, and
``model_recommended(name)`` only when the new model beat its base on the validation photos: a
model that got worse is never made the one the main window uses.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QWidget, QWizard

from restorer.gui.settings import Settings
from restorer.gui.training_monitor import FinishPage, TrainPage
from restorer.gui.training_pages import ModelPage, PhotosPage
from restorer.gui.training_settings import SettingsPage
from restorer.gui.training_runs import RunInfo, WizardSettings, default_workers, read_run, unfinished_runs

PHOTOS, MODEL, SETTINGS, TRAIN, FINISH = range(5)


class TrainingWizard(QWizard):
    """Train or fine-tune a colorization model on a folder of colour photos."""

    model_created = Signal(str)  # saved: list it
    model_recommended = Signal(str)  # and better than the model it was fine-tuned from: use it

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Train a model on your photos")
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setOption(QWizard.WizardOption.NoDefaultButton, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.config_extra: dict = {}  # further TrainConfig fields (tests, power users)
        self.photos_page = PhotosPage()
        self.model_page = ModelPage()
        self.settings_page = SettingsPage()
        self.train_page = TrainPage()
        self.finish_page = FinishPage()
        for page_id, page in enumerate((self.photos_page, self.model_page, self.settings_page,
                                        self.train_page, self.finish_page)):
            self.setPage(page_id, page)
        self._models_loaded = False
        self._devices_loaded = False
        self._pending_resume: RunInfo | None = None
        self.photos_page.resume_requested.connect(self.resume_run)
        self.train_page.trained.connect(self._on_trained)
        self.train_page.running_changed.connect(self._on_running_changed)
        self.currentIdChanged.connect(self._on_page_changed)
        self.photos_page.show_runs(unfinished_runs())
        last_folder = Settings().training_folder()
        if last_folder and Path(last_folder).is_dir():
            self.photos_page.set_folder(last_folder)  # where the last wizard found its photos
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)  # never leave a thread running at exit
        self.resize(960, 720)

    # pages -------------------------------------------------------------------------------------

    def initializePage(self, page_id: int) -> None:  # noqa: N802 - Qt API
        if page_id == MODEL:
            self._init_model_page()
        elif page_id == SETTINGS:
            self._init_settings_page()
        elif page_id == FINISH and self.train_page.result is not None:
            self.finish_page.show_result(self.train_page.result)
        super().initializePage(page_id)
        if page_id == TRAIN:
            self.train_page.start(self.current_settings(), resume=self.resuming())

    def _init_model_page(self) -> None:
        from restorer.models.zoo import list_models, pick_default

        page = self.model_page
        if not self._models_loaded:
            entries = list_models()
            ready = [entry.name for entry in entries if entry.ready]
            page.load(entries, self.photos_page.folder, pick_default(ready) or "")
            self._models_loaded = True
        elif page.folder != self.photos_page.folder:
            page.folder = self.photos_page.folder
            page.name.setText("" if page.name.text() == page._auto_name else page.name.text())
            page._on_base_changed()
        if self._pending_resume is not None:
            page.name.setText(self._pending_resume.name)
            self._pending_resume = None

    def _init_settings_page(self) -> None:
        if not self._devices_loaded:
            from restorer.core.device import list_devices

            self.settings_page.load_devices(list_devices())
            self._devices_loaded = True
        spec = self.model_page.spec()
        run = read_run(self.model_page.model_name()) if self.resuming() else None
        self.settings_page.apply_defaults(self.model_page.choice()[0], spec.fixed_size if spec else None,
                                          run.settings if run else None)

    def _on_page_changed(self, page_id: int) -> None:
        if page_id == MODEL and self._models_loaded:
            self.model_page.refresh_name()  # coming back: a stopped run may now be resumable

    # state -------------------------------------------------------------------------------------

    def resuming(self) -> bool:
        return self.model_page.resume.isChecked() and not self.model_page.resume.isHidden()

    def current_settings(self) -> WizardSettings:
        """The pages' choices as one settings record (a resumed run keeps its own photos)."""
        finetune, base, arch = self.model_page.choice()
        folder = self.photos_page.folder
        run = read_run(self.model_page.model_name()) if self.resuming() else None
        if run is not None and run.settings is not None:
            folder = run.settings.folder
        return WizardSettings(folder=folder, base=base, name=self.model_page.model_name(), finetune=finetune,
                              arch=arch, workers=default_workers(), extra=dict(self.config_extra),
                              **self.settings_page.values())

    def resume_run(self, run: RunInfo) -> None:
        """Continue ``run``: its folder, model and settings are filled in; Next leads to training."""
        self._pending_resume = run
        self.photos_page.set_folder(run.settings.folder if run.settings else "", resuming=True)
        if self.currentId() == PHOTOS and self.photos_page.isComplete():
            self.next()

    @property
    def training(self) -> bool:
        return self.train_page.running

    def _on_running_changed(self, running: bool) -> None:
        # Back from the training page is blocked while it runs and once the model is saved.
        self.settings_page.setCommitPage(running or self.train_page.result is not None)
        done = self.train_page.result is not None
        self.setButtonText(QWizard.WizardButton.CancelButton,
                           "Stop and close" if running else "Close" if done else "Cancel")

    def _on_trained(self, result) -> None:
        self.model_created.emit(result.card.name)
        if result.improved:
            self.model_recommended.emit(result.card.name)

    # closing -----------------------------------------------------------------------------------

    def shutdown(self) -> None:
        """Cancel the scan and the training, and wait for their threads to end."""
        self.photos_page.stop_scan(wait=True)
        self.train_page.shutdown()

    def done(self, result: int) -> None:
        self.shutdown()
        super().done(result)
