"""The model runner: one worker thread that owns the loaded network and colorizes photos one by one.

The GUI hands it :class:`Job` objects through a queued signal; it answers with signals. torch is
imported here only, on the worker thread, so the window opens without waiting for it. Switching
model or device reloads the network at the next job. A job's ``CancelToken`` is checked between
stages (cooperative cancel). CUDA out-of-memory is retried at half the render size, then on the
CPU, and the user is told.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QObject, QThread, Signal, Slot

from restorer.core.errors import CancelledError
from restorer.core.progress import CancelToken
from restorer.gui.rendering import PREVIEW_MAX, Colorized, make_preview
from restorer.gui.tasks import error_message, register_thread


@dataclass
class Job:
    item_id: int
    path: Path
    model: str
    device: str = "auto"
    render_size: int | None = None
    cancel: CancelToken = field(default_factory=CancelToken)
    adjustments: object = None
    auto_save: object = None  # restorer.gui.export.ExportOptions when auto-save is on
    preview_max: int = PREVIEW_MAX


def is_out_of_memory(err: BaseException) -> bool:
    """CUDA (or other accelerator) out-of-memory, whichever exception type torch used."""
    if type(err).__name__ == "OutOfMemoryError":
        return True
    return isinstance(err, RuntimeError) and "out of memory" in str(err).lower()


def _free_accelerator_memory() -> None:
    import torch

    if torch.cuda.is_available():
        torch.cuda.empty_cache()


def _default_loader(name: str, device: str):
    from restorer.models.runtime import Colorizer

    return Colorizer.load(name, device)


def _device_label(colorizer) -> str:
    device = getattr(colorizer, "device", None)
    return str(device) if device is not None else "?"


class _ModelLoadFailed(Exception):
    pass


class RunnerWorker(QObject):
    """Lives on the runner thread. Slots run there; signals go back to the GUI."""

    started = Signal(int)
    progress = Signal(int, float, str)
    finished = Signal(int, object)  # item id, (Colorized, Preview)
    failed = Signal(int, str)
    cancelled = Signal(int)
    model_failed = Signal(int, str)  # the network could not be loaded: the photo is not at fault
    notice = Signal(str, str)  # level, message
    model_loaded = Signal(str, str)  # model name, device

    def __init__(self, loader: Callable[[str, str], object] | None = None) -> None:
        super().__init__()
        self._loader = loader or _default_loader
        self._colorizer = None
        self._key: tuple[str, str] | None = None

    @Slot(object)
    def process(self, job: Job) -> None:
        self.started.emit(job.item_id)
        try:
            result = self._run(job)
        except CancelledError:
            self.cancelled.emit(job.item_id)
        except _ModelLoadFailed as err:
            self.model_failed.emit(job.item_id, str(err))
        except Exception as err:  # noqa: BLE001 - one photo's failure is that photo's status
            self.failed.emit(job.item_id, error_message(err))
        else:
            self.finished.emit(job.item_id, result)

    @Slot()
    def release(self) -> None:
        """Drop the network (called on the runner thread before it stops)."""
        self._colorizer = None
        self._key = None

    def _run(self, job: Job):
        from restorer.pipeline.io import load_image

        started = time.monotonic()
        job.cancel.raise_if_cancelled()
        colorizer = self._ensure_model(job)
        job.cancel.raise_if_cancelled()
        self.progress.emit(job.item_id, 0.15, "Reading photo")
        loaded = load_image(job.path)
        job.cancel.raise_if_cancelled()
        self.progress.emit(job.item_id, 0.35, "Colorizing")
        ab, render, device = self._predict(colorizer, loaded.pixels, job)
        job.cancel.raise_if_cancelled()
        self.progress.emit(job.item_id, 0.8, "Finishing")
        preview = make_preview(loaded.pixels, ab, job.preview_max)
        result = Colorized(ab, preview.full_size, job.model, device, render, notes=list(loaded.notes))
        if job.auto_save is not None:
            self.progress.emit(job.item_id, 0.9, "Saving")
            result.output = self._save(job, loaded, ab)
        result.seconds = time.monotonic() - started
        return result, preview

    def _ensure_model(self, job: Job):
        key = (job.model, job.device)
        if self._colorizer is None or self._key != key:
            self.progress.emit(job.item_id, 0.05, "Loading model")
            self._colorizer = None
            self._key = None
            try:
                self._colorizer = self._loader(job.model, job.device)
            except Exception as err:  # noqa: BLE001 - reported once, the batch stops
                raise _ModelLoadFailed(f"Cannot load model {job.model!r} on {job.device}: "
                                       f"{error_message(err)}") from err
            self._key = key
            self.model_loaded.emit(job.model, _device_label(self._colorizer))
        return self._colorizer

    def _predict(self, colorizer, pixels, job: Job):
        """(ab, render size used, device used), falling back on out-of-memory."""
        from restorer.pipeline.inference import ColorizeOptions, predict_chroma

        render = job.render_size or colorizer.default_render_size
        attempts = [(colorizer, render), (colorizer, max(32, render // 2))]
        for attempt, (net, size) in enumerate(attempts):
            try:
                return predict_chroma(net, pixels, ColorizeOptions(render_size=size)), size, _device_label(net)
            except Exception as err:  # noqa: BLE001 - only out-of-memory is handled here
                if not is_out_of_memory(err):
                    raise
                _free_accelerator_memory()
                if attempt == 0:
                    self.notice.emit("warning", f"Out of memory colorizing {job.path.name} on "
                                     f"{_device_label(net)}: retrying at half the render size "
                                     f"({max(32, render // 2)} px).")
        job.cancel.raise_if_cancelled()
        return self._predict_on_cpu(pixels, job, render)

    def _predict_on_cpu(self, pixels, job: Job, render: int):
        from restorer.pipeline.inference import ColorizeOptions, predict_chroma

        if _device_label(self._colorizer).startswith("cpu"):
            raise MemoryError("out of memory even at half the render size")
        self.notice.emit("warning", f"Still out of GPU memory: colorizing {job.path.name} on the CPU "
                         "(slower). Choose a smaller render size to stay on the GPU.")
        cpu = self._loader(job.model, "cpu")
        return predict_chroma(cpu, pixels, ColorizeOptions(render_size=render)), render, "cpu"

    def _save(self, job: Job, loaded, ab) -> Path:
        from restorer.gui.export import ExportRequest, export_one_loaded

        request = ExportRequest(job.item_id, job.path, ab, job.adjustments)
        return export_one_loaded(request, loaded, job.auto_save)


class ModelRunner(QObject):
    """GUI-side handle of the runner thread: submit jobs, cancel, and shut down cleanly."""

    _submit = Signal(object)
    _release = Signal()

    def __init__(self, loader: Callable[[str, str], object] | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.thread = QThread()
        self.thread.setObjectName("restorer-model-runner")
        register_thread(self.thread)
        self.worker = RunnerWorker(loader)
        self.worker.moveToThread(self.thread)
        self._submit.connect(self.worker.process)
        self._release.connect(self.worker.release)
        self.thread.finished.connect(self.worker.deleteLater)
        self._current: Job | None = None
        for signal in (self.worker.finished, self.worker.failed, self.worker.cancelled,
                       self.worker.model_failed):
            signal.connect(self._on_ended)
        self.thread.start()

    @property
    def busy(self) -> bool:
        return self._current is not None

    @property
    def current(self) -> Job | None:
        return self._current

    def submit(self, job: Job) -> None:
        if self._current is not None:
            raise RuntimeError("the model runner is already working on a photo")
        self._current = job
        self._submit.emit(job)

    def cancel_current(self) -> None:
        if self._current is not None:
            self._current.cancel.cancel()

    def shutdown(self) -> None:
        """Cancel the photo in hand, let the worker finish its current step, stop the thread."""
        self.cancel_current()
        if self.thread.isRunning():
            self._release.emit()
            self.thread.quit()
            self.thread.wait()
        self._current = None

    def _on_ended(self, item_id: int, *_: object) -> None:
        if self._current is not None and self._current.item_id == item_id:
            self._current = None
