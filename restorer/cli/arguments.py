"""argparse ``type=`` adapters over :mod:`restorer.core.ranges`, shared by every command.

A number outside its range is a usage error at parse time (one line, exit 2) that names the
allowed range, and ``--help`` shows the same range beside each option.
"""

from __future__ import annotations

import argparse

from restorer.core.ranges import NumberRange, check_split, name_part_problem, split_problem


def number(allowed: NumberRange):
    """A ``type=`` that accepts one number of ``allowed``."""

    def parse(text: str):
        reason = allowed.problem(text)
        if reason is not None:
            raise argparse.ArgumentTypeError(reason)
        return allowed.check("value", text)

    return parse


def numbers(allowed: NumberRange):
    """A ``type=`` for comma-separated numbers of ``allowed`` (at least one); returns a tuple."""

    def parse(text: str) -> tuple:
        parts = [part for part in text.split(",") if part.strip()]
        if not parts:
            raise argparse.ArgumentTypeError(f"wants comma-separated numbers, each {allowed.describe()}")
        for part in parts:
            reason = allowed.problem(part)
            if reason is not None:
                raise argparse.ArgumentTypeError(f"each number {reason}")
        return tuple(allowed.check("value", part) for part in parts)

    return parse


def split_fractions(text: str) -> tuple[float, float, float]:
    """``train,val,test`` fractions, e.g. ``0.64,0.16,0.20``."""
    parts = [part for part in text.split(",") if part.strip()]
    reason = split_problem(parts)
    if reason is not None:
        raise argparse.ArgumentTypeError(f"{reason} (e.g. 0.64,0.16,0.20)")
    return check_split(parts)


def name_part(text: str) -> str:
    """A ``type=`` for text added to file names (``--suffix``): no path separators."""
    reason = name_part_problem(text)
    if reason is not None:
        raise argparse.ArgumentTypeError(reason)
    return text


def add_number(group, *flags: str, allowed: NumberRange, help: str, many: bool = False, **kwargs) -> None:  # noqa: A002
    """``group.add_argument`` for a number (or, with ``many``, comma-separated numbers) with its
    range appended to the help."""
    kind = numbers(allowed) if many else number(allowed)
    each = "each " if many else ""
    group.add_argument(*flags, type=kind, help=f"{help} [{each}{allowed.describe()}]", **kwargs)
