"""`restorer train`: train or fine-tune a network on a folder of colour photos."""

from __future__ import annotations

import sys
from pathlib import Path

from restorer.cli.arguments import add_number, number, split_fractions
from restorer.core import ranges
from restorer.training.config import KEEP, LOSSES, SCHEDULES


def add_parser(commands) -> None:
    p = commands.add_parser("train", help="train or fine-tune a colorization network on your colour photos")
    p.add_argument("data", nargs="+", type=Path, help="folder(s) of colour photos (recursive), or color/+gray/ layout")
    p.add_argument("--model", help="an installed model to fine-tune (default: the default model), or an "
                                   "architecture with no installed model of that name to train from scratch")
    p.add_argument("--from", dest="init_from", help="start from these weights (file or model name)")
    p.add_argument("--scratch", action="store_true",
                   help="train --model's architecture from random weights, even when a model of that name "
                        "is installed")
    p.add_argument("--name", help="name of the new model (default: <model>-custom)")
    add_number(p, "--epochs", allowed=ranges.EPOCHS, default=10, help="passes over the training photos")
    add_number(p, "--epoch-size", allowed=ranges.EPOCH_SIZE,
               help="samples per epoch (default: the whole training split)")
    add_number(p, "--size", allowed=ranges.CROP_SIZE, default=128, help="training crop size")
    add_number(p, "--batch", allowed=ranges.BATCH, default=16, help="crops per step")
    add_number(p, "--lr", allowed=ranges.LEARNING_RATE, default=1e-3, help="learning rate")
    p.add_argument("--loss", default="auto", choices=LOSSES,
                   help="auto picks each network's own (vivid: rebalanced-ce); rebalanced-ce+ssim adds an SSIM "
                        "term on the finished colour photo; stage1: the loss of --cache-crops training "
                        "(cross-entropy, regression, SSIM), to fine-tune such a network end to end")
    add_number(p, "--rebalance", allowed=ranges.REBALANCE, default=0.5,
               help="colour-bin losses: 0 weights rare colours fully up, 1 = plain cross-entropy")
    p.add_argument("--schedule", default="plateau", choices=SCHEDULES)
    add_number(p, "--patience", allowed=ranges.PATIENCE, default=5, help="early-stopping patience in epochs")
    add_number(p, "--minutes", allowed=ranges.MINUTES, help="stop cleanly after this many minutes")
    p.add_argument("--device", default="auto", help="auto, cpu, cuda, cuda:N or mps")
    add_number(p, "--workers", allowed=ranges.WORKERS, default=1, help="data-loading worker processes")
    add_number(p, "--seed", allowed=ranges.SEED, default=42, help="random seed (split, crops, initial weights)")
    p.add_argument("--sample-weight", action="append", default=[], metavar="PREFIX=W", type=_prefix_weight,
                   help="draw files whose name starts with PREFIX W times as often (repeatable) "
                        f"[W {ranges.SAMPLE_WEIGHT.describe()}]")
    p.add_argument("--split", default="0.64,0.16,0.20", type=split_fractions,
                   help="train,val,test fractions (default 64/16/20) [each from 0 to 1, adding up to 1]")
    p.add_argument("--out", type=Path, help="folder for the finished model (default: your model folder)")
    p.add_argument("--run-dir", type=Path, help="folder for checkpoints (resumed if present)")
    p.add_argument("--no-resume", action="store_true", help="ignore checkpoints in the run folder")
    p.add_argument("--keep-epoch-weights", action="store_true",
                   help="keep every epoch's weights in the run folder (epochNNN.safetensors; "
                   "`restorer import-weights` makes any of them a model, to compare epochs)")
    p.add_argument("--keep", default="best", choices=KEEP,
                   help="the finished model: the epoch with the lowest validation loss (best), or the last "
                        "epoch (last: when a fixed schedule such as cosine is meant to run to its end)")
    _add_network_options(p)
    p.set_defaults(run=run)


