"""Short background tasks on private thread pools, and a registry of every thread the GUI starts.

Each :class:`TaskPool` owns one ``QThreadPool``; ``submit`` runs a plain function there and
delivers its result (or a one-line error) to a callback on the GUI thread. ``shutdown`` drops
queued tasks and waits for the running ones, so closing a window never leaves a thread behind.
Tests call :func:`running_threads` to check exactly that.
"""

from __future__ import annotations

import itertools
import weakref
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QThread, QThreadPool, Signal, Slot

from restorer.core.errors import RestorerError

_POOLS: weakref.WeakSet[TaskPool] = weakref.WeakSet()
_THREADS: list[weakref.ref] = []


def register_thread(thread: QThread) -> None:
    """Track a long-lived QThread so tests can prove it was stopped."""
    _THREADS.append(weakref.ref(thread))


def running_threads() -> list[str]:
    """Names of GUI threads still running and pools with active tasks (empty when all is quiet)."""
    names = []
    for ref in list(_THREADS):
        thread = ref()
        if thread is None or not shiboken6.isValid(thread):
            _THREADS.remove(ref)
        elif thread.isRunning():
            names.append(thread.objectName() or "QThread")
    for pool in list(_POOLS):
        if shiboken6.isValid(pool) and pool.active_count():
            names.append(f"{pool.name} pool")
    return names


def error_message(err: BaseException, memory_hint: str = "not enough memory") -> str:
    """One line for the user: our own errors as they are, anything else with its type."""
    if isinstance(err, RestorerError):
        text = str(err)
    elif isinstance(err, MemoryError):
        text = memory_hint
    else:
        text = f"{type(err).__name__}: {err}"
    return " ".join(text.split()) or type(err).__name__


class _Relay(QObject):
    """Carries results from pool threads to the GUI thread (queued signal delivery)."""

    done = Signal(int, object)
    failed = Signal(int, str)


class TaskPool(QObject):
    """A named thread pool for short jobs with callbacks on the GUI thread."""

    def __init__(self, name: str, max_threads: int = 1, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(max_threads)
        self._pool.setObjectName(f"{name}-pool")
        self._relay = _Relay()
        self._relay.done.connect(self._on_done)
        self._relay.failed.connect(self._on_failed)
        self._callbacks: dict[int, tuple[Callable | None, Callable | None]] = {}
        self._ids = itertools.count(1)
        self._closed = False
        _POOLS.add(self)

    def submit(self, fn: Callable[..., Any], *args: Any, on_done: Callable | None = None,
               on_error: Callable[[str], None] | None = None, priority: int = 0) -> int:
        """Run ``fn(*args)`` on the pool; returns a task id (results of dropped tasks never arrive)."""
        if self._closed:
            return 0
        key = next(self._ids)
        self._callbacks[key] = (on_done, on_error)
        relay = self._relay

        def job() -> None:
            try:
                result = fn(*args)
            except Exception as err:  # noqa: BLE001 - reported to the user, never raised in a thread
                relay.failed.emit(key, error_message(err))
            else:
                relay.done.emit(key, result)

        self._pool.start(job, priority)
        return key

    def clear_pending(self) -> None:
        """Forget queued tasks that have not started (their callbacks never run)."""
        self._pool.clear()

    def active_count(self) -> int:
        return self._pool.activeThreadCount()

    def wait(self, msecs: int = -1) -> bool:
        return self._pool.waitForDone(msecs)

    def shutdown(self) -> None:
        """Drop queued tasks, wait for running ones, ignore every later result."""
        self._closed = True
        self._pool.clear()
        self._pool.waitForDone()
        self._callbacks.clear()

    @Slot(int, object)
    def _on_done(self, key: int, result: object) -> None:
        on_done, _ = self._callbacks.pop(key, (None, None))
        if on_done is not None and not self._closed:
            on_done(result)

    @Slot(int, str)
    def _on_failed(self, key: int, message: str) -> None:
        _, on_error = self._callbacks.pop(key, (None, None))
        if on_error is not None and not self._closed:
            on_error(message)
