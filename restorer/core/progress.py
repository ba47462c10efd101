"""Progress reports yielded by long work, and the cooperative cancel flag it checks."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from restorer.core.errors import CancelledError


@dataclass(frozen=True)
class Progress:
    """One progress point of a long job.

    ``done``/``total`` count work units (files, steps); ``stage`` names what is happening;
    ``payload`` carries job-specific data (a result, losses, a preview image).
    """

    done: int
    total: int
    stage: str = ""
    message: str = ""
    payload: Any = field(default=None, compare=False)

    @property
    def fraction(self) -> float:
        return 0.0 if self.total <= 0 else min(1.0, self.done / self.total)


class CancelToken:
    """Thread-safe flag a GUI or signal handler sets and long work checks at each step."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    def reset(self) -> None:
        self._event.clear()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def raise_if_cancelled(self) -> None:
        if self._event.is_set():
            raise CancelledError("Cancelled by the user.")


NEVER_CANCELLED = CancelToken()


def run_to_end(generator):
    """Drain a progress generator (the CLI and GUI show its yields; scripts and tests need only
    the result) and return its return value."""
    while True:
        try:
            next(generator)
        except StopIteration as stop:
            return stop.value
