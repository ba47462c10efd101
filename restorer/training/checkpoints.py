"""Per-run state on disk: resumable checkpoints every epoch and the best weights so far.

Checkpoints hold only tensors, numbers and strings, so they reload through
``torch.load(weights_only=True)`` like any file Restorer opens.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch

from restorer.core.errors import ModelLoadError
from restorer.core.atomic import write_atomic
from restorer.models.weights import load_state_dict, save_weights
from restorer.training.run_folder import RunFolder



@dataclass
class RunState:
    epoch: int = 0
    best_loss: float = float("inf")
    best_val: dict | None = None
    epochs_since_best: int = 0
    history: list = field(default_factory=list)
    minutes: float = 0.0  # training time over all sessions of this run
    prior: np.ndarray | None = None
    baseline: dict | None = None  # the base model's validation metrics before training (fine-tuning)
    saved: dict | None = None  # model/optimizer/scheduler state dicts read from disk

    @classmethod
    def load(cls, run_dir: Path) -> "RunState | None":
        path = RunFolder(Path(run_dir)).checkpoint
        if not path.is_file():
            return None
        try:
            data = torch.load(str(path), map_location="cpu", weights_only=True)
        except Exception as err:  # a damaged checkpoint means starting over, not crashing
            raise ModelLoadError(f"Checkpoint {path} is damaged ({err}); delete it to start over.") from None
        prior = data.get("prior")
        return cls(epoch=int(data["epoch"]), best_loss=float(data["best_loss"]), best_val=data.get("best_val"),
                   epochs_since_best=int(data["epochs_since_best"]), history=list(data.get("history", [])),
                   minutes=float(data.get("minutes", 0.0)), baseline=data.get("baseline"),
                   prior=None if prior is None else prior.numpy(), saved=data)

    def restore(self, network, optimizer, scheduler) -> None:
        if not self.saved:
            return
        network.load_state_dict(self.saved["model"])
        optimizer.load_state_dict(self.saved["optimizer"])
        if scheduler is not None and self.saved.get("scheduler"):
            scheduler.load_state_dict(self.saved["scheduler"])
        self.saved = None

    def record(self, epoch: int, val: dict) -> bool:
        """Note an epoch's validation metrics; True when its loss is the best so far."""
        self.epoch = epoch
        self.history.append({"epoch": epoch, **{k: float(v) for k, v in val.items()}})
        if val["loss"] < self.best_loss:
            self.best_loss, self.best_val, self.epochs_since_best = float(val["loss"]), dict(val), 0
            return True
        self.epochs_since_best += 1
        return False

    def save(self, run_dir: Path, network, optimizer, scheduler, improved: bool, keep_epoch: bool = False) -> None:
        data = {
            "model": network.state_dict(), "optimizer": optimizer.state_dict(),
            "scheduler": scheduler.state_dict() if scheduler is not None else {},
            "epoch": self.epoch, "best_loss": self.best_loss, "best_val": self.best_val,
            "epochs_since_best": self.epochs_since_best, "history": self.history, "minutes": self.minutes,
            "prior": None if self.prior is None else torch.as_tensor(self.prior), "baseline": self.baseline,
        }
        folder = RunFolder(Path(run_dir))
        _atomic_torch_save(data, folder.checkpoint)
        if improved:
            save_weights(network, folder.best)
        if keep_epoch:
            save_weights(network, folder.epoch_weights(self.epoch))

    def final_metrics(self, keep: str) -> dict:
        """Validation metrics of the weights a finished run exports (``keep``: "best" or "last")."""
        if keep == "last" and self.history:
            return {k: v for k, v in self.history[-1].items() if k != "epoch"}
        return self.best_val or {}

    def best_weights(self, run_dir: Path, network) -> dict:
        path = RunFolder(Path(run_dir)).best
        return load_state_dict(path) if path.is_file() else network.state_dict()


def _atomic_torch_save(data, path: Path) -> None:
    write_atomic(path, lambda out: torch.save(data, out))


def load_initial(init_from: str, spec):
    """Starting weights for fine-tuning: a weights file, or the name of an installed model."""
    from restorer.models.zoo import build_from_state_dict, find_model, load_network

    path = Path(init_from)
    if path.suffix and path.is_file():
        return build_from_state_dict(spec, load_state_dict(path)).train()
    entry = find_model(init_from)
    if entry.spec.name != spec.name:
        raise ModelLoadError(f"Model {init_from!r} is a {entry.spec.name}, not a {spec.name}.")
    return load_network(entry).train()
