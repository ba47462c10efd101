"""The training wizard's last two pages: training with live feedback, and the summary."""

from __future__ import annotations

import math
import time
from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QGridLayout, QHBoxLayout, QHeaderView, QLabel, QProgressBar, QPushButton,
    QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget, QWizard, QWizardPage,
)

from restorer.gui.training_pages import ERROR_STYLE, hint, muted
from restorer.gui.training_plot import LossPlot, PreviewGrid
from restorer.gui.training_runs import WizardSettings, save_run
from restorer.gui.workers import Lane, ProgressWorker, error_message, is_cancel
from restorer.core.progress import NEVER_CANCELLED, CancelToken
from restorer.training.loop import train
from restorer.training.report import verdict_line

TRAIN_LOSS, VAL_LOSS = "training loss", "validation loss"
TABLE_COLUMNS = ("Epoch", "Training loss", "Validation loss", "PSNR (dB)", "Colourfulness")


def duration(seconds: float) -> str:
    """"1 h 05 min", "4 min 10 s", "12 s"."""
    if not math.isfinite(seconds):
        return "?"
    seconds = int(max(0, seconds))
    if seconds >= 3600:
        return f"{seconds // 3600} h {seconds % 3600 // 60:02d} min"
    if seconds >= 60:
        return f"{seconds // 60} min {seconds % 60:02d} s"
    return f"{seconds} s"


