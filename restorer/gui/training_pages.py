"""The training wizard's first pages: photos, and the model with a name; shared label helpers."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor, QDragEnterEvent, QDropEvent, QPalette
from PySide6.QtWidgets import (
    QButtonGroup, QCheckBox, QComboBox, QFileDialog, QFormLayout, QFrame, QGroupBox, QHBoxLayout, QLabel,
    QLineEdit, QProgressBar, QPushButton, QRadioButton, QVBoxLayout, QWidget, QWizardPage,
)

from restorer.gui.settings import Settings
from restorer.gui.training_runs import name_problem, read_run, suggest_name
from restorer.gui.workers import Lane, ProgressWorker, error_message
from restorer.training.data import scan_photos

FEW_PHOTOS = 50
TYPING_PAUSE_MS = 800
ERROR_STYLE = "color: #b3261e;"


def muted(widget: QWidget) -> QWidget:
    """Grey ``widget``'s text: a blend of the palette's text and window colours (readable in dark mode too)."""
    palette = widget.palette()
    text = palette.color(QPalette.ColorRole.WindowText)
    back = palette.color(QPalette.ColorRole.Window)
    blend = [0.6 * t + 0.4 * b for t, b in zip(text.getRgbF()[:3], back.getRgbF()[:3])]
    palette.setColor(QPalette.ColorRole.WindowText, QColor.fromRgbF(*blend))
    widget.setPalette(palette)
    return widget


def hint(text: str) -> QLabel:
    """A short grey explanation under a setting."""
    label = QLabel(text)
    label.setWordWrap(True)
    return muted(label)


def folder_from_drop(event) -> str | None:
    """The first local folder in a drag (a dropped file stands for its folder)."""
    mime = event.mimeData()
    if not mime.hasUrls():
        return None
    for url in mime.urls():
        path = Path(url.toLocalFile()) if url.isLocalFile() else None
        if path is not None and path.exists():
            return str(path if path.is_dir() else path.parent)
    return None


class PhotosPage(QWizardPage):
    """Step 1: pick a folder of colour photos (button or drag & drop); it is scanned off the GUI thread."""

    resume_requested = Signal(object)  # a RunInfo to continue

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle("Your colour photos")
        self.setSubTitle("Restorer learns colours from colour photos like the ones you want to restore: "
                         "choose a folder of them (sub-folders are included). Grey versions are made automatically.")
        self.setAcceptDrops(True)
        self.scan = None
        self.folder = ""
        self._lane = Lane("training-scan", 1, self)
        self._thread: ProgressWorker | None = None
        self._resuming = False
        self.edit = QLineEdit()
        self.edit.setPlaceholderText("Folder of colour photos")
        self.edit.editingFinished.connect(lambda: self.set_folder(self.edit.text().strip()))
        self._typed = self._watch_typing()
        browse = QPushButton("Choose folder...")
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.edit, 1)
        row.addWidget(browse)
        drop = QLabel("...or drop a folder anywhere on this page")
        drop.setAlignment(Qt.AlignmentFlag.AlignCenter)
        drop.setFrameShape(QFrame.Shape.StyledPanel)
        drop.setMinimumHeight(44)
        drop.setStyleSheet("QLabel { border: 2px dashed palette(mid); border-radius: 6px; }")
        muted(drop)
        self.progress = QProgressBar()
        self.progress.hide()
        self.result = QLabel()
        self.result.setWordWrap(True)
        self.result.setTextFormat(Qt.TextFormat.RichText)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.hide()
        self.runs_box = QGroupBox("Unfinished training")
        self.runs_box.setLayout(QVBoxLayout())
        self.runs_box.hide()
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(drop)
        layout.addWidget(self.progress)
        layout.addWidget(self.result)
        layout.addWidget(self.error)
        layout.addStretch(1)
        layout.addWidget(self.runs_box)

    # folder and scan ------------------------------------------------------------------------

    def _watch_typing(self) -> QTimer:
        """A typed path is scanned once typing pauses on an existing folder: no Enter needed."""
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.setInterval(TYPING_PAUSE_MS)
        timer.timeout.connect(self._on_typing_paused)
        self.edit.textEdited.connect(lambda _text: timer.start())
        return timer

    def _on_typing_paused(self) -> None:
        typed = self.edit.text().strip()
        if typed and Path(typed).expanduser().is_dir():
            self.set_folder(str(Path(typed).expanduser()))

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Folder of colour photos", self.folder or str(Path.home()))
        if folder:
            self.set_folder(folder)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt API
        if folder_from_drop(event):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt API
        folder = folder_from_drop(event)
        if folder:
            event.acceptProposedAction()
            self.set_folder(folder)

    def set_folder(self, folder: str, resuming: bool = False) -> None:
        """Show ``folder`` and scan it (again) in a worker thread."""
        if not folder or (folder == self.folder and (self.scan or self.scanning)):
            return
        self.stop_scan()
        self.folder, self.scan, self._resuming = folder, None, resuming
        self.edit.setText(folder)
        self.error.hide()
        self.result.setText("Checking the photos...")
        self.progress.setRange(0, 0)
        self.progress.show()
        thread = ProgressWorker(scan_photos, [Path(folder)])
        thread.yielded.connect(self._on_progress)
        thread.returned.connect(self._on_scanned)
        thread.errored.connect(lambda err: self._on_failed(error_message(err)))
        thread.finished.connect(lambda t=thread: self._on_finished(t))
        self._thread = thread
        self._lane.start(thread)
        self.completeChanged.emit()

    @property
    def scanning(self) -> bool:
        return self._thread is not None

    def stop_scan(self, wait: bool = False) -> None:
        """Cancel the scan (it stops at its next file); with ``wait`` also wait for it to end (closing)."""
        thread, self._thread = self._thread, None
        if thread is not None:
            for signal in (thread.yielded, thread.returned, thread.errored):
                signal.disconnect()
            thread.quit()
            self.progress.hide()
        if wait:
            self._lane.wait()

    def _on_progress(self, progress) -> None:
        if not progress.total:  # still listing the folder: the count is not known yet
            self.result.setText(f"Looking for photos... ({progress.message})")
            return
        self.progress.setRange(0, progress.total)
        self.progress.setValue(progress.done)
        self.result.setText(f"Checking the photos... {progress.done} of {progress.total} "
                            f"({progress.message})")

    def _on_scanned(self, scan) -> None:
        self.scan = scan
        self.result.setText(self.summary(scan))
        if scan.photos:
            Settings().set_training_folder(self.folder)  # the next wizard starts here
        self.completeChanged.emit()

    def _on_failed(self, message: str) -> None:
        self.result.clear()
        self.error.setText(message)
        self.error.show()
        self.completeChanged.emit()

    def _on_finished(self, thread: ProgressWorker) -> None:
        if thread is self._thread:
            self.progress.hide()
            self._thread = None

    @staticmethod
    def summary(scan) -> str:
        """The scan's counts as a short rich-text report."""
        lines = [f"<b>{len(scan.photos)}</b> usable colour photo{'s' if len(scan.photos) != 1 else ''}"]
        for reason, count in sorted(scan.skipped_counts().items()):
            lines.append(f"{count} skipped: {reason}")
        if scan.paired:
            lines.append("Paired layout detected (color/ and gray/): the colour photos in color/ are used.")
        if len(scan.photos) < FEW_PHOTOS:
            lines.append(f"<span style='{ERROR_STYLE}'>Few photos: a few hundred varied ones teach far better; "
                         "with this many the model may only learn them by heart.</span>")
        return "<br>".join(lines)

    def isComplete(self) -> bool:  # noqa: N802 - Qt API
        return bool(self.scan and self.scan.photos) or (self._resuming and self.error.isHidden())

    # unfinished runs --------------------------------------------------------------------------

    def show_runs(self, runs: list) -> None:
        layout = self.runs_box.layout()
        while layout.count():
            layout.takeAt(0).widget().deleteLater()
        for run in runs[:3]:
            line = QWidget()
            row = QHBoxLayout(line)
            row.setContentsMargins(0, 0, 0, 0)
            label = QLabel(run.describe())
            label.setWordWrap(True)
            button = QPushButton("Resume")
            button.setToolTip("Continue this training from its last finished epoch")
            button.clicked.connect(lambda _=False, r=run: self.resume_requested.emit(r))
            row.addWidget(label, 1)
            row.addWidget(button)
            layout.addWidget(line)
        self.runs_box.setVisible(bool(runs))


