"""Training settings, with defaults sized for a 2-core CPU laptop."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

from restorer.core import ranges

LOSSES = ("auto", "mse", "mae", "ssim", "rebalanced-ce", "rebalanced-ce+ssim", "stage1", "mse+colorful")
SCHEDULES = ("plateau", "step", "cosine", "none")
KEEP = ("best", "last")
# the numbers a user sets, and their allowed ranges (None allowed where the field is optional)
NUMBER_RANGES = {
    "epochs": ranges.EPOCHS, "size": ranges.CROP_SIZE, "batch": ranges.BATCH, "lr": ranges.LEARNING_RATE,
    "patience": ranges.PATIENCE, "workers": ranges.WORKERS, "seed": ranges.SEED, "rebalance": ranges.REBALANCE,
    "hint_prob": ranges.HINT_SHARE, "max_hints": ranges.TRAIN_HINTS,
}
OPTIONAL_RANGES = {"epoch_size": ranges.EPOCH_SIZE, "minutes": ranges.MINUTES}


@dataclass
class TrainConfig:
    data: list[Path]
    model: str = "vivid"  # an architecture name, or a model name to fine-tune
    name: str | None = None  # name of the new model; default "<model>-custom"
    init_from: str | None = None  # weights file or model name to start from (fine-tuning)
    epochs: int = 10
    epoch_size: int | None = None  # samples per epoch; None = one pass over the training split
    size: int = 128  # crop side in px (fixed-size networks use their own size)
    batch: int = 16
    lr: float = 1e-3
    weight_decay: float = 1e-4
    loss: str = "auto"
    schedule: str = "plateau"
    patience: int = 5  # early stopping, epochs without a better validation loss
    device: str = "auto"
    seed: int = 42
    workers: int = 1
    minutes: float | None = None  # wall-clock budget; training stops cleanly when it runs out
    rebalance: float = 0.5  # ab-bin losses: 0 = full inverse-frequency weights, 1 = plain cross-entropy
    hint_prob: float = 0.25  # hint-aware networks: share of samples trained with colour hints
    max_hints: int = 10  # those samples get 1..max_hints hints
    val_count: int = 64
    run_dir: Path | None = None  # checkpoints; default under the user data folder
    out_dir: Path | None = None  # where the finished model goes; default the user's models
    resume: bool = True
    split: tuple[float, float, float] = (0.64, 0.16, 0.20)  # train/val/test fractions (seed 004)
    sample_weights: dict[str, float] = field(default_factory=dict)  # file-name prefix -> sampling weight
    keep_epoch_weights: bool = False  # also keep every epoch's weights in the run folder (for averaging)
    encoder_lr_scale: float = 0.1  # networks on a pretrained encoder: its learning rate relative to lr
    cache_crops: int = 0  # > 0: stage 1 of a pretrained-encoder network (frozen encoder, cached features)
    keep: str = "best"  # the finished model: the epoch with the best validation loss, or the last epoch

    def __post_init__(self) -> None:
        self.data = [Path(p) for p in (self.data if isinstance(self.data, (list, tuple)) else [self.data])]
        if self.loss not in LOSSES:
            raise ValueError(f"unknown loss {self.loss!r}; choose from {', '.join(LOSSES)}")
        if self.schedule not in SCHEDULES:
            raise ValueError(f"unknown schedule {self.schedule!r}; choose from {', '.join(SCHEDULES)}")
        if self.keep not in KEEP:
            raise ValueError(f"keep must be one of {', '.join(KEEP)}, not {self.keep!r}")
        for key in ("run_dir", "out_dir"):
            if getattr(self, key) is not None:
                setattr(self, key, Path(getattr(self, key)))
        self._check_numbers()

    def _check_numbers(self) -> None:
        """SettingError (a ValueError) for a number outside the range the CLI and the GUI allow."""
        for key, allowed in NUMBER_RANGES.items():
            setattr(self, key, allowed.check(key, getattr(self, key)))
        for key, allowed in OPTIONAL_RANGES.items():
            if getattr(self, key) is not None:
                setattr(self, key, allowed.check(key, getattr(self, key)))
        self.split = ranges.check_split(self.split)
        self.sample_weights = {prefix: ranges.SAMPLE_WEIGHT.check(f"sample weight of {prefix!r}", weight)
                               for prefix, weight in self.sample_weights.items()}

    def to_dict(self) -> dict:
        data = asdict(self)
        return {key: (str(v) if isinstance(v, Path) else [str(p) for p in v] if key == "data" else v)
                for key, v in data.items()}
