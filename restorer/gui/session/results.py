"""Finished results: which were made with other settings, what a clear can undo, and the lines the
user reads when a batch stops or a save ends. Plain Python, used by :class:`~restorer.gui.session.Session`."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from restorer.gui.session.queue import QueueItem
from restorer.gui.session.scan import plural
from restorer.pipeline.colorize import ColorizeSettings


def settings_key(settings: ColorizeSettings | None) -> tuple | None:
    """What decides a result's colours among the pickers' settings: model, device, render size."""
    return None if settings is None else (settings.model, settings.device, settings.render_size)


def made_with_other(item: QueueItem, settings: ColorizeSettings) -> bool:
    """``item`` holds a result that today's model picker would not make the same way."""
    return item.result is not None and settings_key(item.made_with) != settings_key(settings)


@dataclass
class Cleared:
    """Photos a Clear Finished took off the queue, kept (with results and hand-edited repair masks)
    so the clear can be undone: results are small, and an unsaved one may be an hour's adjusting."""

    entries: list[tuple[int, QueueItem]] = field(default_factory=list)  # (row it had, item)
    masks: dict[int, object] = field(default_factory=dict)  # item id -> repair mask

    @property
    def unsaved(self) -> int:
        return sum(1 for _, item in self.entries if item.unsaved)

    def describe(self) -> str:
        count = len(self.entries)
        note = f", {self.unsaved} of them not saved" if self.unsaved else ""
        return f"Removed {plural(count, 'finished photo')} from the queue{note}."


def describe_stop(done: int, failed: int, left: int) -> str:
    """``Stopped: 1 of 20 photos colorized; 19 still queued.``"""
    total = done + failed + left
    failures = f", {failed} failed" if failed else ""
    rest = f"; {left} still queued (Run goes on from there)" if left else ""
    return f"Stopped: {done} of {plural(total, 'photo')} colorized{failures}{rest}."


def describe_saved(saved: list[tuple[Path, Path]]) -> str:
    """Where a save put its files; ``saved`` holds (original, file written) pairs of this save only."""
    folders = {path.parent for _, path in saved}
    if len(saved) == 1:
        return f"Saved {saved[0][1].name} to {saved[0][1].parent}."
    if len(folders) == 1:
        return f"Saved {plural(len(saved), 'photo')} to {folders.pop()}."
    if all(path.parent == original.parent for original, path in saved):
        return f"Saved {plural(len(saved), 'photo')} beside their originals."
    return f"Saved {plural(len(saved), 'photo')} to {len(folders)} folders."


def describe_outcome(outcome) -> str:
    """A finished photo's tooltip: how it was made, where it went, and any notes."""
    result = outcome.result
    text = f"Colorized with {result.model} on {result.device} at {result.render_size} px in {outcome.seconds:.1f} s"
    if outcome.output:
        text += f"\nSaved to {outcome.output}"
    return text + (f"\n{'; '.join(outcome.notes)}" if outcome.notes else "")
