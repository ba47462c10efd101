"""The training loop, written as a generator so the CLI and the GUI wizard share it.

``train(config)`` yields :class:`Progress` objects whose payload is a :class:`TrainStatus`
(losses, validation metrics, preview images); each yield is a cancellation point. It returns
a :class:`TrainResult` naming the new model's weights and card.
"""

from __future__ import annotations

import json
import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch

from restorer.core.device import resolve_device
from restorer.core.errors import RestorerError, TrainingError
from restorer.core.atomic import write_text_atomic
from restorer.core.paths import user_models_dir
from restorer.core.progress import NEVER_CANCELLED, CancelToken, Progress
from restorer.models.weights import CARD_SUFFIX, ModelCard, save_model
from restorer.training import checkpoints, report
from restorer.training.config import TrainConfig
from restorer.training.data import Augment, CropDataset, Split, scan_photos, split_photos
from restorer.training.objective import Objective, hold_batch_norm, prior_from_batches
from restorer.training.run_folder import RunFolder
from restorer.training.validation import ValidationSet
from restorer.training.losses import rebalance_weights


@dataclass
class TrainStatus:
    epoch: int
    epochs: int
    step: int
    steps_per_epoch: int
    train_loss: float
    lr: float
    images_per_s: float
    elapsed_s: float
    val: dict | None = None
    previews: list | None = None  # [(grey, prediction, truth)] uint8 RGB, after each epoch
    best: bool = False
    history: list = field(default_factory=list)


@dataclass
class TrainResult:
    weights: Path
    card: ModelCard
    stopped_early: bool
    reason: str
    baseline: dict | None = None  # the base model's validation metrics before training (fine-tuning only)

    @property
    def improved(self) -> bool | None:
        """Whether the kept weights beat the base model's PSNR on the same validation photos;
        None when there is nothing to compare with (trained from scratch)."""
        return report.improved(self.baseline, self.card.metrics.get("val", {}))


def _seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def _split_for(config: TrainConfig, run_dir: Path):
    """Reuse the run's stored split on resume, else scan and split (yielding scan progress)."""
    split_file = RunFolder(run_dir).split
    if config.resume and split_file.is_file():
        return Split.from_json(split_file.read_bytes(), str(split_file)), {}
    scan = yield from scan_photos(config.data)
    split = split_photos(scan.photos, tuple(config.split), seed=config.seed)
    run_dir.mkdir(parents=True, exist_ok=True)  # only now: a folder without photos leaves nothing behind
    write_text_atomic(split_file, split.to_json())
    return split, scan.skipped_counts()


def _sample_weights(photos: list[Path], weights_by_prefix: dict[str, float]) -> list[float] | None:
    if not weights_by_prefix:
        return None
    return [next((w for prefix, w in weights_by_prefix.items() if p.name.startswith(prefix)), 1.0) for p in photos]


def _network_for(config: TrainConfig, spec):
    if config.init_from:
        return checkpoints.load_initial(config.init_from, spec)
    network = spec.build(**spec.default_hparams)
    if spec.load_pretrained is not None:
        spec.load_pretrained(network)
    return network


def parameter_groups(network, spec, config: TrainConfig) -> list[dict]:
    """One group, or two when the network stands on a pretrained encoder: the encoder learns
    ``encoder_lr_scale`` times slower, so fine-tuning adapts it without forgetting ImageNet."""
    if not spec.pretrained_prefix:
        return [{"params": [p for p in network.parameters() if p.requires_grad], "lr": config.lr}]
    named = [(name, p) for name, p in network.named_parameters() if p.requires_grad]
    encoder = [p for name, p in named if name.startswith(spec.pretrained_prefix)]
    rest = [p for name, p in named if not name.startswith(spec.pretrained_prefix)]
    return [{"params": rest, "lr": config.lr}, {"params": encoder, "lr": config.lr * config.encoder_lr_scale}]


def _spec_for(config: TrainConfig):
    from restorer.models.zoo import find_model
    from restorer.models.registry import COLORIZER, all_archs

    colorizers = {spec.name: spec for spec in all_archs(COLORIZER)}  # a damage detector trains elsewhere
    if config.model in colorizers:
        return colorizers[config.model]
    entry = find_model(config.model)  # fine-tune an existing model by name
    if not config.init_from:
        config.init_from = str(entry.weights)
    return entry.spec


