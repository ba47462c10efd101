"""`restorer colorize`: colorize photos and folders."""

from __future__ import annotations

import sys
from pathlib import Path

from restorer.cli.arguments import add_number, name_part
from restorer.cli.cmd_repair import add_repair_arguments
from restorer.core import ranges


HINTS_HELP = ("A photo's colour hints (placed in the app, or written by hand: see docs/HINTS.md) are kept "
              "beside it as PHOTO.hints.json, e.g. album/scan.jpg.hints.json, and used automatically.")


def add_parser(commands) -> None:
    p = commands.add_parser("colorize", help="colorize photos (files or folders, walked recursively)")
    p.add_argument("photos", nargs="+", type=Path, help="photos and/or folders")
    p.add_argument("-o", "--outdir", type=Path, help="output folder (default: beside each photo)")
    p.add_argument("--model", help="network name (see `restorer models`); default: the flagship")
    p.add_argument("--device", default="auto", help="auto, cpu, cuda, cuda:N or mps")
    add_number(p, "--render-size", allowed=ranges.RENDER_SIZE, help="working size (long side px) the network sees")
    p.add_argument("--raw", action="store_true", help="RGB networks: keep their own RGB, not original L")
    add_output_arguments(p, "_colorized")
    hints = p.add_argument_group("colour hints", HINTS_HELP)
    hints.add_argument("--hints", type=Path, metavar="FILE", help="use these colour hints (for every photo given)")
    hints.add_argument("--no-hints", action="store_true", help="ignore the photos' .hints.json sidecars")
    add_repair_arguments(p)
    adj = p.add_argument_group("post-processing")
    add_number(adj, "--contrast", allowed=ranges.CONTRAST, default=1.0, help="contrast factor (1 = unchanged)")
    add_number(adj, "--brightness", allowed=ranges.BRIGHTNESS, default=0.0, help="0 = unchanged")
    add_number(adj, "--gamma", allowed=ranges.GAMMA, default=1.0, help="1 = unchanged")
    adj.add_argument("--equalize", choices=["off", "global", "clahe"], default="off")
    add_number(adj, "--equalize-strength", allowed=ranges.EQUALIZE_STRENGTH, default=1.0,
               help="share of the equalized tones")
    add_number(adj, "--saturation", allowed=ranges.SATURATION, default=1.0, help="chroma factor (1 = unchanged)")
    add_number(adj, "--vibrance", allowed=ranges.VIBRANCE, default=0.0, help="boosts dull colours (0 = unchanged)")
    add_number(adj, "--sharpen", allowed=ranges.SHARPEN, default=0.0, help="unsharp-mask amount (0 = off)")
    add_number(adj, "--temperature", allowed=ranges.TEMPERATURE, default=0.0, help="cool (-1) to warm (1)")
    add_number(adj, "--tint", allowed=ranges.TINT, default=0.0, help="green (-1) to magenta (1)")
    adj.add_argument("--reference", type=Path, help="match colours to this reference photo")
    add_number(adj, "--reference-strength", allowed=ranges.REFERENCE_STRENGTH, default=1.0,
               help="share of the reference's colours")
    p.add_argument("--cluster", metavar="ADDRESS",
                   help="run on Ray: local[:N] starts a runtime here with N workers; HOST:PORT or auto joins "
                        "a running cluster (docs/CLUSTER.md; needs restorer[cluster])")
    add_number(p, "--gpus-per-worker", allowed=ranges.GPUS_PER_WORKER, default=0.0,
               help="with --cluster: GPUs each worker reserves (e.g. 1 or 0.5); 0 = CPU workers")
    p.set_defaults(run=run)


def add_output_arguments(p, suffix: str) -> None:
    """How results are written: format, quality, name suffix, and what to do with existing ones."""
    p.add_argument("--format", dest="ext", help="output format: jpg, png, tif, webp (default: input's)")
    add_number(p, "--quality", allowed=ranges.QUALITY, default=95, help="JPEG/WebP quality")
    p.add_argument("--suffix", default=suffix, type=name_part, help="added to the output file name")
    p.add_argument("--resume", action="store_true", help="skip photos whose output already exists")
    p.add_argument("--overwrite", action="store_true", help="replace existing outputs (never originals)")


def adjustments_from(args):
    from restorer.pipeline.postprocess import Adjustments

    reference = None
    if args.reference:
        from restorer.pipeline.color import to_float01
        from restorer.pipeline.io import load_image

        reference = to_float01(load_image(args.reference).pixels)
    return Adjustments(
        contrast=args.contrast, brightness=args.brightness, gamma=args.gamma, equalize=args.equalize,
        equalize_strength=args.equalize_strength, saturation=args.saturation, vibrance=args.vibrance,
        sharpen_amount=args.sharpen, temperature=args.temperature, tint=args.tint, reference=reference,
        reference_strength=args.reference_strength,
        reference_path=str(args.reference) if args.reference else None,
    )


def quiet_libraries() -> None:
    """Keep library chatter off the terminal: every problem with a photo is reported by us, in
    one line. OpenCV logs decoder errors natively; Pillow's warnings about big or oddly tagged
    files are Python warnings, which go to the log file (restorer.cli.reporting)."""
    import cv2

    cv2.utils.logging.setLogLevel(cv2.utils.logging.LOG_LEVEL_SILENT)


def why_missing(path: Path) -> str | None:
    """None when ``path`` exists, else why it cannot be used (never an exception)."""
    try:
        return None if path.exists() else "no such file or folder"
    except OSError as err:  # e.g. a name longer than the file system allows
        return err.strerror or "cannot be looked at"