def _add_network_options(p) -> None:
    """Options only some networks use: a pretrained encoder's stages, colour-hint training."""
    add_number(p, "--cache-crops", allowed=ranges.CACHE_CROPS, default=0, metavar="N",
               help="stage 1 for a network on a pretrained encoder (vivid2): keep the encoder frozen, "
                    "encode N training crops once into a feature cache in the run folder, and train the "
                    "decoder on it for --epochs passes (fine-tune end to end afterwards with --from)")
    add_number(p, "--encoder-lr-scale", allowed=ranges.ENCODER_LR_SCALE, default=0.1,
               help="networks on a pretrained encoder: the encoder's learning rate relative to --lr")
    add_number(p, "--hint-share", allowed=ranges.HINT_SHARE, default=0.25,
               help="networks that take colour hints: share of training crops given random true-colour hints")
    add_number(p, "--max-hints", allowed=ranges.TRAIN_HINTS, default=10,
               help="networks that take colour hints: a hinted crop gets 1 to this many hints")


def _prefix_weight(text: str) -> tuple[str, float]:
    """``PREFIX=W`` (``PREFIX`` alone means a weight of 1)."""
    prefix, _, weight = text.partition("=")
    return prefix, number(ranges.SAMPLE_WEIGHT)(weight or "1")


def _model_and_start(args) -> tuple[str, str | None]:
    """(TrainConfig.model, init_from): what to train and which weights it starts from."""
    from restorer.core.errors import RestorerError
    from restorer.models.registry import REGISTRY, all_archs
    from restorer.models.zoo import FLAGSHIP, default_model_name, find_model

    all_archs()
    if args.init_from:
        return args.model or (args.init_from if not Path(args.init_from).suffix else FLAGSHIP), args.init_from
    if args.scratch:  # the default model's architecture unless one is named
        model = args.model or _default_or(FLAGSHIP)
        return (model if model in REGISTRY else find_model(model).spec.name), None
    try:
        target = args.model or default_model_name()
        if find_model(target).ready:  # an installed model: fine-tune it
            return target, target
    except RestorerError:
        if args.model is not None and args.model not in REGISTRY:
            raise
    return args.model or FLAGSHIP, None  # an architecture nobody has weights for: from scratch


def _default_or(fallback: str) -> str:
    from restorer.core.errors import RestorerError
    from restorer.models.zoo import default_model_name

    try:
        return default_model_name()
    except RestorerError:
        return fallback


def run(args) -> int:
    from restorer.cli.progress import drive
    from restorer.training.config import TrainConfig
    from restorer.training.frozen_stage import train_frozen
    from restorer.training.loop import train
    from restorer.training.report import summary_lines

    model, init_from = _model_and_start(args)
    config = TrainConfig(
        data=args.data, model=model, name=args.name, init_from=init_from, epochs=args.epochs,
        epoch_size=args.epoch_size, size=args.size, batch=args.batch, lr=args.lr, loss=args.loss,
        schedule=args.schedule, rebalance=args.rebalance, patience=args.patience, device=args.device, seed=args.seed,
        workers=args.workers, minutes=args.minutes, run_dir=args.run_dir, out_dir=args.out,
        resume=not args.no_resume, sample_weights=dict(args.sample_weight),
        split=args.split, keep_epoch_weights=args.keep_epoch_weights,
        keep=args.keep, cache_crops=args.cache_crops, encoder_lr_scale=args.encoder_lr_scale,
        hint_prob=args.hint_share, max_hints=args.max_hints,
    )

    def report(progress):
        if progress.stage in ("start", "baseline"):
            print(progress.message, flush=True)
        elif progress.stage == "epoch":
            print(progress.message, file=sys.stderr, flush=True)

    job = train_frozen(config) if config.cache_crops > 0 else train(config)
    result = drive(job, f"training {config.name or config.model}", report)
    print("\n".join(summary_lines(result)))
    return 0
