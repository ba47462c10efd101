"""The session: the queue, the photo on screen, the settings a job snapshots, and the batch's rules.

Widgets write the user's choices into it (``colorize``, ``auto_save``, ``select``, ...) and
observe its events; the runner takes each :class:`Job` from ``job_ready`` and reports back
through the ``job_*`` methods. A job keeps a copy of the settings it started with, so changing
the model or the sliders mid-batch never changes a photo already running.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from restorer.core.errors import RestorerError
from restorer.core.progress import CancelToken
from restorer.gui.session.events import Event
from restorer.gui.session.queue import CANCELLED, DONE, FAILED, QUEUED, RUNNING, PhotoQueue
from restorer.gui.session.repair import RepairState
from restorer.gui.session.results import (
    Cleared,
    describe_outcome,
    describe_saved,
    describe_stop,
    made_with_other,
)
from restorer.gui.session.scan import ScanResult, describe_scan, plural
from restorer.pipeline.colorize import ChromaResult, ColorizeSettings
from restorer.pipeline.io import OutputOptions
from restorer.pipeline.postprocess import Adjustments

NO_MODEL = ("No model with trained weights is available: add weights to the weights/ folder or train a "
            "model (Tools ▸ Train a Model).")


@dataclass
class Job:
    """One photo to colorize, with a snapshot of the settings it runs with."""

    item_id: int
    path: Path
    settings: ColorizeSettings  # model, device, render size and the photo's own adjustments
    auto_save: OutputOptions | None = None  # where to save it as soon as it is done (None: keep it in the app)
    cancel: CancelToken = field(default_factory=CancelToken)


@dataclass
class Outcome:
    """A finished job: the network's result, the preview made from it, and what happened."""

    result: ChromaResult
    preview: object = None  # restorer.gui.rendering.Preview
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0
    output: Path | None = None


