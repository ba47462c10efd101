"""A plain-Python signal: the models' way to tell their observers what changed."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager


class Event:
    """Callbacks connected to an event run in order, on the caller's thread, each time it fires.

    The models are touched on the GUI thread only (workers' reports arrive there as Qt signals),
    so no locking is needed.
    """

    def __init__(self) -> None:
        self._callbacks: list[Callable[..., object]] = []
        self._blocked = 0

    def connect(self, callback: Callable[..., object]) -> Callable[..., object]:
        self._callbacks.append(callback)
        return callback

    def disconnect(self, callback: Callable[..., object]) -> None:
        self._callbacks.remove(callback)

    def emit(self, *args: object) -> None:
        if self._blocked:
            return
        for callback in list(self._callbacks):
            callback(*args)

    @contextmanager
    def blocked(self) -> Iterator[None]:
        """Nothing is emitted inside the block (a view syncing itself must not echo back)."""
        self._blocked += 1
        try:
            yield
        finally:
            self._blocked -= 1