def _scheduler(config: TrainConfig, optimizer):
    sched = torch.optim.lr_scheduler
    if config.schedule == "plateau":
        return sched.ReduceLROnPlateau(optimizer, factor=0.5, patience=max(1, config.patience // 2))
    if config.schedule == "step":
        return sched.StepLR(optimizer, step_size=max(1, config.epochs // 3), gamma=0.5)
    if config.schedule == "cosine":
        return sched.CosineAnnealingLR(optimizer, T_max=max(1, config.epochs))
    return None


@dataclass
class _Session:
    """What one training session's steps work with."""

    network: torch.nn.Module
    objective: Objective
    optimizer: torch.optim.Optimizer
    loader: torch.utils.data.DataLoader
    device: torch.device
    started: float
    time_up: Callable[[], bool]  # the time budget is used, or the user asked to stop and keep the best

    def __post_init__(self) -> None:
        self.use_amp = self.device.type == "cuda"
        self.scaler = torch.amp.GradScaler("cuda", enabled=self.use_amp)


def _train_epoch(session: _Session, config: TrainConfig, epoch: int, cancel: CancelToken):
    """One epoch's steps, yielding "train" progress; returns (photos seen, summed loss)."""
    network, steps = session.network, len(session.loader)
    network.train()
    if config.init_from:
        hold_batch_norm(network)
    seen, loss_sum, epoch_start = 0, 0.0, time.monotonic()
    for step, (lum, ab, rgb) in enumerate(session.loader):
        cancel.raise_if_cancelled()
        lum, ab, rgb = lum.to(session.device), ab.to(session.device), rgb.to(session.device)
        with torch.autocast(session.device.type, enabled=session.use_amp):
            loss, _ = session.objective(lum, ab, rgb)
        session.optimizer.zero_grad(set_to_none=True)
        session.scaler.scale(loss).backward()
        session.scaler.step(session.optimizer)
        session.scaler.update()
        seen += lum.shape[0]
        loss_sum += float(loss.detach()) * lum.shape[0]
        rate = seen / max(1e-6, time.monotonic() - epoch_start)
        status = TrainStatus(epoch + 1, config.epochs, step + 1, steps, loss_sum / seen,
                             session.optimizer.param_groups[0]["lr"], rate, time.monotonic() - session.started)
        yield Progress(epoch * steps + step + 1, config.epochs * steps, "train",
                       f"epoch {epoch + 1}/{config.epochs} loss {loss_sum / seen:.4f}", status)
        if session.time_up():
            break
    return seen, loss_sum


def _stop_reason(config: TrainConfig, finish: CancelToken, epoch: int) -> str:
    if finish.cancelled:
        return f"stopped by you after epoch {epoch}"
    return f"time budget of {config.minutes:g} min used"


def _baseline(config: TrainConfig, validation: ValidationSet, objective: Objective, device) -> dict | None:
    """The starting network's validation metrics, before any training: the base model's score on the
    same photos its fine-tuned successor is judged on (None when training from scratch)."""
    if not config.init_from:
        return None
    scores = validation.evaluate(objective, device)
    return {"model": report.base_label(config.init_from), "photos": len(validation),
            **{k: float(v) for k, v in scores.items()}}


def train(config: TrainConfig, cancel: CancelToken = NEVER_CANCELLED, finish: CancelToken | None = None):
    """Train (or fine-tune) ``config.model`` on ``config.data``; see the module docstring.

    ``finish`` asks for a clean early end, like a used time budget: the current epoch is checked and
    the best epoch so far becomes the model. ``cancel`` abandons the session (checkpoints stay).
    """
    finish = finish or CancelToken()
    _seed_everything(config.seed)
    spec = _spec_for(config)
    name = config.name or f"{spec.name}-custom"
    run_dir = config.run_dir or RunFolder.named(name).path
    device = resolve_device(config.device)
    split, skipped = yield from _split_for(config, run_dir)
    state = checkpoints.RunState.load(run_dir) if config.resume else None
    yield Progress(0, 1, "start", report.opening_line(config, spec, name, split, device, state and state.epoch))
    size = spec.fixed_size or config.size
    network = _network_for(config, spec).to(device)
    dataset = CropDataset(split.train, Augment(crop=size), config.epoch_size, config.seed,
                          _sample_weights(split.train, config.sample_weights))
    loader = torch.utils.data.DataLoader(dataset, batch_size=config.batch, num_workers=config.workers,
                                         drop_last=len(dataset) >= config.batch,
                                         persistent_workers=config.workers > 0)
    validation = ValidationSet(split.val[: config.val_count] or split.train[: config.val_count], size)
    class_weights = None
    if spec.head == "bins":  # colour-bin losses weigh rare colours up by their prior
        prior = state.prior if state and state.prior is not None else prior_from_batches(network, loader)
        class_weights = rebalance_weights(prior, mix=config.rebalance)
    objective = Objective(network, spec, config.loss, class_weights, config.hint_prob, config.seed, config.max_hints)
    state = state or checkpoints.RunState(prior=None if class_weights is None else prior)
    if state.baseline is None:
        state.baseline = _baseline(config, validation, objective, device)
    if state.baseline:  # a resumed run reports the score it measured when it started
        yield Progress(0, 1, "baseline", report.baseline_line(state.baseline), state.baseline)
    optimizer = torch.optim.AdamW(parameter_groups(network, spec, config), weight_decay=config.weight_decay)
    scheduler = _scheduler(config, optimizer)
    state.restore(network, optimizer, scheduler)
    started = time.monotonic()
    deadline = started + config.minutes * 60 if config.minutes else math.inf
    session = _Session(network, objective, optimizer, loader, device, started,
                       lambda: time.monotonic() > deadline or finish.cancelled)
    reason = yield from _epochs(session, config, state, dataset, validation, scheduler, run_dir, cancel, finish)
    _require_a_finished_epoch(state, config.keep)
    if config.keep == "best":
        network.load_state_dict(state.best_weights(run_dir, network))
    card = _card(config, spec, name, state, split, skipped, reason, network)
    card.training["minutes_last_session"] = round((time.monotonic() - started) / 60, 1)
    weights = save_model(network.cpu().eval(), card, config.out_dir or user_models_dir())
    write_text_atomic(RunFolder(run_dir).card, json.dumps(card.training, indent=1))
    return TrainResult(weights, card, reason != FINISHED, reason, state.baseline)


FINISHED = "finished all epochs"


def _epochs(session, config, state, dataset, validation, scheduler, run_dir, cancel, finish):
    """The epochs of one session, each ending with a check on the validation photos and a checkpoint;
    returns why they ended."""
    steps = len(session.loader)
    for epoch in range(state.epoch, config.epochs):
        dataset.epoch = epoch
        epoch_start = time.monotonic()
        seen, loss_sum = yield from _train_epoch(session, config, epoch, cancel)
        state.minutes += (time.monotonic() - epoch_start) / 60
        val = validation.evaluate(session.objective, session.device)
        val["train_loss"] = loss_sum / max(1, seen)
        improved = state.record(epoch + 1, val)
        if scheduler is not None:
            scheduler.step(val["loss"]) if config.schedule == "plateau" else scheduler.step()
        state.save(run_dir, session.network, session.optimizer, scheduler, improved, config.keep_epoch_weights)
        lr = session.optimizer.param_groups[0]["lr"]
        status = TrainStatus(epoch + 1, config.epochs, steps, steps, val["train_loss"], lr, 0.0,
                             time.monotonic() - session.started, val,
                             validation.previews(session.objective, session.device), improved, list(state.history))
        yield Progress((epoch + 1) * steps, config.epochs * steps, "epoch",
                       f"epoch {epoch + 1}: val loss {val['loss']:.4f}, PSNR {val['psnr']:.2f} dB", status)
        if session.time_up():
            return _stop_reason(config, finish, epoch + 1)
        if state.epochs_since_best >= config.patience:
            return f"early stopping: no improvement for {config.patience} epochs"
    return FINISHED


def _require_a_finished_epoch(state: checkpoints.RunState, keep: str) -> None:
    """TrainingError unless an epoch finished with a finite validation loss for the kept weights:
    a run that learned nothing (or diverged to nan) must not install a model."""
    if not state.history:
        raise TrainingError("Training stopped before its first epoch finished; no model was installed.")
    loss = state.final_metrics(keep).get("loss", math.nan)
    if not math.isfinite(loss):
        raise TrainingError(f"Training ended without a finite validation loss ({loss}), so no model was "
                            "installed; if the loss diverged, try a lower learning rate (--lr).")


def _parent_card(config: TrainConfig) -> ModelCard | None:
    """The card of the model being fine-tuned (None when training from scratch): a fine-tuned model
    starts with its parent's calibrated colour character rather than the raw defaults."""
    from restorer.models.zoo import find_model

    if not config.init_from:
        return None
    path = Path(config.init_from)
    try:
        if path.suffix:
            card_path = path.with_suffix(CARD_SUFFIX)
            return ModelCard.from_json(card_path) if card_path.is_file() else None
        return find_model(config.init_from).card
    except RestorerError:
        return None


def _lineage(parent: ModelCard | None) -> dict:
    """``earlier_stages``: how the parent was trained, so a fine-tuned card tells its whole story."""
    if not parent or not parent.training.get("config"):
        return {}
    parent_stage = {k: v for k, v in parent.training.items() if k not in ("earlier_stages", "calibration")}
    return {"earlier_stages": [*parent.training.get("earlier_stages", []), parent_stage]}


def _card(config, spec, name, state, split, skipped, reason, network) -> ModelCard:
    final = state.final_metrics(config.keep)
    parent = _parent_card(config)
    read_out = {key: parent.hparams[key] for key in spec.readout_settings if key in parent.hparams} if parent else {}
    return ModelCard(
        name=name, arch=spec.name, hparams={**spec.infer_hparams(network.state_dict()), **read_out},
        render_size=parent.render_size if parent else None, render_scales=parent.render_scales if parent else None,
        title=spec.title if name == spec.name else report.user_title(
            name, spec, config.init_from and report.base_label(config.init_from)),
        description=f"Trained by Restorer on {', '.join(p.name for p in config.data)}",
        training={"config": config.to_dict(), "epochs_run": state.epoch, "stop_reason": reason,
                  "samples_seen": state.epoch * (config.epoch_size or len(split.train)),
                  "split_sizes": {"train": len(split.train), "val": len(split.val), "test": len(split.test)},
                  "skipped": skipped, "history": state.history, "kept": config.keep,
                  "minutes_total": round(state.minutes, 1), **_lineage(parent),
                  **({"baseline": state.baseline} if state.baseline else {})},
        metrics={"val": {k: round(v, 4) for k, v in final.items()}},
    )
