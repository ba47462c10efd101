"""`restorer train --cache-crops N`: stage 1 of a network on a pretrained encoder.

The encoder stays frozen at its ImageNet weights; ``N`` training crops (and a validation set) are
encoded once into a feature cache in the run folder, and the decoder trains on the cache for
``epochs`` passes. Everything resumes: the split, a half-built cache, the last finished epoch.
Stage 2 is an ordinary ``restorer train --from`` fine-tune of the result, end to end.
"""

from __future__ import annotations

import time
from pathlib import Path

from restorer.core.errors import RestorerError
from restorer.core.paths import user_data_dir, user_models_dir
from restorer.core.progress import NEVER_CANCELLED, CancelToken
from restorer.models.weights import ModelCard, save_model
from restorer.training.cached_stage import CachedStageConfig, train_on_cache
from restorer.training.config import TrainConfig
from restorer.training.feature_cache import FeatureCache, build_cache
from restorer.training.loop import (TrainResult, _lineage, _network_for, _parent_card, _sample_weights, _spec_for,
                                    _split_for)

MAX_VAL_CROPS = 1024


def _cancellable(generator, cancel: CancelToken):
    """Re-yield ``generator``'s progress, stopping at the next point once ``cancel`` is set."""
    result = None
    while True:
        try:
            progress = next(generator)
        except StopIteration as stop:
            result = stop.value
            break
        cancel.raise_if_cancelled()
        yield progress
    return result


def _caches(network, split, config: TrainConfig, run_dir: Path, cancel: CancelToken):
    val_photos = split.val or split.train
    val_count = min(MAX_VAL_CROPS, max(config.val_count, len(val_photos)))
    yield from _cancellable(build_cache(network, val_photos, run_dir / "cache_val", val_count, config.size,
                                        seed=config.seed + 1, augment=False), cancel)
    weights = _sample_weights(split.train, config.sample_weights)
    yield from _cancellable(build_cache(network, split.train, run_dir / "cache_train", config.cache_crops,
                                        config.size, seed=config.seed, weights=weights), cancel)
    return FeatureCache.open(run_dir / "cache_train"), FeatureCache.open(run_dir / "cache_val")


def train_frozen(config: TrainConfig, cancel: CancelToken = NEVER_CANCELLED):
    """Generator: stage 1 as the module docstring says; yields Progress, returns a TrainResult."""
    spec = _spec_for(config)
    if spec.load_pretrained is None:
        raise RestorerError(f"{spec.name} has no pretrained encoder to freeze: --cache-crops is for "
                            "networks like vivid2")
    name = config.name or f"{spec.name}-custom"
    run_dir = Path(config.run_dir or user_data_dir() / "runs" / name)
    run_dir.mkdir(parents=True, exist_ok=True)
    split, skipped = yield from _split_for(config, run_dir)
    network = _network_for(config, spec)
    train_cache, val_cache = yield from _caches(network, split, config, run_dir, cancel)
    stage = CachedStageConfig(run_dir=run_dir, epochs=config.epochs, batch=config.batch, lr=config.lr,
                              weight_decay=config.weight_decay, rebalance=config.rebalance,
                              hint_prob=config.hint_prob, max_hints=config.max_hints,
                              hold_norm=bool(config.init_from), minutes=config.minutes, seed=config.seed)
    started = time.monotonic()
    history = yield from _cancellable(train_on_cache(network, train_cache, val_cache, stage), cancel)
    if not history:
        raise RestorerError("Stage 1 finished no epoch: nothing was saved.")
    card = _card(config, spec, name, network, history, split, skipped, (time.monotonic() - started) / 60)
    weights = save_model(network.cpu().eval(), card, config.out_dir or user_models_dir())
    return TrainResult(weights, card, len(history) < config.epochs, f"{len(history)} decoder epochs on cached features")


def _card(config: TrainConfig, spec, name: str, network, history: list, split, skipped, minutes: float) -> ModelCard:
    return ModelCard(
        name=name, arch=spec.name, hparams=spec.infer_hparams(network.state_dict()),
        title=spec.title if name == spec.name else f"{spec.title}: {name}",
        description=f"Trained by Restorer on {', '.join(p.name for p in config.data)}",
        training={"config": config.to_dict(), "stage": "frozen ImageNet encoder, decoder on cached features",
                  "epochs_run": len(history), "history": history, "kept": "last",
                  "samples_seen": len(history) * config.cache_crops,
                  "split_sizes": {"train": len(split.train), "val": len(split.val), "test": len(split.test)},
                  "skipped": skipped, "minutes_total": round(minutes, 1), **_lineage(_parent_card(config))},
        metrics={"val": {k: round(v, 4) for k, v in history[-1].items() if isinstance(v, float)}},
    )
