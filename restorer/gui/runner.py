"""The model runner: colorizes the session's jobs one at a time on a superqt worker.

A job is a generator (:func:`colorize_job`) through the pipeline's one colorize path: every
``yield`` is a progress point and the place where a cancel takes effect. The network is kept
between jobs and loaded again only when the model or device changes; torch is imported on the
worker thread, so the window opens without waiting for it. The runner reports to the
:class:`~restorer.gui.session.Session`, never to a window.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

from PySide6.QtCore import QObject

from restorer.core.errors import RestorerError
from restorer.core.progress import Progress
from restorer.gui.rendering import PREVIEW_MAX, make_preview
from restorer.gui.session import Job, Outcome, Session
from restorer.gui.workers import Lane, ProgressWorker, error_message, is_cancel

LOADED = "model loaded"  # a progress stage whose payload is (model name, device)


class ModelUnavailable(RestorerError):
    """The network could not be loaded: the batch stops, and the photo is not blamed."""


def _load_colorizer(name: str, device: str):
    from restorer.models.runtime import load_colorizer

    return load_colorizer(name, device)


class LoadedModel:
    """The network of the last job, loaded again only when the model or device changes."""

    def __init__(self, loader: Callable[[str, str], object] | None = None) -> None:
        self._loader = loader or _load_colorizer
        self._key: tuple[str, str] | None = None
        self._colorizer = None

    def is_loaded(self, name: str, device: str) -> bool:
        return self._colorizer is not None and self._key == (name, device)

    def get(self, name: str, device: str):
        if not self.is_loaded(name, device):
            self.release()
            try:
                self._colorizer = self._loader(name, device)
            except Exception as err:  # noqa: BLE001 - reported once, the batch stops
                raise ModelUnavailable(f"Cannot load model {name!r} on {device}: {error_message(err)}") from err
            self._key = (name, device)
        return self._colorizer

    def release(self) -> None:
        self._colorizer, self._key = None, None


def _step(job: Job, fraction: float, stage: str, payload=None) -> Progress:
    job.cancel.raise_if_cancelled()  # a job skipped before its worker started stops here
    return Progress(round(fraction * 100), 100, stage, stage, payload)


def colorize_job(job: Job, model: LoadedModel, preview_max: int = PREVIEW_MAX) -> Iterator[Progress]:
    """Generator: load the network if needed, read, colorize, preview (and auto-save); returns an Outcome."""
    from restorer.pipeline.colorize import predict_chroma, save_result
    from restorer.pipeline.io import load_image
    from restorer.pipeline.repair import repair_loaded

    from restorer.pipeline.hints import with_photo_hints

    started = time.monotonic()
    settings = with_photo_hints(job.settings, job.path)  # the photo's sidecar hints, as the command line
    if not model.is_loaded(settings.model, settings.device):
        yield _step(job, 0.05, "Loading model")
        colorizer = model.get(settings.model, settings.device)
        yield _step(job, 0.1, LOADED, (settings.model, str(colorizer.device)))
    colorizer = model.get(settings.model, settings.device)
    yield _step(job, 0.15, "Reading photo")
    loaded = load_image(job.path)
    if settings.repair is not None:
        yield _step(job, 0.25, "Repairing damage")
        loaded = repair_loaded(loaded, settings.repair)  # as load_photo does: saving repeats it
    yield _step(job, 0.35, "Colorizing")
    result = predict_chroma(colorizer, loaded.pixels, settings)
    yield _step(job, 0.8, "Finishing")
    outcome = Outcome(result, make_preview(loaded.pixels, result, preview_max), loaded.notes + result.notes)
    if job.auto_save is not None:
        yield _step(job, 0.9, "Saving")
        outcome.output = save_result(result, loaded, settings.adjustments, job.auto_save)
    outcome.seconds = time.monotonic() - started
    return outcome


class Runner(QObject):
    """Takes each job the session makes ready, and reports how it went back to the session."""

    def __init__(self, session: Session, loader: Callable[[str, str], object] | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.model = LoadedModel(loader)
        self.lane = Lane("model-runner", 1, self)
        self._worker: ProgressWorker | None = None
        self._job: Job | None = None
        session.job_ready.connect(self.run)
        session.cancel_requested.connect(self._cancel)

    @property
    def busy(self) -> bool:
        return self._worker is not None

    def run(self, job: Job) -> None:
        if self._worker is not None:
            raise RuntimeError("the model runner is already working on a photo")
        ending: dict = {}
        worker = ProgressWorker(colorize_job, job, self.model)
        worker.yielded.connect(lambda progress: self._progress(job, progress))
        worker.returned.connect(lambda outcome: ending.setdefault("outcome", outcome))
        worker.errored.connect(lambda err: ending.setdefault("error", err))
        worker.finished.connect(lambda: self._ended(job, ending))
        self._worker, self._job = worker, job
        self.lane.start(worker)

    def shutdown(self) -> None:
        """Stop the photo in hand at its next step, wait for the worker, drop the network."""
        if self._worker is not None:
            self._worker.quit()
        self.lane.shutdown()
        self._worker = self._job = None
        self.model.release()

    def _cancel(self, job: Job) -> None:
        if job is self._job and self._worker is not None:
            self._worker.quit()

    def _progress(self, job: Job, progress: Progress) -> None:
        if progress.stage == LOADED:
            self.session.model_ready(*progress.payload)
        else:
            self.session.job_progress(job, progress.fraction, progress.stage)

    def _ended(self, job: Job, ending: dict) -> None:
        """The worker finished: exactly one report reaches the session, whatever way it ended."""
        if job is self._job:
            self._worker = self._job = None
        err = ending.get("error")
        if "outcome" in ending:
            self.session.job_done(job, ending["outcome"])
        elif isinstance(err, ModelUnavailable):
            self.session.job_model_failed(job, str(err))
        elif err is not None and not is_cancel(err):
            self.session.job_failed(job, error_message(err))
        else:  # stopped at a yield (superqt's abort), or by the job's own cancel check
            self.session.job_cancelled(job)
