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


def repairer_from(args, always: bool = False):
    """A loaded :class:`~restorer.pipeline.repair.Repairer` for the arguments, or None when off."""
    from restorer.pipeline.repair import RepairOptions, Repairer

    if not always and getattr(args, "repair", "off") == "off":
        return None
    options = RepairOptions(sensitivity=args.repair_sensitivity, strength=args.repair_strength,
                            grow=args.repair_grow, method=args.repair_method)
    return Repairer.load(options, getattr(args, "device", "cpu"))


def add_parser(commands) -> None:
    p = commands.add_parser("repair", help="repair scratches, dust, creases and tears (grey in, grey out)")
    p.add_argument("photos", nargs="+", type=Path, help="photos and/or folders")
    p.add_argument("-o", "--outdir", type=Path, help="output folder (default: beside each photo)")
    p.add_argument("--device", default="cpu", help="auto, cpu, cuda, cuda:N or mps")
    from restorer.cli.cmd_colorize import add_output_arguments  # cmd_colorize imports this module first

    add_output_arguments(p, "_repaired")
    add_repair_arguments(p, always=True)
    p.set_defaults(run=run)


def run(args) -> int:
    from restorer.cli.cmd_colorize import collect_photos, finish, outputs_in_the_way, quiet_libraries, report_item
    from restorer.cli.progress import drive
    from restorer.pipeline.batch import BatchOptions, colorize_batch

    quiet_libraries()
    paths, missing, unsupported, present = collect_photos(args.photos, "repair")
    if not paths:
        return 1
    options = BatchOptions(out_dir=args.outdir, source_roots=tuple(p for p in present if p.is_dir()),
                           suffix=args.suffix, ext=args.ext, quality=args.quality, resume=args.resume,
                           overwrite=args.overwrite)
    if outputs_in_the_way(args, paths, options):
        return 2
    options.repair = repairer_from(args, always=True)
    print(f"Repairing {len(paths)} photo(s).", file=sys.stderr)
    summary = drive(colorize_batch(None, paths, options), "repairing", report_item)  # no colorizer: grey out
    return finish(summary, missing, unsupported, "repaired")