class TrainPage(QWizardPage):
    """Step 4: runs the training loop on a worker thread and shows loss, metrics and previews live."""

    trained = Signal(object)  # TrainResult
    running_changed = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle("Training")
        self.setSubTitle("Progress is saved after every epoch: you can stop now and continue later.")
        self.setButtonText(QWizard.WizardButton.CommitButton, "Next")
        self.settings: WizardSettings | None = None
        self.result = None
        self.baseline: dict | None = None  # the base model's score before training (fine-tuning)
        self.last_status = None
        self.epochs_seen: list[int] = []
        self._lane = Lane("training", 1, self)
        self._thread: ProgressWorker | None = None
        self._finish = CancelToken()  # Stop after a finished epoch: end cleanly, keep the best epoch
        self._headline = ""
        self._rate_start: tuple[int, float] | None = None
        self._build()

    def _build(self) -> None:
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.status = QLabel("Preparing...")
        self.status.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setFormat("%p%")
        self.stats = QLabel()
        muted(self.stats)
        self.pause_button = QPushButton("Pause")
        self.pause_button.clicked.connect(self.toggle_pause)
        self.stop_button = QPushButton("Stop")
        self.stop_button.setToolTip("Stop now: the best finished epoch becomes your model (before the first "
                                    "epoch ends there is nothing to keep yet)")
        self.stop_button.clicked.connect(self.stop)
        self.resume_button = QPushButton("Resume training")
        self.resume_button.setToolTip("Continue from the last finished epoch")
        self.resume_button.clicked.connect(lambda: self.start(self.settings, resume=True))
        self.resume_button.hide()
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error.hide()
        self.plot = LossPlot()
        self.plot.add_series(TRAIN_LOSS, "#2f80ed")
        self.plot.add_series(VAL_LOSS, "#e07a2f")
        self.table = self._epoch_table()
        self.previews = PreviewGrid(thumb=88)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        for button in (self.pause_button, self.stop_button, self.resume_button):
            buttons.addWidget(button)
        left = QVBoxLayout()
        left.addWidget(self.plot, 1)
        left.addWidget(self.table)
        left.addWidget(hint("PSNR: how close the colours are to the originals (higher is better). Colourfulness: "
                            "1.0 is as vivid as the originals; below 1 means washed out."))
        body = QGridLayout()
        body.addLayout(left, 0, 0)
        body.addWidget(self.previews, 0, 1, Qt.AlignmentFlag.AlignTop)
        body.setColumnStretch(0, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addLayout(buttons)
        layout.addWidget(self.progress)
        layout.addWidget(self.stats)
        layout.addWidget(self.error)
        layout.addLayout(body, 1)

    @staticmethod
    def _epoch_table() -> QTableWidget:
        """One row per finished epoch: losses, PSNR and colourfulness."""
        table = QTableWidget(0, len(TABLE_COLUMNS))
        table.setHorizontalHeaderLabels(TABLE_COLUMNS)
        table.verticalHeader().hide()
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        table.setMaximumHeight(130)
        table.setToolTip("PSNR: closeness to the original colours (higher is better). Colourfulness: 1.0 is "
                              "as colourful as the originals, lower is washed out.")
        return table

    # control ---------------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        """True from start() until the worker has ended and its last signals are handled."""
        return self._thread is not None

    @property
    def thread(self) -> ProgressWorker | None:
        return self._thread

    def start(self, settings: WizardSettings, resume: bool) -> None:
        """Start (or continue) training ``settings`` on a worker thread."""
        if self.running:
            return
        self.settings, self.result = settings, None
        self._reset_view()
        config = settings.to_config(resume)
        save_run(settings, self.epochs_seen[-1] if self.epochs_seen else 0)
        what = f"fine-tuning {settings.base}" if settings.finetune else f"a new {settings.base} network"
        self._headline = f"Training <b>{escape(settings.name)}</b>: {what}, photos from {escape(settings.folder)}."
        self.summary.setText(self._headline)
        finish = self._finish = CancelToken()
        thread = ProgressWorker(train, config, NEVER_CANCELLED, finish)
        thread.yielded.connect(self._on_progress)
        thread.returned.connect(self._on_done)
        thread.errored.connect(self._on_error)
        thread.aborted.connect(self._on_cancelled)
        thread.finished.connect(lambda t=thread: self._on_thread_finished(t))
        self._thread = thread
        self._lane.start(thread)
        self._set_running(True)

    def toggle_pause(self) -> None:
        if not self.running:
            return
        if self._thread.paused:
            self._thread.resume()
            self.pause_button.setText("Pause")
            self.status.setText("Continuing...")
        else:
            self._thread.pause()
            self.pause_button.setText("Continue")
            self.status.setText("Paused: training waits after its current step.")

    def stop(self) -> None:
        """Stop at the next step. Once an epoch has finished, the loop ends cleanly and saves the best
        epoch as the model (as a used time budget does); before that there is nothing to keep."""
        if not self.running:
            return
        if self.epochs_seen:
            self._finish.cancel()
            self._thread.resume()  # a paused run must wake up to finish
            self.status.setText("Stopping: checking this epoch, then saving the best one as your model...")
        else:
            self._thread.quit()  # the loop stops at its next step (the generator's next yield)
            self.status.setText("Stopping after the current step...")
        self.stop_button.setEnabled(False)
        self.pause_button.setEnabled(False)
        self._show_elapsed()

    @property
    def stopping(self) -> bool:
        thread = self._thread  # None once the wizard has shut the worker down
        return thread is None or thread.abort_requested or self._finish.cancelled

    def shutdown(self) -> None:
        """Cancel and wait for the worker (closing the wizard)."""
        if self._thread is not None:
            self._thread.quit()
        self._lane.wait()
        self._thread = None

    def isComplete(self) -> bool:  # noqa: N802 - Qt API
        return self.result is not None

    def _set_running(self, running: bool) -> None:
        self.pause_button.setText("Pause")
        self.pause_button.setVisible(running)
        self.stop_button.setVisible(running)
        self.pause_button.setEnabled(running)
        self.stop_button.setEnabled(running)
        self.resume_button.setVisible(not running and self.result is None and self.settings is not None)
        self.running_changed.emit(running)
        self.completeChanged.emit()

    def _reset_view(self) -> None:
        self.error.hide()
        self.status.setStyleSheet("")
        self.status.setText("Preparing the photos and the network...")
        self.progress.setRange(0, 0)
        self.stats.clear()
        self.last_status = None
        self._rate_start = None
        kept = self.epochs_seen[-1] if self.epochs_seen else 0  # a resumed run repeats the unfinished epoch
        points = self.plot.series[TRAIN_LOSS][1]
        points[:] = [p for p in points if p[0] <= kept]
        self.plot.update()

    # worker signals ------------------------------------------------------------------------

    def _on_progress(self, progress) -> None:
        if progress.stage == "scan":
            self.status.setText(f"Checking photos: {progress.done} of {progress.total}" if progress.total
                                else f"Looking for photos ({progress.message})")
            return
        if progress.stage in ("start", "baseline"):
            self._on_opening(progress)
            return
        status = progress.payload
        self.last_status = status
        self.progress.setRange(0, max(1, progress.total))
        self.progress.setValue(progress.done)
        if progress.stage == "train":
            self.plot.add_point(TRAIN_LOSS, status.epoch - 1 + status.step / max(1, status.steps_per_epoch),
                                status.train_loss)
            if not self.stopping:
                self._show_rate(progress, status)
            if not (self.stopping or self._thread.paused):
                self.status.setText(f"Epoch {status.epoch} of {status.epochs}: step {status.step} of "
                                    f"{status.steps_per_epoch}, loss {status.train_loss:.4f}")
        elif progress.stage == "epoch":
            self._on_epoch(status)

    def _on_opening(self, progress) -> None:
        """The loop's opening line, and the base model's score before any training."""
        lines = [self._headline, escape(progress.message)]
        if progress.stage == "baseline":
            self.baseline = progress.payload
            self._add_baseline_row(self.baseline)
            lines = [self.summary.text(), f"<b>{escape(progress.message)}</b> Your model must beat this."]
        self.summary.setText("<br>".join(lines))

    def _add_baseline_row(self, baseline: dict) -> None:
        """Row 0 of the table: the base model before training, measured like every epoch."""
        if self.table.rowCount() and self.table.item(0, 0).text().startswith("base"):
            return
        self.table.insertRow(0)
        values = (f"base ({baseline['model']})", "", f"{baseline.get('loss', math.nan):.4f}",
                  f"{baseline['psnr']:.2f}", f"{baseline['colorfulness_ratio']:.2f}")
        for column, text in enumerate(values):
            item = QTableWidgetItem(text)
            item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            self.table.setItem(0, column, item)

    def _show_elapsed(self) -> None:
        """Elapsed time only: no "left" estimate once the run is stopping or has stopped."""
        if self.last_status is not None:
            self.stats.setText(f"elapsed {duration(self.last_status.elapsed_s)}")
        else:
            self.stats.clear()

    def _show_rate(self, progress, status) -> None:
        now = time.monotonic()
        if self._rate_start is None:
            self._rate_start = (progress.done, now)
        done0, t0 = self._rate_start
        left = (progress.total - progress.done) * (now - t0) / (progress.done - done0) \
            if progress.done > done0 else math.inf
        self.stats.setText(f"{status.images_per_s:.1f} images/s  |  elapsed {duration(status.elapsed_s)}  |  "
                           f"about {duration(left)} left" if math.isfinite(left) else
                           f"{status.images_per_s:.1f} images/s  |  elapsed {duration(status.elapsed_s)}")

    def _on_epoch(self, status) -> None:
        for row in status.history:  # earlier epochs of a resumed run, then this one
            if row["epoch"] not in self.epochs_seen:
                self._add_epoch_row(row)
        if status.previews:
            self.previews.set_previews(status.previews)
        val = status.val or {}
        self.status.setText(f"Epoch {status.epoch} of {status.epochs} done: PSNR {val.get('psnr', math.nan):.2f} dB"
                            + (" (best so far)" if status.best else ""))
        save_run(self.settings, status.epoch)

    def _add_epoch_row(self, row: dict) -> None:
        self.epochs_seen.append(int(row["epoch"]))
        self.plot.add_point(VAL_LOSS, row["epoch"], row.get("loss", math.nan))
        values = (str(int(row["epoch"])), f"{row.get('train_loss', math.nan):.4f}", f"{row.get('loss', math.nan):.4f}",
                  f"{row.get('psnr', math.nan):.2f}", f"{row.get('colorfulness_ratio', math.nan):.2f}")
        index = self.table.rowCount()
        self.table.insertRow(index)
        for column, text in enumerate(values):
            item = QTableWidgetItem(text)
            item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            self.table.setItem(index, column, item)
        self.table.scrollToBottom()

    def _on_done(self, result) -> None:
        self.result = result
        save_run(self.settings, self.epochs_seen[-1] if self.epochs_seen else 0, finished=True)
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        how = "Finished" if not result.stopped_early else f"Finished early ({result.reason})"
        verdict = verdict_line(result.card.name, result.baseline, result.card.metrics.get("val", {}))
        self.status.setText(f"{how}. The model '{result.card.name}' is saved: press Next for a summary.\n{verdict}")
        if result.improved is False:
            self.status.setStyleSheet(ERROR_STYLE)
        if self.last_status is not None:
            self.stats.setText(f"Took {duration(self.last_status.elapsed_s)}")
        self.setCommitPage(True)
        self.trained.emit(result)

    def _on_error(self, err: Exception) -> None:
        if is_cancel(err):
            self._on_cancelled()
            return
        message = error_message(err, "Not enough memory: try a smaller batch or crop size.")
        self.error.setText(f"Training stopped with an error: {message}")
        self.error.show()
        self.status.setText("Fix the problem (Back changes the settings) and resume.")

    def _on_cancelled(self) -> None:
        self._show_elapsed()
        self.status.setText(f"Stopped. Finished epochs are saved: press Resume training, or reopen this wizard "
                            f"later and choose the name '{self.settings.name}'.")

    def _on_thread_finished(self, thread: ProgressWorker) -> None:
        if thread is self._thread:
            self._thread = None
            if self.progress.maximum() == 0:
                self.progress.setRange(0, 1)
                self.progress.setValue(0)
            self._set_running(False)


class FinishPage(QWizardPage):
    """Step 5: where the new model is and how well it did on the photos kept aside."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle("Your model is ready")
        self.setSubTitle("It is saved in your model folder, next to the models that came with Restorer.")
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addStretch(1)

    def show_result(self, result) -> None:
        card = result.card
        val = card.metrics.get("val", {})
        training = card.training
        sizes = training.get("split_sizes", {})
        rows = [
            ("Name", escape(card.name)),
            ("Saved to", escape(str(result.weights))),
            ("Epochs", f"{training.get('epochs_run', '?')} ({escape(result.reason)}); the best is kept"),
            ("Photos", f"{sizes.get('train', '?')} for learning, {sizes.get('val', '?')} for checking, "
                       f"{sizes.get('test', '?')} kept for tests"),
            ("PSNR", f"{val.get('psnr', math.nan):.2f} dB (closeness to the true colours; higher is better)"),
            ("Compared", escape(verdict_line(card.name, result.baseline, val))),
            ("Colourfulness", f"{val.get('colorfulness_ratio', math.nan):.2f} (1.0 is as colourful as the originals)"),
            ("Validation loss", f"{val.get('loss', math.nan):.4f}"),
        ]
        table = "".join(f"<tr><td><b>{key}</b></td><td>{value}</td></tr>" for key, value in rows)
        self.setTitle(self.TITLES[result.improved])
        self.text.setText(f"<table cellspacing='6'>{table}</table><p>{self.ADVICE[result.improved]}</p>")

    TITLES = {True: "Your model is ready, and better than its base",
              False: "Your model is saved, but it is worse than its base",
              None: "Your model is ready"}
    ADVICE = {
        True: "It beat the model it started from on the photos kept aside, so the main window now uses it; "
              "the model list there has the others.",
        False: f"<span style='{ERROR_STYLE}'>It scored lower than the model it started from on the photos "
               "kept aside, so the main window keeps using that one. Your model is in the model list if you "
               "want to try it. More (and more varied) photos, fewer epochs or a lower learning rate usually "
               "help.</span>",
        None: "Trained from scratch, it has no base model to compare with: it is in the model list of the main "
              "window; try it on a few photos before relying on it.",
    }