class ModelPage(QWizardPage):
    """Step 2: the model to start from (fine-tune one with weights, or an empty architecture) and a name."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle("Model to start from, and a name")
        self.setSubTitle("Fine-tuning a trained model needs far fewer photos and minutes than training from scratch.")
        self.entries: list = []
        self.taken: set[str] = set()
        self.folder = ""
        self._auto_name = ""
        self.finetune = QRadioButton("Fine-tune a trained model (recommended)")
        self.scratch = QRadioButton("Train from scratch, starting with an untrained network")
        group = QButtonGroup(self)
        group.addButton(self.finetune)
        group.addButton(self.scratch)
        self.base_combo = QComboBox()
        self.arch_combo = QComboBox()
        self.about = hint("")
        self.name = QLineEdit()
        self.name.setPlaceholderText("e.g. vivid-family-album")
        self.name_error = QLabel()
        self.name_error.setStyleSheet(ERROR_STYLE)
        self.name_error.setWordWrap(True)
        self.resume = QCheckBox()
        self.resume.hide()
        for signal in (self.finetune.toggled, self.base_combo.currentIndexChanged, self.arch_combo.currentIndexChanged):
            signal.connect(self._on_base_changed)
        self.name.textChanged.connect(self._on_name_changed)
        self.resume.toggled.connect(self._on_resume_toggled)
        form = QFormLayout()
        form.addRow(self.finetune)
        form.addRow("Model:", self.base_combo)
        form.addRow(self.scratch)
        form.addRow("Network:", self.arch_combo)
        form.addRow(self.about)
        form.addRow(QLabel(""))
        form.addRow("Name of the new model:", self.name)
        form.addRow(self.name_error)
        form.addRow(self.resume)
        self.setLayout(form)

    def load(self, entries: list, folder: str, default: str) -> None:
        """Fill the pickers from the zoo (``entries`` from list_models) and suggest a name."""
        self.entries, self.folder = entries, folder
        self.taken = {entry.name for entry in entries} | {entry.spec.name for entry in entries}
        ready = [entry for entry in entries if entry.ready]
        for combo in (self.base_combo, self.arch_combo):
            combo.blockSignals(True)
            combo.clear()
        for entry in ready:
            self.base_combo.addItem(f"{entry.title}  ({entry.name})", entry.name)
        seen = []
        for entry in entries:
            if entry.spec.name not in seen:
                seen.append(entry.spec.name)
                self.arch_combo.addItem(f"{entry.spec.title}  ({entry.spec.name})", entry.spec.name)
        for combo in (self.base_combo, self.arch_combo):
            combo.blockSignals(False)
        self.select(default if ready else "", default)
        self.finetune.setEnabled(bool(ready))
        if not ready:
            self.finetune.setText("Fine-tune a trained model (none is installed yet)")
        self._on_base_changed()

    def select(self, base: str, arch: str = "") -> None:
        """Pick ``base`` to fine-tune, or (``base`` empty) architecture ``arch`` from scratch."""
        if base and self.base_combo.findData(base) >= 0:
            self.base_combo.setCurrentIndex(self.base_combo.findData(base))
            self.finetune.setChecked(True)
        else:
            index = self.arch_combo.findData(arch)
            self.arch_combo.setCurrentIndex(max(0, index))
            self.scratch.setChecked(True)

    def entry(self, name: str):
        return next((e for e in self.entries if e.name == name), None)

    def choice(self) -> tuple[bool, str, str]:
        """(fine-tune?, base model or architecture name, architecture name)."""
        if self.finetune.isChecked():
            base = self.base_combo.currentData() or ""
            entry = self.entry(base)
            return True, base, entry.spec.name if entry else ""
        arch = self.arch_combo.currentData() or ""
        return False, arch, arch

    def spec(self):
        _, base, arch = self.choice()
        return next((e.spec for e in self.entries if e.spec.name == arch), None)

    def _on_base_changed(self, *_args) -> None:
        finetune, base, _ = self.choice()
        self.base_combo.setEnabled(finetune and not self.resume.isChecked())
        self.arch_combo.setEnabled(not finetune and not self.resume.isChecked())
        spec = self.spec()
        entry = self.entry(base) if finetune else None
        text = (entry.card.description if entry and entry.card and entry.card.description else "") or \
            (spec.description if spec else "")
        self.about.setText(text)
        if not self.resume.isChecked() and self.name.text() in ("", self._auto_name):
            self._auto_name = suggest_name(base, self.folder, self.taken)
            self.name.setText(self._auto_name)

    def _on_name_changed(self, text: str) -> None:
        problem = name_problem(text, self.taken)
        self.name_error.setText(problem)
        run = None if problem else read_run(text.strip())
        self.resume.blockSignals(True)
        if run is not None and not run.finished:
            done = f" (stopped after epoch {run.epochs_done})" if run.settings else ""
            self.resume.setText(f"Continue the unfinished training of '{text.strip()}'{done}; "
                                "untick to start it over")
            self.resume.setChecked(True)
            self.resume.show()
        else:
            self.resume.setChecked(False)
            self.resume.hide()
        self.resume.blockSignals(False)
        self._on_resume_toggled(self.resume.isChecked())
        self.completeChanged.emit()

    def _on_resume_toggled(self, checked: bool) -> None:
        """Continuing a run must keep its network: lock the base to the one it started from."""
        run = read_run(self.name.text().strip()) if checked else None
        if run is not None and run.settings is not None:
            settings = run.settings
            self.select(settings.base if settings.finetune else "", settings.arch or settings.base)
        for widget in (self.finetune, self.scratch):
            widget.setEnabled(not checked and (widget is self.scratch or self.base_combo.count() > 0))
        self.base_combo.setEnabled(self.finetune.isChecked() and not checked)
        self.arch_combo.setEnabled(self.scratch.isChecked() and not checked)

    def refresh_name(self) -> None:
        """Check the name again (a run may have saved checkpoints since it was typed)."""
        self._on_name_changed(self.name.text())

    def model_name(self) -> str:
        return self.name.text().strip()

    def isComplete(self) -> bool:  # noqa: N802 - Qt API
        return not name_problem(self.name.text(), self.taken) and bool(self.choice()[1])
