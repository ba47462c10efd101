"""A training run in plain words: what it is about to do, the base model's score, and the verdict.

Shared by `restorer train` and the GUI wizard, so both tell the same story. The verdict compares
PSNR on the same validation photos, scored before training (the base model) and after it (the
weights kept), with the same crops and the same colour read-out.
"""

from __future__ import annotations

import math
from pathlib import Path

IMPROVEMENT_METRIC = "psnr"


def base_label(init_from: str) -> str:
    """The base model's name: as given, or a weights file's stem."""
    path = Path(init_from)
    return path.stem if path.suffix else init_from


def user_title(name: str, spec, base: str | None) -> str:
    """The title of a model the user trained: theirs, and where it came from."""
    how = f"fine-tuned from {base}" if base else f"{spec.name} trained from scratch"
    return f"{name} (yours: {how})"


def validation_count(config, split) -> int:
    """How many photos the loop checks each epoch on (the training photos when none were kept aside)."""
    return len(split.val[: config.val_count] or split.train[: config.val_count])


def opening_line(config, spec, name: str, split, device, resumed_epoch: int | None) -> str:
    """One line: from scratch or fine-tuning what, the photo split, the epochs and the device."""
    how = (f"Fine-tuning {base_label(config.init_from)}" if config.init_from
           else f"Training {spec.name} from scratch (random weights)")
    checked = validation_count(config, split)
    photos = f"{len(split.train)} photos to learn from, {checked} to check each epoch on"
    if not split.val:
        photos += " (none kept aside: the check reuses training photos, so it flatters)"
    photos += f", {len(split.test)} held out"
    epochs = (f"epochs {resumed_epoch + 1}-{config.epochs}" if resumed_epoch
              else f"{config.epochs} epoch{'s' if config.epochs != 1 else ''}")
    size = spec.fixed_size or config.size
    return f"{how} as '{name}': {photos}; {epochs} of {size} px crops on {device}."


def baseline_line(baseline: dict) -> str:
    return (f"{baseline['model']} before training, on the {baseline['photos']} validation photos: PSNR "
            f"{baseline['psnr']:.2f} dB, colourfulness {baseline['colorfulness_ratio']:.2f}.")


def improved(baseline: dict | None, val: dict) -> bool | None:
    """True when the kept weights score better than the base model did; None without a base."""
    if not baseline or not math.isfinite(baseline.get(IMPROVEMENT_METRIC, math.nan)):
        return None
    return val.get(IMPROVEMENT_METRIC, -math.inf) > baseline[IMPROVEMENT_METRIC]


def verdict_line(name: str, baseline: dict | None, val: dict) -> str:
    """"base X dB -> yours Y dB", and whether that is better or worse."""
    psnr = val.get("psnr", math.nan)
    verdict = improved(baseline, val)
    if verdict is None:
        return f"{name}: PSNR {psnr:.2f} dB on the validation photos (no base model was scored on them to " \
               "compare with)."  # from scratch, or a continued feature-cache stage
    base = baseline["model"]
    line = f"base {base} {baseline['psnr']:.2f} dB -> yours ({name}) {psnr:.2f} dB on the same validation photos"
    if verdict:
        return f"{line}: better than {base}."
    return (f"{line}: WORSE than {base}. Keep using {base}; more photos, fewer epochs or a lower learning "
            "rate may help.")


def kept_epoch(training: dict) -> int | None:
    """The epoch whose weights a finished run saved (the lowest validation loss, or the last)."""
    history = training.get("history") or []
    if not history:
        return None
    if training.get("kept") == "last":
        return int(history[-1]["epoch"])
    return int(min(history, key=lambda row: row.get("loss", math.inf))["epoch"])


def summary_lines(result) -> list[str]:
    """The closing summary of `restorer train`."""
    card = result.card
    training, val = card.training, card.metrics.get("val", {})
    kept = kept_epoch(training)
    rule = "the last" if training.get("kept") == "last" else "lowest validation loss"
    which = f"kept epoch {kept} of {training.get('epochs_run', '?')} ({rule})" if kept else "no epoch finished"
    return [
        f"Saved {card.title or card.name} to {result.weights}.",
        f"Training ended: {result.reason}; {which}.",
        verdict_line(card.name, result.baseline, val),
        f"Colourfulness {val.get('colorfulness_ratio', math.nan):.2f} (1.0 is as colourful as the originals), "
        f"validation loss {val.get('loss', math.nan):.4f}.",
    ]
