"""Background work on superqt workers: a generator per job, each ``yield`` a cancellation point.

Every kind of work has its own small thread pool (a :class:`Lane`: previews, thumbnails, the
model runner, training...) so a long training run or a folder of thumbnails never queues the
photo the user is waiting for behind it (Qt's global pool has as many threads as cores: two on the
machines Restorer targets). A worker's callbacks run on the GUI thread. ``shutdown`` drops queued
work and waits for running work, so closing a window never leaves a thread behind; tests call
:func:`running_threads` to check exactly that.
"""

from __future__ import annotations

import logging
import weakref
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QThreadPool
from superqt.utils import FunctionWorker, GeneratorWorker

from restorer.core.errors import CancelledError, RestorerError

log = logging.getLogger(__name__)
_LANES: weakref.WeakSet[Lane] = weakref.WeakSet()


def running_threads() -> list[str]:
    """Names of lanes with work still running (empty when all is quiet)."""
    return [f"{lane.name} lane" for lane in list(_LANES) if shiboken6.isValid(lane) and lane.active_count()]


def error_message(err: BaseException, memory_hint: str = "not enough memory") -> str:
    """One line for the user: our own errors as they are, anything else with its type."""
    if isinstance(err, RestorerError):
        text = str(err)
    elif isinstance(err, MemoryError):
        text = memory_hint
    else:
        log.error("Unexpected error in a worker", exc_info=(type(err), err, err.__traceback__))
        text = f"{type(err).__name__}: {err}"
    return " ".join(text.split()) or type(err).__name__


def is_cancel(err: BaseException) -> bool:
    """The work stopped because it was asked to (the training loop's own cancel check)."""
    return isinstance(err, CancelledError)


class ProgressWorker(GeneratorWorker):
    """superqt's generator worker, plus: its generator is closed on the worker thread when it ends
    (so the generator's ``finally`` blocks run there), ``paused`` answers at once, and a resume
    right after a pause (before it took effect at the next yield) cancels that pause."""

    def work(self):
        try:
            return super().work()
        finally:
            self._gen.close()

    def resume(self) -> None:
        if self._pause_requested:
            self._pause_requested = False
        else:
            super().resume()

    @property
    def paused(self) -> bool:
        """Pausing was asked for (it takes effect at the generator's next yield)."""
        return (self._pause_requested or self.is_paused) and not self._resume_requested


class Lane(QObject):
    """A named thread pool for one kind of work, running superqt workers."""

    def __init__(self, name: str, threads: int = 1, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(threads)
        self._pool.setObjectName(f"{name}-pool")
        self._workers: set = set()  # started, not yet finished: Python keeps them alive meanwhile
        self._closed = False
        _LANES.add(self)

    def run(self, fn: Callable[..., Any], *args: Any, on_done: Callable | None = None,
            on_error: Callable[[str], None] | None = None, priority: int = 0) -> FunctionWorker | None:
        """Run ``fn(*args)`` here; ``on_done(result)`` or ``on_error(message)`` follow on the GUI thread."""
        if self._closed:
            return None
        worker = FunctionWorker(fn, *args)
        if on_done is not None:
            worker.returned.connect(self._unless_closed(on_done))
        if on_error is not None:
            worker.errored.connect(self._unless_closed(lambda err: on_error(error_message(err))))
        self.start(worker, priority)
        return worker

    def start(self, worker, priority: int = 0) -> None:
        """Start a worker made elsewhere (e.g. a :class:`ProgressWorker` with its signals connected)."""
        if self._closed:
            return
        self._workers.add(worker)
        worker.finished.connect(lambda w=worker: self._workers.discard(w))
        self._pool.start(worker, priority)

    def clear_pending(self) -> None:
        """Forget work that has not started (its callbacks never run)."""
        self._pool.clear()
        self._workers = {worker for worker in self._workers if worker.is_running}

    def active_count(self) -> int:
        return self._pool.activeThreadCount()

    def wait(self, msecs: int = -1) -> bool:
        return self._pool.waitForDone(msecs)

    def shutdown(self) -> None:
        """Drop queued work, ask running workers to stop at their next yield, wait, ignore every later result."""
        self._closed = True
        self._pool.clear()
        for worker in list(self._workers):
            worker.quit()
        self._pool.waitForDone()

    def _unless_closed(self, callback: Callable) -> Callable:
        return lambda *args: None if self._closed else callback(*args)
