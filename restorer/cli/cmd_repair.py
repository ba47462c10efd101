"""`restorer repair`: repair scratches, dust, creases and tears (grey in, grey out); and the
``--repair`` options `restorer colorize` shares."""

from __future__ import annotations

import sys
from pathlib import Path

from restorer.cli.arguments import add_number
from restorer.core import ranges

# Off unless asked: on clean photos the repair step must leave them as they were (PSNR >= 40 dB);
# docs/REPAIR.md has the measurement behind this choice.
REPAIR_DEFAULT = "off"


def add_repair_arguments(parser, always: bool = False) -> None:
    """The repair controls; ``always`` (for `restorer repair`) leaves out the auto/off switch."""
    from restorer.pipeline.repair_options import METHOD_NAMES, RepairOptions

    defaults = RepairOptions()
    group = parser.add_argument_group("damage repair")
    if not always:
        group.add_argument("--repair", choices=["auto", "off"], default=REPAIR_DEFAULT,
                           help=f"find and repair scratches, dust, creases and tears first (default {REPAIR_DEFAULT})")
    add_number(group, "--repair-sensitivity", allowed=ranges.REPAIR_SENSITIVITY, default=defaults.sensitivity,
               help="how readily a mark counts as damage")
    add_number(group, "--repair-strength", allowed=ranges.REPAIR_STRENGTH, default=defaults.strength,
               help="how much of the inpainted value replaces a damaged pixel")
    add_number(group, "--repair-grow", allowed=ranges.REPAIR_GROW, default=defaults.grow,
               help="widening of the damage mask, in px of the detector's working size")
    group.add_argument("--repair-method", choices=METHOD_NAMES, default=defaults.method,
                       help="inpainting method")


def repair_plan_from(args, always: bool = False):
    """The :class:`~restorer.pipeline.repair.RepairPlan` the arguments ask for, or None when off.
    The detector is loaded here, so a missing one is said before any photo is read."""
    from restorer.pipeline.repair import RepairOptions, RepairPlan, shared_detector

    if not always and getattr(args, "repair", "off") == "off":
        return None
    shared_detector()
    return RepairPlan(RepairOptions(sensitivity=args.repair_sensitivity, strength=args.repair_strength,
                                    grow=args.repair_grow, method=args.repair_method))


def add_parser(commands) -> None:
    from restorer.cli.cmd_colorize import add_output_arguments  # cmd_colorize imports this module first

    p = commands.add_parser("repair", help="repair scratches, dust, creases and tears (grey in, grey out)")
    p.add_argument("photos", nargs="+", type=Path, help="photos and/or folders")
    p.add_argument("-o", "--outdir", type=Path, help="output folder (default: beside each photo)")
    add_output_arguments(p, "_repaired")
    add_repair_arguments(p, always=True)
    p.set_defaults(run=run)


def run(args) -> int:
    from restorer.cli.cmd_colorize import find_photos, outputs_in_the_way, print_summary, quiet_libraries, report_item
    from restorer.cli.progress import drive
    from restorer.pipeline.batch import BatchOptions, colorize_batch
    from restorer.pipeline.colorize import ColorizeSettings

    quiet_libraries()
    paths, folders, missing, unsupported = find_photos(args)
    if not paths:
        print("restorer: error: no photos to repair", file=sys.stderr)
        return 1
    options = BatchOptions(out_dir=args.outdir, source_roots=tuple(folders), suffix=args.suffix, ext=args.ext,
                           quality=args.quality, resume=args.resume, overwrite=args.overwrite)
    if outputs_in_the_way(args, paths, options):
        return 2
    options.settings = ColorizeSettings(repair=repair_plan_from(args, always=True))
    print(f"Repairing {len(paths)} photo(s).", file=sys.stderr)
    summary = drive(colorize_batch(None, paths, options), "repairing", report_item)  # no colorizer: grey out
    return print_summary(summary, missing, unsupported, "repaired")
