"""Where a training run keeps its files: one layout for the loop, its checkpoints and the wizard.

``<user data>/runs/<model name>/`` (or the folder ``restorer train --run-dir`` names) holds the
resumable checkpoint, the best weights so far, the photo split, the finished card's training
record, optionally every epoch's weights, and the wizard's own settings.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from restorer.core.paths import user_data_dir


def runs_root() -> Path:
    """The folder holding every run started without an explicit run folder."""
    return user_data_dir() / "runs"


@dataclass(frozen=True)
class RunFolder:
    path: Path

    @classmethod
    def named(cls, name: str) -> RunFolder:
        return cls(runs_root() / name)

    @property
    def checkpoint(self) -> Path:
        """Everything needed to resume (weights, optimiser, history): loads with weights_only."""
        return self.path / "last.pt"

    @property
    def best(self) -> Path:
        return self.path / "best.safetensors"

    @property
    def split(self) -> Path:
        return self.path / "split.json"

    @property
    def card(self) -> Path:
        return self.path / "card.json"

    @property
    def wizard_settings(self) -> Path:
        return self.path / "wizard.json"

    def epoch_weights(self, epoch: int) -> Path:
        return self.path / f"epoch{epoch:03d}.safetensors"