def failure_line(source: Path, message: str) -> str:
    """``source: message``, without naming the file twice when the message already does."""
    return message if str(source) in message else f"{source}: {message}"


def outputs_in_the_way(args, paths, options) -> bool:
    """Say so, before the network runs on any photo, when outputs exist and neither --resume
    (skip them) nor --overwrite (replace them) says what to do with them."""
    from restorer.pipeline.batch import existing_outputs

    clashes = [] if args.resume or args.overwrite else existing_outputs(paths, options)
    if clashes:
        print(f"restorer: error: {len(clashes)} of the {len(paths)} outputs already exist (e.g. {clashes[0]}); "
              "add --resume to skip those photos, or --overwrite to replace them.", file=sys.stderr)
    return bool(clashes)


def find_photos(args) -> tuple[list[Path], list[Path], dict[Path, str], list[Path]]:
    """(photos to colorize, folders named, missing names with why, named files that are no photos),
    each problem said at once: a name given explicitly is never dropped silently."""
    from restorer.pipeline.io import IMAGE_SUFFIXES, is_image_file, iter_image_files

    missing = {p: why_missing(p) for p in args.photos if why_missing(p)}
    for path, reason in missing.items():
        print(f"restorer: {path}: {reason}", file=sys.stderr)
    present = [p for p in args.photos if p not in missing]
    unsupported = [p for p in present if not p.is_dir() and not is_image_file(p)]
    for path in unsupported:
        print(f"restorer: {path}: not a photo file (Restorer reads {', '.join(IMAGE_SUFFIXES)})",
              file=sys.stderr)
    return list(iter_image_files(present)), [p for p in present if p.is_dir()], missing, unsupported


def _options(args, folders: list[Path]):
    from restorer.cli.cmd_repair import repair_plan_from
    from restorer.pipeline.batch import BatchOptions
    from restorer.pipeline.colorize import ColorizeSettings

    settings = ColorizeSettings(args.model, args.device, args.render_size, raw_rgb=args.raw, hints=given_hints(args),
                                adjustments=adjustments_from(args), repair=repair_plan_from(args))
    return BatchOptions(out_dir=args.outdir, source_roots=tuple(folders), suffix=args.suffix, ext=args.ext,
                        quality=args.quality, resume=args.resume, overwrite=args.overwrite, settings=settings,
                        sidecar_hints=not getattr(args, "no_hints", False))


def given_hints(args) -> tuple:
    """The hints of ``--hints`` (checked against the model before any photo is computed)."""
    if not getattr(args, "hints", None):
        return ()
    from restorer.core.errors import HintsError
    from restorer.models.zoo import find_model
    from restorer.pipeline.hints import hint_support_problem, load_hints

    hints = load_hints(args.hints)
    problem = hint_support_problem(find_model(args.model).spec)
    if problem:
        raise HintsError(f"--hints: {problem}; choose one with --model")
    return hints


def report_item(progress) -> None:
    result = progress.payload
    if result.status == "failed":
        print(f"FAILED {failure_line(result.source, result.message)}", file=sys.stderr)
    for note in result.notes:
        print(f"note {result.source.name}: {note}", file=sys.stderr)


def print_summary(summary, missing: dict[Path, str], unsupported: list[Path], done_word: str = "colorized") -> int:
    """Print the totals and every photo not colorized; the exit status (1 when any was not)."""
    done, skipped, failed = summary.count("done"), summary.count("skipped"), len(summary.failed)
    print(f"{done} {done_word}, {skipped} skipped (output exists), {failed} failed"
          + (f", {len(missing)} missing" if missing else "")
          + (f", {len(unsupported)} not photos" if unsupported else "") + ".")
    if summary.failed or missing or unsupported:
        print(f"Not {done_word}:")
        for result in summary.failed:
            print(f"  {failure_line(result.source, result.message)}")
        for path, reason in missing.items():
            print(f"  {path}: {reason}")
        for path in unsupported:
            print(f"  {path}: not a photo file")
    return 1 if failed or missing or unsupported else 0


def run(args) -> int:
    quiet_libraries()
    paths, folders, missing, unsupported = find_photos(args)
    if not paths:
        print("restorer: error: no photos to colorize", file=sys.stderr)
        return 1
    options = _options(args, folders)
    if outputs_in_the_way(args, paths, options):
        return 2
    summary = _on_cluster(args, paths, options) if args.cluster else _here(args, paths, options)
    return print_summary(summary, missing, unsupported)


def _here(args, paths, options):
    """Colorize on this machine; returns the batch summary."""
    from restorer.cli.progress import drive
    from restorer.models.runtime import load_colorizer
    from restorer.pipeline.batch import colorize_batch

    colorizer = load_colorizer(args.model, args.device)
    repairing = " after repairing damage" if options.settings.repair else ""
    print(f"Colorizing {len(paths)} photo(s) with {colorizer.name} on {colorizer.device}{repairing}.",
          file=sys.stderr)
    return drive(colorize_batch(colorizer, paths, options), "colorizing", report_item)


def _on_cluster(args, paths, options):
    """Colorize on a Ray cluster (``--cluster``); returns the batch summary."""
    from restorer.cli.progress import drive
    from restorer.models.zoo import find_model
    from restorer.pipeline.cluster import ClusterPool, parse_cluster

    spec = parse_cluster(args.cluster, args.gpus_per_worker)
    find_model(args.model)  # an unknown name is said here, before any cluster starts
    with ClusterPool(spec, args.model, args.device) as pool:
        print(f"Colorizing {len(paths)} photo(s) on the Ray cluster {args.cluster}: {len(pool.workers)} "
              f"worker(s), {pool.workers[0]}.", file=sys.stderr)
        return drive(pool.colorize(paths, options), "colorizing", report_item)
