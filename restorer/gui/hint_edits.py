"""The colour hints of the photo being edited, with undo and redo (no Qt: tested without it).

Every edit replaces the whole tuple of hints (they are small and frozen), so undo is a stack of
earlier tuples. A drag moves a hint many times but is one step to undo: :meth:`begin_drag`
remembers the hints before it and :meth:`end_drag` records them once. Views subscribe and are
called after every change; ``committed`` says whether the change is final (not mid-drag), which
is when it is worth saving.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from restorer.core import ranges
from restorer.pipeline.hints import DEFAULT_RADIUS
from restorer.pipeline.inference import ColorHint

Hints = tuple[ColorHint, ...]
MAX_UNDO = 200


class HintEdits:
    """One photo's hints, the selected one, and the undo/redo history."""

    def __init__(self, hints: Hints = ()) -> None:
        self.hints: Hints = tuple(hints)
        self.selected: int | None = None
        self._undo: list[Hints] = []
        self._redo: list[Hints] = []
        self._before_drag: Hints | None = None
        self._observers: list[Callable[[bool], None]] = []

    def subscribe(self, callback: Callable[[bool], None]) -> None:
        """``callback(committed)`` after every change."""
        self._observers.append(callback)

    def reset(self, hints: Hints = ()) -> None:
        """Another photo's hints: a fresh history."""
        self.hints, self.selected = tuple(hints), None
        self._undo.clear()
        self._redo.clear()
        self._before_drag = None
        self._notify(committed=False)

    # edits -------------------------------------------------------------------------------------

    def add(self, x: float, y: float, a: float, b: float, color: str, radius: float = DEFAULT_RADIUS) -> int:
        """Place a hint; it becomes the selected one. Returns its index."""
        hint = ColorHint(_position(x), _position(y), a, b, _radius(radius), color)
        self._commit(self.hints + (hint,), len(self.hints))
        return len(self.hints) - 1

    def recolour(self, index: int, a: float, b: float, color: str) -> None:
        self._commit(self._with(index, a=a, b=b, color=color), index)

    def resize(self, index: int, radius: float) -> None:
        self._commit(self._with(index, radius=_radius(radius)), index)

    def delete(self, index: int) -> None:
        self._commit(self.hints[:index] + self.hints[index + 1:], None)

    def clear(self) -> None:
        if self.hints:
            self._commit((), None)

    def select(self, index: int | None) -> None:
        if index != self.selected:
            self.selected = index
            self._notify(committed=False)

    # dragging ----------------------------------------------------------------------------------

    def begin_drag(self, index: int) -> None:
        self._before_drag = self.hints
        self.select(index)

    def drag_to(self, index: int, x: float, y: float) -> None:
        """Move a hint during a drag (undone together with the rest of the drag)."""
        self.hints = self._with(index, x=_position(x), y=_position(y))
        self._notify(committed=False)

    def end_drag(self) -> None:
        before, self._before_drag = self._before_drag, None
        if before is not None and before != self.hints:
            self._record(before)
            self._notify(committed=True)

    # history -----------------------------------------------------------------------------------

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    def undo(self) -> None:
        if self._undo:
            self._redo.append(self.hints)
            self._restore(self._undo.pop())

    def redo(self) -> None:
        if self._redo:
            self._undo.append(self.hints)
            self._restore(self._redo.pop())

    # inside ------------------------------------------------------------------------------------

    def _with(self, index: int, **changes) -> Hints:
        hints = list(self.hints)
        hints[index] = replace(hints[index], **changes)
        return tuple(hints)

    def _commit(self, hints: Hints, selected: int | None) -> None:
        self._record(self.hints)
        self.hints, self.selected = hints, selected
        self._notify(committed=True)

    def _record(self, earlier: Hints) -> None:
        self._undo.append(earlier)
        del self._undo[:-MAX_UNDO]
        self._redo.clear()

    def _restore(self, hints: Hints) -> None:
        self.hints = hints
        if self.selected is not None and self.selected >= len(hints):
            self.selected = None
        self._notify(committed=True)

    def _notify(self, committed: bool) -> None:
        for callback in list(self._observers):
            callback(committed)


def _position(value: float) -> float:
    return min(max(float(value), ranges.HINT_POSITION.low), ranges.HINT_POSITION.high)


def _radius(value: float) -> float:
    return min(max(float(value), ranges.HINT_RADIUS.low), ranges.HINT_RADIUS.high)
