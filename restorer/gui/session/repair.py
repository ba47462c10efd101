"""The app's damage-repair state: on or off, the options, and the masks the user edited by hand.

A job takes a :class:`~restorer.pipeline.repair.RepairPlan` from here when it starts (like the rest
of its settings), so changing the sliders mid-batch never changes a photo already running.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

import numpy as np

from restorer.gui.session.events import Event
from restorer.pipeline.repair_options import RepairOptions


class RepairState:
    """``changed`` () after any change: on/off, options, or a photo's hand-edited mask."""

    def __init__(self) -> None:
        self.enabled = False  # off by default: it harms clean photos (docs/REPAIR.md)
        self.options = RepairOptions()
        self._masks: dict[int, np.ndarray] = {}
        self.changed = Event()

    def set_enabled(self, enabled: bool) -> None:
        if enabled != self.enabled:
            self.enabled = enabled
            self.changed.emit()

    def set_options(self, **changes) -> None:
        """Change some options (``sensitivity=0.7``...); checked against the shared ranges."""
        options = replace(self.options, **changes)
        if options != self.options:
            self.options = options
            self.changed.emit()

    def plan_for(self, item_id: int):
        """The plan a job for this photo repairs with (its hand-edited mask if any), None when off."""
        if not self.enabled:
            return None
        from restorer.pipeline.repair import RepairPlan

        return RepairPlan(self.options, self._masks.get(item_id))

    def set_mask(self, item_id: int, mask: np.ndarray | None) -> None:
        """Repair this photo with ``mask`` (full size, bool) instead of detecting; None: detect again."""
        if mask is None:
            self._masks.pop(item_id, None)
        else:
            self._masks[item_id] = mask.astype(bool)
        self.changed.emit()

    def mask_of(self, item_id: int) -> np.ndarray | None:
        return self._masks.get(item_id)

    @property
    def edited(self) -> int:
        """How many photos have a hand-edited mask."""
        return len(self._masks)

    def forget(self, item_ids: Iterable[int]) -> None:
        """Drop the masks of photos taken off the queue."""
        if any(self._masks.pop(item_id, None) is not None for item_id in list(item_ids)):
            self.changed.emit()

    def to_dict(self) -> dict:
        return {"enabled": self.enabled, "sensitivity": self.options.sensitivity, "strength": self.options.strength}

    def load(self, data: dict) -> None:
        """Settings saved by :meth:`to_dict`; a value outside its range keeps the default."""
        from restorer.core.errors import SettingError

        self.enabled = bool(data.get("enabled", False))
        for key in ("sensitivity", "strength"):
            try:
                self.options = replace(self.options, **{key: float(data.get(key, getattr(self.options, key)))})
            except (SettingError, TypeError, ValueError):
                continue
        self.changed.emit()
