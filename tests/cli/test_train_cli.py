"""`restorer train` says what it does: fine-tune an installed model (or train from scratch), one opening
line, the base model's score, and a readable verdict instead of a Python dict."""

from __future__ import annotations

import pytest

from restorer.cli.main import main
from restorer.models.zoo import find_model

TINY = ["--epochs", "1", "--epoch-size", "8", "--batch", "4", "--size", "32", "--device", "cpu"]


@pytest.fixture
def train(photo_folder, tmp_path, capsys):
    def run(name: str, *args: str) -> tuple[int, list[str]]:
        code = main(["train", str(photo_folder), *TINY, "--run-dir", str(tmp_path / name), "--name", name, *args])
        captured = capsys.readouterr()
        return code, captured.out.splitlines() + captured.err.splitlines()

    return run


def test_model_names_an_installed_model_to_fine_tune(tiny_weights_dir, train):
    code, lines = train("family", "--model", "vivid")
    assert code == 0
    assert lines[0].startswith("Fine-tuning vivid as 'family': ") and "on cpu" in lines[0]
    assert "photos to learn from" in lines[0] and "held out" in lines[0]
    assert lines[1].startswith("vivid before training, on the ")
    assert any(line.startswith("base vivid ") and "-> yours (family)" in line for line in lines)
    assert not any("{" in line for line in lines)  # no Python dict
    card = find_model("family").card
    assert card.hparams["width"] == 8  # the tiny installed vivid's weights, not a fresh default network
    assert card.title == "family (yours: fine-tuned from vivid)"
    assert card.training["baseline"]["model"] == "vivid"


def test_scratch_trains_random_weights_and_says_so(tiny_weights_dir, train):
    code, lines = train("fresh", "--model", "vivid", "--scratch")
    assert code == 0 and lines[0].startswith("Training vivid from scratch (random weights) as 'fresh'")
    assert not any("before training" in line for line in lines)
    assert any("no base model was scored on them" in line for line in lines)
    card = find_model("fresh").card
    assert card.hparams["width"] != 8 and "baseline" not in card.training
    assert card.title == "fresh (yours: vivid trained from scratch)"


@pytest.mark.parametrize("given,expected", [
    ({}, ("vivid", "vivid")),  # the default: fine-tune the default model
    ({"model": "seed004a-dense-ae"}, ("seed004a-dense-ae", "seed004a-dense-ae")),
    ({"model": "seed001-unet"}, ("seed001-unet", None)),  # no installed weights: from scratch
    ({"scratch": True}, ("vivid", None)),
    ({"init_from": "vivid"}, ("vivid", "vivid")),
])
def test_what_is_trained_from_what(tiny_weights_dir, given, expected):
    from argparse import Namespace

    from restorer.cli.cmd_train import _model_and_start

    assert _model_and_start(Namespace(**{"model": None, "init_from": None, "scratch": False, **given})) == expected


def test_an_unknown_model_is_a_one_line_error(tiny_weights_dir, train):
    code, lines = train("x", "--model", "nope")
    assert code == 2 and lines == [line for line in lines if "No model named 'nope'" in line][:1]
