"""`restorer train-detector`: train the damage detector on photos with synthetic damage."""

from __future__ import annotations

import sys
from pathlib import Path

from restorer.cli.arguments import add_number
from restorer.core import ranges


def add_parser(commands) -> None:
    p = commands.add_parser("train-detector",
                            help="train the damage (scratch/dust/crease/tear) detector on synthetic damage")
    p.add_argument("data", nargs="+", type=Path, help="folder(s) of photos (colour or grey, recursive)")
    p.add_argument("--out", type=Path, required=True, help="folder for the finished detector")
    p.add_argument("--run-dir", type=Path, required=True, help="folder for checkpoints (resumed if present)")
    p.add_argument("--name", default="damage-unet")
    add_number(p, "--base", allowed=ranges.DETECTOR_BASE, default=8, help="channels of the first U-Net level")
    add_number(p, "--depth", allowed=ranges.DETECTOR_DEPTH, default=4, help="U-Net levels")
    add_number(p, "--size", allowed=ranges.CROP_SIZE, default=128, help="training crop size")
    add_number(p, "--batch", allowed=ranges.BATCH, default=16, help="crops per step")
    add_number(p, "--epochs", allowed=ranges.EPOCHS, default=10, help="epochs (the cosine schedule's length)")
    add_number(p, "--epoch-size", allowed=ranges.EPOCH_SIZE, default=960, help="crops per epoch")
    add_number(p, "--lr", allowed=ranges.LEARNING_RATE, default=3e-3, help="learning rate")
    add_number(p, "--minutes", allowed=ranges.MINUTES, default=20.0,
               help="training time over all sessions of the run")
    add_number(p, "--threads", allowed=ranges.THREADS, default=1, help="torch CPU threads")
    add_number(p, "--seed", allowed=ranges.SEED, default=17, help="random seed (split, crops, damage, weights)")
    p.set_defaults(run=run)


def run(args) -> int:
    from restorer.cli.progress import drive
    from restorer.training.detector import DetectorConfig, train_detector

    config = DetectorConfig(
        data=args.data, run_dir=args.run_dir, out_dir=args.out, name=args.name,
        hparams={"base": args.base, "depth": args.depth}, size=args.size, batch=args.batch, epochs=args.epochs,
        epoch_size=args.epoch_size, lr=args.lr, minutes=args.minutes, seed=args.seed, threads=args.threads,
    )

    def report(progress):
        if progress.stage == "epoch":
            print(progress.message, file=sys.stderr, flush=True)

    weights = drive(train_detector(config), "training the damage detector", report)
    print(f"Saved the damage detector to {weights}.")
    return 0
