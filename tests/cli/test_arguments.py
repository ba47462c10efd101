"""Every number on the command line is checked at parse time against the shared ranges: a bad
one is a usage error (exit 2, one line naming the range), before any photo, model or folder is
touched; ``--help`` shows each range."""

from __future__ import annotations

import argparse

import pytest

from restorer.cli.main import build_parser, main
from restorer.core import ranges
from tests.reliability.corpus import BAD_NUMBERS

POSITIONAL = {"colorize": ["photo.jpg"], "train": ["photos"], "evaluate": ["photos"], "calibrate": ["vivid", "photos"]}


@pytest.mark.parametrize("command, flag, value", BAD_NUMBERS, ids=[" ".join(case) for case in BAD_NUMBERS])
def test_a_bad_number_is_a_usage_error_before_anything_runs(command, flag, value, tmp_path, isolated_user_dir,
                                                            capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)  # relative paths below name nothing: no work may start anyway
    before = sorted(isolated_user_dir.rglob("*"))
    code = main([command, *POSITIONAL[command], f"{flag}={value}", "--name", "x"] if command == "train"
                else [command, *POSITIONAL[command], f"{flag}={value}"])
    err = capsys.readouterr().err
    assert code == 2
    [line] = [line for line in err.splitlines() if "error:" in line]
    assert line.startswith(f"restorer {command}: error: argument {flag}: ")
    assert "must" in line or "needs" in line
    assert "Traceback" not in err
    assert sorted(isolated_user_dir.rglob("*")) == before  # no model, no run folder, no log
    assert list(tmp_path.iterdir()) == []


def test_a_suffix_leading_into_another_folder_is_a_usage_error(capsys):
    assert main(["colorize", "photo.jpg", "--suffix", "/../../elsewhere"]) == 2
    assert "argument --suffix: may not contain '/'" in capsys.readouterr().err


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    [commands] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(commands.choices)


def test_no_number_escapes_the_shared_ranges():
    """No option parses with bare int/float: each number goes through restorer.cli.arguments."""
    for name, sub in _subparsers(build_parser()).items():
        for action in sub._actions:
            assert action.type not in (int, float), f"restorer {name} {action.option_strings}"


@pytest.mark.parametrize("command, flag, allowed", [
    ("colorize", "--quality", ranges.QUALITY), ("colorize", "--saturation", ranges.SATURATION),
    ("train", "--epochs", ranges.EPOCHS), ("train", "--lr", ranges.LEARNING_RATE),
    ("evaluate", "--size", ranges.EVAL_SIZE), ("calibrate", "--blends", ranges.BLEND),
])
def test_help_shows_the_allowed_range(command, flag, allowed):
    sub = _subparsers(build_parser())[command]
    [action] = [a for a in sub._actions if flag in a.option_strings]
    assert allowed.describe() in action.help


def test_valid_numbers_reach_the_command_as_numbers():
    args = build_parser().parse_args(["train", "photos", "--epochs", "3", "--lr", "2e-4", "--split", "0.8,0.2,0",
                                      "--sample-weight", "scan_=2", "--sample-weight", "old_"])
    assert args.epochs == 3 and args.lr == 2e-4 and args.split == (0.8, 0.2, 0.0)
    assert dict(args.sample_weight) == {"scan_": 2.0, "old_": 1.0}
    args = build_parser().parse_args(["calibrate", "vivid", "--render-scales", "0.7,1,1.4"])
    assert args.render_scales == (0.7, 1.0, 1.4) and args.render_sizes == (160,) and args.blends[-1] == 1.0
