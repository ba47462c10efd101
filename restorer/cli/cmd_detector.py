"""`restorer train-detector`: train the damage detector on photos with synthetic damage."""

from __future__ import annotations

import sys
from pathlib import Path


def add_parser(commands) -> None:
    p = commands.add_parser("train-detector",
                            help="train the damage (scratch/dust/crease/tear) detector on synthetic damage")
    p.add_argument("data", nargs="+", type=Path, help="folder(s) of photos (colour or grey, recursive)")
    p.add_argument("--out", type=Path, required=True, help="folder for the finished detector")
    p.add_argument("--run-dir", type=Path, required=True, help="folder for checkpoints (resumed if present)")
    p.add_argument("--name", default="damage-unet")
    p.add_argument("--base", type=int, default=8, help="channels of the first U-Net level")
    p.add_argument("--depth", type=int, default=4, help="U-Net levels")
    p.add_argument("--size", type=int, default=128, help="training crop size in px")
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--epochs", type=int, default=10)
    p.add_argument("--epoch-size", type=int, default=960, help="crops per epoch")
    p.add_argument("--lr", type=float, default=3e-3)
    p.add_argument("--minutes", type=float, default=20.0, help="training time over all sessions of the run")
    p.add_argument("--threads", type=int, default=1, help="torch CPU threads")
    p.add_argument("--seed", type=int, default=17)
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
