"""Drives the queue through the model runner: one photo at a time, in queue order.

The queue model stays on the GUI thread; the controller hands the runner the next queued photo
whenever it is idle, so reordering, removing or adding photos while a batch runs just works.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from restorer.gui.queue_model import CANCELLED, DONE, FAILED, QUEUED, RUNNING, QueueItem, QueueModel
from restorer.gui.runner import Job, ModelRunner


class BatchController(QObject):
    running_changed = Signal(bool)
    overall_changed = Signal(int, int, float)  # finished, total, fraction
    item_finished = Signal(int, object)  # item id, Preview
    notice = Signal(str, str)  # level, message
    model_loaded = Signal(str, str)

    def __init__(self, model: QueueModel, runner: ModelRunner, job_factory: Callable[[QueueItem], Job],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.runner = runner
        self.job_factory = job_factory
        self._running = False
        self._current: int | None = None
        self._detached: set[int] = set()  # photos given up by cancel_all, still with the runner
        self._stats = {"done": 0, "failed": 0}
        worker = runner.worker
        worker.progress.connect(self._on_progress)
        worker.finished.connect(self._on_finished)
        worker.failed.connect(self._on_failed)
        worker.cancelled.connect(self._on_cancelled)
        worker.model_failed.connect(self._on_model_failed)
        worker.notice.connect(self.notice)
        worker.model_loaded.connect(self.model_loaded)
        model.counts_changed.connect(self._emit_overall)

    @property
    def running(self) -> bool:
        return self._running

    @property
    def busy(self) -> bool:
        """A photo is with the runner (its result has not been handled yet)."""
        return self._current is not None

    @property
    def current_id(self) -> int | None:
        return self._current

    def start(self) -> None:
        if self.model.next_queued() is None and not self.busy:
            self.notice.emit("info", "Nothing to colorize: add photos, or retry failed ones.")
            return
        self._stats = {"done": 0, "failed": 0}
        self._set_running(True)
        self._dispatch()

    def cancel_current(self) -> None:
        """Skip the photo being colorized; the batch goes on with the next one."""
        self.runner.cancel_current()

    def cancel_all(self) -> None:
        """Stop the batch now: the current photo goes back to the queue, the rest stay queued.

        The runner stops at its next cancellation point; its answer for that photo is ignored.
        """
        self.runner.cancel_current()
        if self._current is not None:
            self._detached.add(self._current)
            self.model.set_status(self._current, QUEUED, message="")
            self._current = None
        self._set_running(False)

    def overall(self) -> tuple[int, int, float]:
        items = self.model.items()
        finished = sum(1 for item in items if item.status in (DONE, FAILED))
        active = sum(1 for item in items if item.status != CANCELLED)
        running = sum(item.progress for item in items if item.status == RUNNING)
        fraction = (finished + running) / active if active else 0.0
        return finished, active, fraction

    # internals -------------------------------------------------------------------------------

    def _set_running(self, running: bool) -> None:
        if running != self._running:
            self._running = running
            self.running_changed.emit(running)

    def _dispatch(self) -> None:
        if not self._running or self.busy or self.runner.busy:
            return  # a photo given up by cancel_all may still be finishing: its answer dispatches
        item = self.model.next_queued()
        if item is None:
            self._set_running(False)
            self._report_end()
            return
        try:
            job = self.job_factory(item)
        except Exception as err:  # noqa: BLE001 - e.g. no model chosen: stop and say why
            self._set_running(False)
            self.notice.emit("error", str(err))
            return
        self.model.set_status(item.id, RUNNING, progress=0.0, stage="Starting", message="")
        self._current = item.id
        self.runner.submit(job)

    def _report_end(self) -> None:
        done, failed = self._stats["done"], self._stats["failed"]
        if failed:
            self.notice.emit("warning", f"Batch finished: {done} colorized, {failed} failed "
                             "(hover a failed photo for the reason).")
        elif done:
            self.notice.emit("success", f"Batch finished: {done} photo{'s' if done != 1 else ''} colorized.")

    def _was_detached(self, item_id: int) -> bool:
        if item_id not in self._detached:
            return False
        self._detached.discard(item_id)
        self._dispatch()
        return True

    def _emit_overall(self) -> None:
        self.overall_changed.emit(*self.overall())

    def _on_progress(self, item_id: int, fraction: float, stage: str) -> None:
        self.model.set_progress(item_id, fraction, stage)
        self._emit_overall()

    def _on_finished(self, item_id: int, payload) -> None:
        if self._was_detached(item_id):
            return
        self._current = None
        colorized, preview = payload
        item = self.model.item(item_id)
        if item is not None:
            item.result = colorized
            item.output = colorized.output or item.output
            note = "; ".join(colorized.notes)
            summary = f"Colorized with {colorized.model} on {colorized.device} at {colorized.render_size} px " \
                      f"in {colorized.seconds:.1f} s"
            if colorized.output:
                summary += f"\nSaved to {colorized.output}"
            self.model.set_status(item_id, DONE, message=summary + (f"\n{note}" if note else ""))
            self._stats["done"] += 1
            self.item_finished.emit(item_id, preview)
        self._dispatch()

    def _on_failed(self, item_id: int, message: str) -> None:
        if self._was_detached(item_id):
            return
        self._current = None
        item = self.model.item(item_id)
        if item is not None:
            self.model.set_status(item_id, FAILED, message=message)
            self._stats["failed"] += 1
            self.notice.emit("error", f"{item.name}: {message}")
        self._dispatch()

    def _on_cancelled(self, item_id: int) -> None:
        if self._was_detached(item_id):
            return
        self._current = None
        self.model.set_status(item_id, CANCELLED, message="Cancelled")
        self._dispatch()

    def _on_model_failed(self, item_id: int, message: str) -> None:
        if self._was_detached(item_id):
            return
        self._current = None
        self.model.set_status(item_id, QUEUED, message="")
        self._set_running(False)
        self.notice.emit("error", message)
