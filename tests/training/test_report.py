"""The training verdict in plain words: base X dB -> yours Y dB, better or worse."""

from __future__ import annotations

from restorer.training.report import improved, kept_epoch, verdict_line

BASE = {"model": "vivid", "photos": 5, "psnr": 22.09, "colorfulness_ratio": 0.8, "loss": 3.0}


def test_worse_than_the_base_is_said_plainly():
    line = verdict_line("family", BASE, {"psnr": 20.24})
    assert "base vivid 22.09 dB -> yours (family) 20.24 dB" in line and "WORSE than vivid" in line
    assert improved(BASE, {"psnr": 20.24}) is False


def test_better_than_the_base():
    assert improved(BASE, {"psnr": 22.5}) is True
    assert verdict_line("family", BASE, {"psnr": 22.5}).endswith("better than vivid.")


def test_from_scratch_has_nothing_to_compare_with():
    assert improved(None, {"psnr": 20.0}) is None
    assert "no base model" in verdict_line("fresh", None, {"psnr": 20.0})


def test_kept_epoch_follows_the_keep_rule():
    history = [{"epoch": 1, "loss": 2.0}, {"epoch": 2, "loss": 1.0}, {"epoch": 3, "loss": 1.5}]
    assert kept_epoch({"history": history, "kept": "best"}) == 2
    assert kept_epoch({"history": history, "kept": "last"}) == 3
    assert kept_epoch({}) is None
