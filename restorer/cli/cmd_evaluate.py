"""`restorer evaluate`: metrics of every model on a folder of colour photos, beside the grey baseline."""

from __future__ import annotations

from pathlib import Path

from restorer.cli.arguments import add_number
from restorer.core import ranges


def add_parser(commands) -> None:
    p = commands.add_parser("evaluate", help="score models on colour photos (PSNR, SSIM, colourfulness, ...)")
    p.add_argument("data", nargs="+", type=Path, help="folder(s) of colour photos")
    p.add_argument("--models", default="all", help="comma-separated model names, or 'all' with weights")
    add_number(p, "--size", allowed=ranges.EVAL_SIZE, default=512,
               help="photos are shrunk so the long side is at most this")
    add_number(p, "--render-size", allowed=ranges.RENDER_SIZE,
               help="working size for every model (default: each model's own)")
    add_number(p, "--limit", allowed=ranges.PHOTO_LIMIT, help="use at most this many photos per folder")
    add_number(p, "--hints", allowed=ranges.HINT_COUNT, many=True,
               help="also score the models that take colour hints with this many hints per photo, taken from "
                    "the true colours at random points (comma-separated, e.g. 0,1,2,5,10,20: ideepcolor's curve)")
    p.add_argument("--device", default="auto")
    p.add_argument("--markdown", action="store_true", help="print a Markdown table")
    p.add_argument("--json", type=Path, help="also write the table as JSON to this file")
    p.set_defaults(run=run)


def run(args) -> int:
    import json

    from restorer.cli.progress import drive
    from restorer.training.evaluate import EvalConfig, evaluate, format_table

    config = EvalConfig(data=args.data, models=args.models, max_side=args.size, render_size=args.render_size,
                        limit=args.limit, device=args.device, hints=args.hints or ())
    report = drive(evaluate(config), "evaluating")
    print(format_table(report, markdown=args.markdown))
    if args.json:
        args.json.write_text(json.dumps(report.to_dict(), indent=1))
    return 0


def add_calibrate_parser(commands) -> None:
    p = commands.add_parser("calibrate", help="choose a model's colour read-out and render size on held-out photos")
    p.add_argument("model", help="installed model name (e.g. vivid)")
    p.add_argument("photos", nargs="*", type=Path, help="folders or files of held-out colour photos")
    p.add_argument("--split-file", type=Path, help="use the validation part of a training run's split.json")
    add_number(p, "--limit", allowed=ranges.PHOTO_LIMIT, default=150, help="use at most this many photos")
    p.add_argument("--prefixes", default="", help="comma-separated file-name prefixes: use only those photos "
                   "(e.g. the held-out photos of the sources that look like the photos users bring)")
    add_number(p, "--temperatures", allowed=ranges.READOUT_TEMPERATURE, many=True, default="1.0,1.3,1.6",
               help="comma-separated read-out temperatures")
    add_number(p, "--gains", allowed=ranges.CHROMA_GAIN, many=True, default="1.0,1.2,1.4",
               help="comma-separated chroma stretches")
    add_number(p, "--blends", allowed=ranges.BLEND, many=True, default="0,0.25,0.5,0.75,1",
               help="comma-separated shares of the colour classifier against the regression head")
    add_number(p, "--min-gain", allowed=ranges.PSNR_MARGIN, default=0.0,
               help="keep settings at least this many dB more accurate (PSNR) than grey")
    p.add_argument("--against", default="", help="comma-separated models the choice must match or beat "
                   "on PSNR and SSIM over the same photos")
    add_number(p, "--margin", allowed=ranges.PSNR_MARGIN, default=0.0,
               help="with --against: beat their PSNR by this many dB")
    p.add_argument("--flip-average", choices=("on", "off"), help="flagship: average with the mirrored photo's "
                   "prediction (twice the network time)")
    add_number(p, "--min-colourfulness", allowed=ranges.COLOURFULNESS_RATIO, default=0.0,
               help="keep settings at least this colourful (colourfulness ratio against the photos)")
    p.add_argument("--prefer", choices=("colour", "accuracy"), default="colour",
                   help="among the settings that meet --min-gain / --min-colourfulness / --against: the most "
                   "colourful, or the most accurate (PSNR)")
    add_number(p, "--render-sizes", allowed=ranges.RENDER_SIZE, many=True, default="160",
               help="comma-separated working sizes")
    add_number(p, "--render-scales", allowed=ranges.RENDER_SCALE, many=True,
               help="comma-separated multiples of the working size the network also sees, predictions "
                    "averaged (e.g. 0.7,1,1.4; default: as the model's card has it)")
    add_number(p, "--hint-blends", allowed=ranges.BLEND, many=True,
               help="networks that take colour hints: blends to try for photos with hints, scored with "
                    "--hint-count true-colour hints per photo after the read-out is chosen (e.g. 0,0.25,0.5)")
    add_number(p, "--hint-count", allowed=ranges.HINT_COUNT, default=10, help="with --hint-blends: hints per photo")
    p.add_argument("--save", action="store_true", help="write the choice into the model's card")
    p.add_argument("--save-as", metavar="NAME", help="with --save: a new model NAME (a copy of the weights) "
                   "gets the choice; the original keeps its read-out")
    p.add_argument("--title", help="with --save: the model's display title")
    p.set_defaults(run=run_calibrate)


def run_calibrate(args) -> int:
    from restorer.cli.progress import drive
    from restorer.training.calibrate import calibrate, store_calibration

    photos = list(args.photos)
    if args.split_file:
        from restorer.training.data import Split

        photos += Split.from_json(args.split_file.read_bytes(), str(args.split_file)).val
    prefixes = tuple(filter(None, args.prefixes.split(",")))
    if prefixes:
        photos = [p for p in photos if p.is_dir() or p.name.startswith(prefixes)]
    result = drive(calibrate(args.model, photos, args.temperatures, args.render_sizes, args.gains,
                             limit=args.limit, blends=args.blends,
                             min_psnr_gain=args.min_gain, against=tuple(filter(None, args.against.split(","))),
                             margin=args.margin,
                             flip_average=None if args.flip_average is None else args.flip_average == "on",
                             render_scales=args.render_scales, prefer=args.prefer,
                             min_colourfulness=args.min_colourfulness, hint_blends=tuple(args.hint_blends or ()),
                             hint_count=args.hint_count),
                   "calibrating", lambda p: print(p.message, flush=True))
    print(f"Chosen: temperature {result.temperature}, chroma gain {result.chroma_gain}, blend {result.blend}, "
          f"render size {result.render_size}"
          + (f", render scales {result.render_scales}" if result.render_scales else "")
          + (f", blend with hints {result.hint_blend}" if result.hint_blend is not None else ""))
    if args.save:
        desc = f"{args.split_file or ', '.join(map(str, args.photos))} (validation part, {args.limit} max)"
        print(f"Saved to {store_calibration(args.model, result, desc, args.save_as, args.title)}")
    return 0

