"""`restorer colorize`: colorize photos and folders."""

from __future__ import annotations

import sys
from pathlib import Path


def add_parser(commands) -> None:
    p = commands.add_parser("colorize", help="colorize photos (files or folders, walked recursively)")
    p.add_argument("photos", nargs="+", type=Path, help="photos and/or folders")
    p.add_argument("-o", "--outdir", type=Path, help="output folder (default: beside each photo)")
    p.add_argument("--model", help="network name (see `restorer models`); default: the flagship")
    p.add_argument("--device", default="auto", help="auto, cpu, cuda, cuda:N or mps")
    p.add_argument("--render-size", type=int, help="working size (long side px) the network sees")
    p.add_argument("--raw", action="store_true", help="RGB networks: keep their own RGB, not original L")
    p.add_argument("--format", dest="ext", help="output format: jpg, png, tif, webp (default: input's)")
    p.add_argument("--quality", type=int, default=95, help="JPEG/WebP quality")
    p.add_argument("--suffix", default="_colorized", help="added to the output file name")
    p.add_argument("--resume", action="store_true", help="skip photos whose output already exists")
    p.add_argument("--overwrite", action="store_true", help="replace existing outputs (never originals)")
    adj = p.add_argument_group("post-processing")
    adj.add_argument("--contrast", type=float, default=1.0, help="contrast factor (1 = unchanged)")
    adj.add_argument("--brightness", type=float, default=0.0, help="-1..1 (0 = unchanged)")
    adj.add_argument("--gamma", type=float, default=1.0)
    adj.add_argument("--equalize", choices=["off", "global", "clahe"], default="off")
    adj.add_argument("--equalize-strength", type=float, default=1.0)
    adj.add_argument("--saturation", type=float, default=1.0, help="chroma factor (1 = unchanged)")
    adj.add_argument("--vibrance", type=float, default=0.0, help="-1..1")
    adj.add_argument("--sharpen", type=float, default=0.0, help="unsharp-mask amount (0 = off)")
    adj.add_argument("--temperature", type=float, default=0.0, help="-1 (cool) .. 1 (warm)")
    adj.add_argument("--tint", type=float, default=0.0, help="-1 (green) .. 1 (magenta)")
    adj.add_argument("--reference", type=Path, help="match colours to this reference photo")
    adj.add_argument("--reference-strength", type=float, default=1.0)
    p.set_defaults(run=run)


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
    one line. Pillow warns about big or oddly tagged files, OpenCV logs decoder errors."""
    import warnings

    import cv2

    warnings.filterwarnings("ignore", module=r"PIL\.")
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


def run(args) -> int:
    from restorer.cli.progress import drive
    from restorer.models.runtime import Colorizer
    from restorer.pipeline.batch import BatchOptions, colorize_batch
    from restorer.pipeline.inference import ColorizeOptions
    from restorer.pipeline.io import IMAGE_SUFFIXES, is_image_file, iter_image_files
    from restorer.pipeline.io_write import remove_stale_temp_files

    quiet_libraries()
    missing = {p: why_missing(p) for p in args.photos if why_missing(p)}
    for path, reason in missing.items():
        print(f"restorer: {path}: {reason}", file=sys.stderr)
    present = [p for p in args.photos if p not in missing]
    # a file named explicitly is never dropped silently, even when it is not a photo
    unsupported = [p for p in present if not p.is_dir() and not is_image_file(p)]
    for path in unsupported:
        print(f"restorer: {path}: not a photo file (Restorer reads {', '.join(IMAGE_SUFFIXES)})",
              file=sys.stderr)
    paths = list(iter_image_files(present))
    if not paths:
        print("restorer: error: no photos to colorize", file=sys.stderr)
        return 1
    if args.outdir is not None:
        remove_stale_temp_files(args.outdir)  # .part files a killed earlier run left
    options = BatchOptions(
        out_dir=args.outdir, source_roots=tuple(p for p in present if p.is_dir()), suffix=args.suffix, ext=args.ext, quality=args.quality, resume=args.resume,
        overwrite=args.overwrite, colorize=ColorizeOptions(render_size=args.render_size, raw_rgb=args.raw),
        adjustments=adjustments_from(args),
    )
    if outputs_in_the_way(args, paths, options):
        return 2
    colorizer = Colorizer.load(args.model, args.device)
    print(f"Colorizing {len(paths)} photo(s) with {colorizer.name} on {colorizer.device}.", file=sys.stderr)

    def report(progress):
        result = progress.payload
        if result.status == "failed":
            print(f"FAILED {failure_line(result.source, result.message)}", file=sys.stderr)
        for note in result.notes:
            print(f"note {result.source.name}: {note}", file=sys.stderr)

    summary = drive(colorize_batch(colorizer, paths, options), "colorizing", report)
    done, skipped, failed = summary.count("done"), summary.count("skipped"), len(summary.failed)
    print(f"{done} colorized, {skipped} skipped (output exists), {failed} failed"
          + (f", {len(missing)} missing" if missing else "")
          + (f", {len(unsupported)} not photos" if unsupported else "") + ".")
    if summary.failed or missing or unsupported:
        print("Not colorized:")
        for result in summary.failed:
            print(f"  {failure_line(result.source, result.message)}")
        for path, reason in missing.items():
            print(f"  {path}: {reason}")
        for path in unsupported:
            print(f"  {path}: not a photo file")
    return 1 if failed or missing or unsupported else 0
