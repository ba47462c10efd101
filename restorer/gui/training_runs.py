"""Plain-Python helpers of the training wizard: names, default settings, saved runs, the config.

No Qt here, so every rule is easy to test. A run started by the wizard keeps its settings in
``<user data>/runs/<name>/wizard.json`` next to the loop's checkpoints; reopening the wizard with
the same name reads them back and continues the run.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

from restorer.core.atomic import write_text_atomic
from restorer.training.config import TrainConfig
from restorer.training.run_folder import RunFolder, runs_root

NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
NAME_MAX = 64
RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}
FINETUNE_LR = 3e-4
SCRATCH_LR = 1e-3


@dataclass
class WizardSettings:
    """Everything the wizard asks for; ``base`` is a model name (fine-tune) or an architecture (scratch)."""

    folder: str
    base: str
    name: str
    finetune: bool = True
    arch: str = ""  # the network type of ``base``
    device: str = "auto"
    epochs: int = 5
    epoch_size: int = 0  # 0: one pass over the training photos
    size: int = 128
    batch: int = 8
    lr: float = FINETUNE_LR
    minutes: float = 0.0  # 0: no time limit
    workers: int = 0
    extra: dict = field(default_factory=dict)  # further TrainConfig fields (tests, power users)

    def to_config(self, resume: bool) -> TrainConfig:
        """The loop's config; a fine-tune names the architecture and starts from the base's weights."""
        model = self.arch if self.finetune and self.arch else self.base
        return TrainConfig(
            data=[Path(self.folder)], model=model, name=self.name,
            init_from=self.base if self.finetune else None,
            epochs=self.epochs, epoch_size=self.epoch_size or None, size=self.size, batch=self.batch,
            lr=self.lr, device=self.device, minutes=self.minutes or None, workers=self.workers,
            resume=resume, **self.extra)

    @classmethod
    def from_dict(cls, data: dict) -> "WizardSettings":
        known = {key: data[key] for key in cls.__dataclass_fields__ if key in data}
        return cls(**known)


@dataclass
class RunInfo:
    """A run folder with checkpoints; ``settings`` is None for runs the wizard did not start (CLI)."""

    name: str
    folder: Path
    settings: WizardSettings | None
    epochs_done: int
    finished: bool

    def describe(self) -> str:
        if self.settings is None:
            return f"{self.name}: stopped run with saved checkpoints"
        return (f"{self.name}: stopped after epoch {self.epochs_done} of {self.settings.epochs}, "
                f"photos from {self.settings.folder}")


def read_run(name: str) -> RunInfo | None:
    """The run of ``name`` when it has a checkpoint to continue from, else None."""
    folder = RunFolder.named(name)
    if not folder.checkpoint.is_file():
        return None
    data: dict = {}
    try:
        data = json.loads(folder.wizard_settings.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass
    settings = WizardSettings.from_dict(data["settings"]) if isinstance(data.get("settings"), dict) else None
    return RunInfo(name, folder.path, settings, int(data.get("epochs_done", 0)), bool(data.get("finished", False)))


def unfinished_runs() -> list[RunInfo]:
    """Runs started by the wizard that stopped before saving a model, newest first."""
    if not runs_root().is_dir():
        return []
    infos = [read_run(p.name) for p in runs_root().iterdir() if p.is_dir()]
    infos = [i for i in infos if i is not None and i.settings is not None and not i.finished]
    return sorted(infos, key=lambda i: RunFolder(i.folder).checkpoint.stat().st_mtime, reverse=True)


def save_run(settings: WizardSettings, epochs_done: int = 0, finished: bool = False) -> None:
    """Write the run's settings and progress (atomically) so it can be resumed later."""
    folder = RunFolder.named(settings.name)
    folder.path.mkdir(parents=True, exist_ok=True)
    text = json.dumps({"settings": asdict(settings), "epochs_done": epochs_done, "finished": finished}, indent=1)
    write_text_atomic(folder.wizard_settings, text)


def name_problem(name: str, taken: set[str]) -> str:
    """Why ``name`` cannot name a new model ("" when it can)."""
    name = name.strip()
    if not name:
        return "Give the new model a name."
    if len(name) > NAME_MAX:
        return f"Keep the name under {NAME_MAX} characters."
    if not NAME_PATTERN.match(name):
        return "Use only letters, digits, '-', '_' and '.', starting with a letter or digit."
    if name.split(".")[0].lower() in RESERVED:
        return f"'{name}' is reserved by Windows; choose another name."
    if name.lower() in {t.lower() for t in taken}:
        return f"A model named '{name}' already exists; choose another name."
    return ""


def slug(text: str) -> str:
    """``text`` as a filename-safe name fragment."""
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-._")
    return cleaned[:40] or "photos"


def suggest_name(base: str, folder: str, taken: set[str]) -> str:
    """``<base>-<folder name>``, numbered when that name is taken."""
    stem = f"{slug(base)}-{slug(Path(folder).name)}" if folder else f"{slug(base)}-custom"
    lowered = {t.lower() for t in taken}
    candidate, number = stem, 2
    while candidate.lower() in lowered:
        candidate, number = f"{stem}-{number}", number + 1
    return candidate


def default_workers(cpu_count: int | None = None) -> int:
    """Loader processes: none on a small machine (they would compete with training for cores)."""
    cores = cpu_count if cpu_count is not None else (os.cpu_count() or 1)
    return 0 if cores <= 2 else min(4, cores // 2)


def default_settings(gpu: bool, finetune: bool, fixed_size: int | None = None) -> dict:
    """Sane first values for the settings page on this machine."""
    values = {"epochs": 20, "size": 256, "batch": 16} if gpu else {"epochs": 5, "size": 128, "batch": 8}
    values["lr"] = FINETUNE_LR if finetune else SCRATCH_LR
    if fixed_size:
        values["size"] = fixed_size
    return values
