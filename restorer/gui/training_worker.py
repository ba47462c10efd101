"""Runs a progress generator (folder scan, training) on its own QThread.

Each ``yield`` of the generator is a pause point and a cancellation point: ``pause()`` holds the
generator suspended at its last yield, ``cancel()`` sets the CancelToken (the training loop checks it
at every step) and stops the generator at its next yield even when it never checks the token
itself (the folder scan). A cancelled run ends with ``cancelled``, never with an error.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Generator

from PySide6.QtCore import QObject, QThread, Signal

from restorer.core.errors import CancelledError, RestorerError
from restorer.core.progress import CancelToken
from restorer.gui.tasks import error_message, register_thread

log = logging.getLogger(__name__)


class GeneratorThread(QThread):
    """Drives ``make_generator(cancel)`` to its end; results arrive on the GUI thread as signals."""

    yielded = Signal(object)  # each value the generator yields
    returned = Signal(object)  # the generator's return value
    failed = Signal(str)  # a one-line message for the user
    cancelled = Signal()

    def __init__(self, make_generator: Callable[[CancelToken], Generator], name: str,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self._make = make_generator
        self.token = CancelToken()
        self._running = threading.Event()
        self._running.set()
        register_thread(self)  # tests prove every one of them was stopped

    # control, from the GUI thread -----------------------------------------------------------

    def pause(self) -> None:
        self._running.clear()

    def resume(self) -> None:
        self._running.set()

    @property
    def paused(self) -> bool:
        return not self._running.is_set()

    def cancel(self) -> None:
        self.token.cancel()
        self._running.set()  # a paused generator must wake up to notice

    def stop(self, msecs: int = -1) -> bool:
        """Cancel and wait for the thread to end; True when it has ended."""
        self.cancel()
        return self.wait() if msecs < 0 else self.wait(msecs)

    # the thread -----------------------------------------------------------------------------

    def run(self) -> None:
        generator = None
        try:
            generator = self._make(self.token)
            while True:
                self._running.wait()
                self.token.raise_if_cancelled()
                try:
                    value = next(generator)
                except StopIteration as stop:
                    self.returned.emit(stop.value)
                    return
                self.yielded.emit(value)
        except CancelledError:
            self.cancelled.emit()
        except Exception as err:  # noqa: BLE001 - shown on the page, never as a traceback dialog
            if not isinstance(err, RestorerError):
                log.exception("%s failed", self.objectName())
            self.failed.emit(error_message(err, "Not enough memory: try a smaller batch or crop size."))
        finally:
            if generator is not None:
                generator.close()
