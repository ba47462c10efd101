"""The live preview of colour hints: the network re-run on the preview-size photo after each edit.

Edits come quickly (a drag is dozens of moves), so requests are debounced and only the newest
one runs; the network runs on a worker thread that owns its own loaded copy of the model (torch
never runs on the GUI thread). The preview photo is at most 2048 px, the network sees it at its
working size (160-224 px, at each of its render scales), so one re-render costs the network plus a
merge at preview size; vivid2 remembers the encoder's features of the photo, so after the first
render an edit re-runs only its decoder. ``benchmarks/bench_hints.py`` measures the time from an
edit to the new picture.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import numpy as np
from PySide6.QtCore import QObject, QTimer, Signal

from restorer.gui.workers import Lane

DEBOUNCE_MS = 25


def hinted_preview(colorizer, original: np.ndarray, hints, render_size: int | None, adjustments=None,
                   lum: np.ndarray | None = None):
    """(chroma at the working size, colorized preview, the same with ``adjustments``) of a uint8
    preview photo; ``lum`` is its L when at hand (the previewer keeps it between edits)."""
    from restorer.core.errors import HintsError
    from restorer.pipeline.color import luminance, merge_luminance_chroma
    from restorer.pipeline.hints import hint_support_problem
    from restorer.pipeline.postprocess import adjust_keeping_dtype
    from restorer.pipeline.colorize import ColorizeSettings, predict_chroma

    problem = hint_support_problem(colorizer.spec) if hints else None
    if problem:
        raise HintsError(f"{problem}: choose one of those in the Model box to use hints")
    lum = luminance(original) if lum is None else lum
    settings = ColorizeSettings(colorizer.name, render_size=render_size, hints=tuple(hints))
    ab = predict_chroma(colorizer, original, settings, lum).ab
    colorized = merge_luminance_chroma(lum, ab, np.uint8)
    return ab, colorized, adjust_keeping_dtype(colorized, adjustments)


def _default_loader(name: str, device: str):
    from restorer.models.runtime import load_colorizer

    return load_colorizer(name, device)


class _ModelSlot:
    """The worker's loaded network (reloaded when the model or device changes), and the L of the
    last preview photo (every edit of one photo needs the same)."""

    def __init__(self, loader: Callable[[str, str], object]) -> None:
        self._loader = loader
        self._lock = threading.Lock()
        self._key: tuple[str, str] | None = None
        self._colorizer = None
        self._lum: tuple[np.ndarray, np.ndarray] | None = None

    def lum_of(self, original: np.ndarray) -> np.ndarray:
        from restorer.pipeline.color import luminance

        with self._lock:
            if self._lum is None or self._lum[0] is not original:
                self._lum = (original, luminance(original))
            return self._lum[1]

    def get(self, name: str, device: str):
        with self._lock:
            if self._key != (name, device):
                self._colorizer, self._key = None, None
                self._colorizer = self._loader(name, device)
                self._key = (name, device)
            return self._colorizer

    def release(self) -> None:
        with self._lock:
            self._colorizer, self._key, self._lum = None, None, None


class HintPreviewer(QObject):
    """``rendered(item_id, (ab, colorized, adjusted))`` after :meth:`request`;
    ``suggested(item_id, index, suggestions)`` after :meth:`suggest`; ``failed(message)``."""

    rendered = Signal(int, object)
    suggested = Signal(int, int, object)
    failed = Signal(str)

    def __init__(self, loader: Callable[[str, str], object] | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._slot = _ModelSlot(loader or _default_loader)
        self._pool = Lane("hints", 1, self)  # renders: only the newest waiting one is kept
        self._suggestions = Lane("hint-suggestions", 1, self)  # never dropped by a newer render
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._run_newest)
        self._model: tuple[str, str] | None = None
        self.render_size: int | None = None
        self._pending: tuple | None = None
        self._generation = 0
        self._edited_at = 0.0
        self.latencies: list[float] = []  # seconds from an edit to its picture (benchmarks read them)

    def set_model(self, name: str | None, device: str = "auto", render_size: int | None = None) -> None:
        self._model = (name, device) if name else None
        self.render_size = render_size

    @property
    def busy(self) -> bool:
        return self._timer.isActive() or self._pool.active_count() > 0 or self._suggestions.active_count() > 0

    def warm(self) -> None:
        """Load the network now (the first hint should not wait for it)."""
        if self._model is not None:
            self._pool.run(self._slot.get, *self._model, on_error=self.failed.emit)

    def request(self, item_id: int, original: np.ndarray, hints, adjustments=None) -> None:
        """Re-render ``original`` with ``hints`` soon; a newer request replaces this one."""
        if self._model is None:
            return
        self._edited_at = time.perf_counter()
        self._pending = (item_id, original, tuple(hints), adjustments)
        self._timer.start()

    def suggest(self, item_id: int, index: int, original: np.ndarray, x: float, y: float, hints) -> None:
        """The model's top colours at (x, y), given the other ``hints``."""
        from restorer.pipeline.suggest import suggest_colours

        if self._model is None:
            return
        model, render = self._model, self.render_size

        def work():
            return suggest_colours(self._slot.get(*model), original, x, y, tuple(hints), render_size=render)

        self._suggestions.run(work, on_done=lambda found: self.suggested.emit(item_id, index, found),
                              on_error=self.failed.emit)

    def wait(self) -> None:
        self._pool.wait()
        self._suggestions.wait()

    def shutdown(self) -> None:
        self._timer.stop()
        self._pool.shutdown()
        self._suggestions.shutdown()
        self._slot.release()

    def _run_newest(self) -> None:
        if self._pending is None or self._model is None:
            return
        (item_id, original, hints, adjustments), self._pending = self._pending, None
        self._generation += 1
        generation, edited_at, model, render = self._generation, self._edited_at, self._model, self.render_size
        self._pool.clear_pending()

        def work():
            colorizer = self._slot.get(*model)
            return hinted_preview(colorizer, original, hints, render, adjustments, self._slot.lum_of(original))

        self._pool.run(work, on_done=lambda out: self._done(generation, edited_at, item_id, out),
                          on_error=self.failed.emit)

    def _done(self, generation: int, edited_at: float, item_id: int, out) -> None:
        if generation != self._generation:
            return  # a newer edit is on its way
        self.latencies.append(time.perf_counter() - edited_at)
        self.rendered.emit(item_id, out)
