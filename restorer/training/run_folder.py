"""Where a training run keeps its files: one layout for the loop, its checkpoints and the wizard.

``<user data>/runs/<model name>/`` (or the folder ``restorer train --run-dir`` names) holds the
resumable checkpoint, the best weights so far, the photo split, the finished card's training
record, optionally every epoch's weights, and the wizard's own settings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from restorer.core.paths import user_data_dir

_FILES = {
    "checkpoint": "last.pt",  # everything needed to resume (weights, optimiser, history): loads weights-only
    "best": "best.safetensors",  # the weights of the best epoch so far
    "split": "split.json",  # which photos train, validate and test
    "card": "card.json",  # the finished model card's training record
    "wizard_settings": "wizard.json",  # what the training wizard asked, to resume from it
}


def runs_root() -> Path:
    """The folder holding every run started without an explicit run folder."""
    return user_data_dir() / "runs"


@dataclass(frozen=True)
class RunFolder:
    path: Path
    checkpoint: Path = field(init=False)
    best: Path = field(init=False)
    split: Path = field(init=False)
    card: Path = field(init=False)
    wizard_settings: Path = field(init=False)

    def __post_init__(self) -> None:
        for name, file_name in _FILES.items():
            object.__setattr__(self, name, Path(self.path) / file_name)

    @classmethod
    def named(cls, name: str) -> RunFolder:
        return cls(runs_root() / name)

    def epoch_weights(self, epoch: int) -> Path:
        return Path(self.path) / f"epoch{epoch:03d}.safetensors"