class Session:
    """Everything the main window shows and does, in plain Python."""

    def __init__(self) -> None:
        self.queue = PhotoQueue()
        self.colorize = ColorizeSettings()  # what the model picker shows
        self.auto_save: OutputOptions | None = None
        self.batch_adjustments = Adjustments()  # for every photo added from now on
        self.repair = RepairState()  # damage repaired before colour: on/off, options, hand-edited masks
        self.current: int | None = None  # the photo on screen
        self.pinned = False  # True when the user chose it (the view stops following the batch)
        self.running = False
        self.job: Job | None = None  # the batch's photo being colorized
        self.working: Job | None = None  # the job the runner has (a stopped batch's may still finish)
        self._stats = {DONE: 0, FAILED: 0}
        self._first: list[int] = []  # photos to re-colorize before the rest of the queue
        self._only: set[int] | None = None  # this run re-colorizes just these (the rest waits for Run)
        self._quiet = False  # this run is the on-screen photo's preview: its end needs no message
        self._cleared: Cleared | None = None  # the last Clear Finished, for undo_clear
        self.current_changed = Event()  # (item id or None)
        self.running_changed = Event()  # (bool)
        self.job_ready = Event()  # (Job): the runner starts it
        self.cancel_requested = Event()  # (Job): the runner stops it at its next step
        self.item_finished = Event()  # (item id, Outcome)
        self.adjustments_changed = Event()  # (item id, or None for the whole batch)
        self.overall_changed = Event()  # (finished, total, fraction)
        self.model_loaded = Event()  # (model name, device)
        self.notice = Event()  # (level, text) for the message bar
        self.cleared = Event()  # (Cleared) finished photos taken off; undo_clear puts them back
        self.queue.counts_changed.connect(self._on_counts_changed)

    # the queue ---------------------------------------------------------------------------------

    def add_scanned(self, scan: ScanResult, row: int = -1) -> list:
        """Queue the photos a scan found (each with a copy of the batch adjustments) and say so."""
        was_empty = len(self.queue) == 0
        new = self.queue.add_paths(scan.images, row, lambda: replace(self.batch_adjustments))
        self.notice.emit(*describe_scan(scan, len(new)))
        if new and (was_empty or self.current is None):
            self.select(new[0].id, pinned=False)
        return new

    def remove(self, ids: list[int]) -> int:
        """Take photos off the queue (the one being colorized is cancelled first)."""
        if self.job is not None and self.job.item_id in ids:
            self.cancel_current()
        count = self.queue.remove_ids(ids)
        self.repair.forget(ids)
        if self.current is not None and self.queue.item(self.current) is None:
            self.select(None)
        return count

    def clear_done(self) -> Cleared | None:
        """Take the finished photos off the queue, keeping them so :meth:`undo_clear` can put them back."""
        done = [item for item in self.queue.items() if item.status == DONE]
        if not done:
            return None
        masks = {item.id: self.repair.mask_of(item.id) for item in done}
        cleared = Cleared([(self.queue.row_of(item.id), item) for item in done],
                          {item_id: mask for item_id, mask in masks.items() if mask is not None})
        self._cleared = cleared  # before the removal, whose events refresh the Undo action
        self.remove([item.id for item in done])
        self.cleared.emit(cleared)
        return cleared

    @property
    def can_undo_clear(self) -> bool:
        return self._cleared is not None

    def undo_clear(self) -> int:
        """Put the photos of the last Clear Finished back where they were, results and all."""
        cleared, self._cleared = self._cleared, None
        if cleared is None:
            self.notice.emit("info", "Nothing to undo: no finished photos were cleared.")
            return 0
        back = self.queue.restore(cleared.entries)
        for item in back:
            if item.id in cleared.masks:
                self.repair.set_mask(item.id, cleared.masks[item.id])
        self.notice.emit("success", f"Put {plural(len(back), 'photo')} back in the queue.")
        return len(back)

    def retry(self) -> int:
        count = self.queue.retry()
        if count:
            self.notice.emit("info", f"Queued {plural(count, 'photo')} again.")
        return count

    # the photo on screen -----------------------------------------------------------------------

    def select(self, item_id: int | None, pinned: bool = True) -> None:
        """Show ``item_id`` (None: nothing). ``pinned``: the user chose it, so stop following the
        batch; an automatic selection keeps showing each photo as it finishes."""
        self.pinned = pinned and item_id is not None
        if item_id != self.current:
            self.current = item_id
            self.current_changed.emit(item_id)

    # adjustments -------------------------------------------------------------------------------

    def set_adjustments(self, item_id: int | None, adjustments: Adjustments) -> None:
        """The user changed the adjustments of the photo on screen."""
        item = self.queue.item(item_id)
        if item is not None:
            item.adjustments = adjustments
            self.adjustments_changed.emit(item_id)

    def apply_to_all(self, adjustments: Adjustments) -> None:
        """Use ``adjustments`` for every queued photo and every photo added later."""
        self.batch_adjustments = adjustments
        for item in self.queue.items():
            item.adjustments = replace(adjustments)
        self.adjustments_changed.emit(None)
        self.notice.emit("success", f"These adjustments now apply to all {plural(len(self.queue), 'photo')} in "
                                    "the queue and to photos you add later.")

    # the batch ---------------------------------------------------------------------------------

    def start(self) -> None:
        if self.queue.next_queued() is None and self.working is None:
            self.notice.emit("info", "Nothing to colorize: add photos, or retry failed ones.")
            return
        self._stats = {DONE: 0, FAILED: 0}
        self._only, self._quiet = None, False
        self._set_running(True)
        self._dispatch()

    def recolorize(self, ids: list[int], quiet: bool = False) -> int:
        """Colorize these photos again with today's settings, ahead of the rest of the queue. When no
        batch runs, only they run (the rest waits for Run). Each keeps its old result on screen until
        the new one replaces it. ``quiet``: the automatic preview, which needs no message."""
        if not self.colorize.model:
            self.notice.emit("error", NO_MODEL)
            return 0
        items = [item for item in map(self.queue.item, ids) if item is not None and item.status != RUNNING]
        for item in items:
            if item.status != QUEUED:
                self.queue.set_status(item.id, QUEUED, message="")
        chosen = [item.id for item in items]
        self._first = chosen + [item_id for item_id in self._first if item_id not in chosen]
        if not items:
            return 0
        if not quiet:
            self.notice.emit("info", f"Re-colorizing {plural(len(items), 'photo')} with {self.colorize.model}…")
        if not self.running:
            self._stats = {DONE: 0, FAILED: 0}
            self._only, self._quiet = set(chosen), quiet
            self._set_running(True)
            self._dispatch()
        elif self._only is not None:
            self._only.update(chosen)
        return len(items)

    def preview_current(self) -> bool:
        """The model picker changed: re-colorize the photo on screen with it, and only that one (the
        others keep their results until the user asks), as a photo editor previews a filter live."""
        item = self.queue.item(self.current)
        if item is None or item.status not in (DONE, QUEUED) or not made_with_other(item, self.colorize):
            return False
        return self.recolorize([item.id], quiet=True) > 0

    def outdated(self) -> list[int]:
        """Finished photos whose result the model picker's settings would not make."""
        return [item.id for item in self.queue.items() if item.status == DONE and made_with_other(item, self.colorize)]

    def make_job(self, item) -> Job:
        """A job for ``item`` with today's settings and a copy of the photo's adjustments."""
        if not self.colorize.model:
            raise RestorerError(NO_MODEL)
        adjustments = replace(item.adjustments) if item.adjustments is not None else None
        settings = replace(self.colorize, adjustments=adjustments, repair=self.repair.plan_for(item.id))
        return Job(item.id, item.path, settings, self.auto_save)

    def cancel_current(self) -> None:
        """Skip the photo being colorized; the batch goes on with the next one."""
        if self.job is not None:
            self.job.cancel.cancel()
            self.cancel_requested.emit(self.job)

    def cancel_all(self) -> None:
        """Stop the batch now: the current photo goes back to the queue, the rest stay queued.

        The runner stops at its next step; its answer for that photo is ignored.
        """
        job, self.job = self.job, None
        if job is not None:
            job.cancel.cancel()
            self.cancel_requested.emit(job)
            self.queue.set_status(job.item_id, QUEUED, message="")
        if self.running and not self._quiet:
            self.notice.emit("info", describe_stop(self._stats[DONE], self._stats[FAILED], len(self._waiting())))
        self._only, self._quiet = None, False
        self._set_running(False)

    def overall(self) -> tuple[int, int, float]:
        items = self.queue.items()
        finished = sum(1 for item in items if item.status in (DONE, FAILED))
        active = sum(1 for item in items if item.status != CANCELLED)
        running = sum(item.progress for item in items if item.status == RUNNING)
        return finished, active, (finished + running) / active if active else 0.0

    # reports from the runner -------------------------------------------------------------------

    def job_progress(self, job: Job, fraction: float, stage: str) -> None:
        if job is self.job:
            self.queue.set_progress(job.item_id, fraction, stage)
            self.overall_changed.emit(*self.overall())

    def job_done(self, job: Job, outcome: Outcome) -> None:
        item = self.queue.item(job.item_id)
        if self._ended(job) and item is not None:
            self._take_result(item, job, outcome)
            if not self.pinned:
                self.select(item.id, pinned=False)
            if item.id == self.current and made_with_other(item, self.colorize):
                self.recolorize([item.id], quiet=True)  # the picker changed while it ran: preview again
        self._dispatch()

    def _take_result(self, item, job: Job, outcome: Outcome) -> None:
        item.result, item.made_with = outcome.result, job.settings
        item.output = outcome.output or item.output
        if outcome.output is not None:  # auto-saved: this result is safe on disk
            item.saved_as = (outcome.result, _copy(job.settings.adjustments))
        self.queue.set_status(item.id, DONE, message=describe_outcome(outcome))
        self._stats[DONE] += 1
        for note in outcome.result.notes:  # e.g. the memory fallback: worth a warning
            self.notice.emit("warning", f"{item.name}: {note}")
        self.item_finished.emit(item.id, outcome)

    def job_failed(self, job: Job, message: str) -> None:
        item = self.queue.item(job.item_id)
        if self._ended(job) and item is not None:
            self.queue.set_status(item.id, FAILED, message=message)
            self._stats[FAILED] += 1
            self.notice.emit("error", f"{item.name}: {message}")
        self._dispatch()

    def job_cancelled(self, job: Job) -> None:
        if self._ended(job):
            self.queue.set_status(job.item_id, CANCELLED, message="Cancelled")
        self._dispatch()

    def job_model_failed(self, job: Job, message: str) -> None:
        """The network could not be loaded: the photo is not at fault, the batch stops."""
        if self._ended(job):
            self.queue.set_status(job.item_id, QUEUED, message="")
            self._set_running(False)
            self.notice.emit("error", message)
        self._dispatch()

    def model_ready(self, name: str, device: str) -> None:
        self.model_loaded.emit(name, device)

    # saving ------------------------------------------------------------------------------------

    def saved(self, item_id: int, path: Path, result: ChromaResult | None = None,
              adjustments: Adjustments | None = None) -> None:
        """``result`` with ``adjustments`` was written to ``path`` (no longer work a clear would lose)."""
        item = self.queue.item(item_id)
        if item is not None:
            item.output = Path(path)
            item.message = item.message.split("\nSaved to")[0] + f"\nSaved to {path}"
            if result is not None:
                item.saved_as = (result, _copy(adjustments))

    def save_failed(self, item_id: int, message: str) -> None:
        item = self.queue.item(item_id)
        self.notice.emit("error", f"Could not save {item.name if item else 'a photo'}: {message}")

    def export_finished(self, saved: list[tuple[Path, Path]], failed: int) -> None:
        """A save ended; ``saved`` holds its (original, file written) pairs, and only its own."""
        if failed:
            self.notice.emit("warning", f"Saved {plural(len(saved), 'photo')}; {failed} could not be saved.")
        elif saved:
            self.notice.emit("success", describe_saved(saved))

    # internals ---------------------------------------------------------------------------------

    def _set_running(self, running: bool) -> None:
        if running != self.running:
            self.running = running
            self.running_changed.emit(running)

    def _ended(self, job: Job) -> bool:
        """The runner is done with ``job``; True when the batch still wanted its answer."""
        if job is self.working:
            self.working = None
        if job is not self.job:
            return False  # given up by cancel_all
        self.job = None
        return True

    def _waiting(self) -> list:
        """Photos this run would still colorize."""
        return [item for item in self.queue.items()
                if item.status == QUEUED and (self._only is None or item.id in self._only)]

    def _next_item(self):
        """The next photo to colorize: re-colorize requests first, then the queue (unless this run
        is only re-colorizing)."""
        while self._first:
            item = self.queue.item(self._first[0])
            if item is not None and item.status == QUEUED:
                return item
            self._first.pop(0)
        return None if self._only is not None else self.queue.next_queued()

    def _dispatch(self) -> None:
        if not self.running or self.working is not None:
            return  # a photo given up by cancel_all may still be finishing: its answer dispatches
        item = self._next_item()
        if item is None:
            self._set_running(False)
            self._report_end()
            self._only, self._quiet = None, False
            return
        try:
            job = self.make_job(item)
        except RestorerError as err:  # e.g. no model chosen: stop and say why
            self._set_running(False)
            self.notice.emit("error", str(err))
            return
        self.queue.set_status(item.id, RUNNING, progress=0.0, stage="Starting", message="")
        self.job = self.working = job
        self.job_ready.emit(job)

    def _report_end(self) -> None:
        done, failed = self._stats[DONE], self._stats[FAILED]
        if failed:
            self.notice.emit("warning", f"Batch finished: {done} colorized, {failed} failed "
                                        "(hover a failed photo for the reason).")
        elif done and self._only is not None and not self._quiet:
            self.notice.emit("success", f"Re-colorized {plural(done, 'photo')} with {self.colorize.model}.")
        elif done and self._only is None:
            self.notice.emit("success", f"Batch finished: {plural(done, 'photo')} colorized.")

    def _on_counts_changed(self) -> None:
        self.overall_changed.emit(*self.overall())


def _copy(adjustments: Adjustments | None) -> Adjustments | None:
    return replace(adjustments) if adjustments is not None else None
