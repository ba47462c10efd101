"""A damage detector lives in the same zoo as the colorizers but is never offered as one."""

from __future__ import annotations

import pytest

from restorer.core.errors import ModelLoadError
from restorer.models.registry import COLORIZER, DAMAGE_DETECTOR, all_archs
from restorer.models.zoo import find_model, list_models


def test_architectures_say_what_they_are_for():
    kinds = {spec.name: spec.kind for spec in all_archs()}
    assert kinds["damage-unet"] == DAMAGE_DETECTOR and kinds["vivid"] == COLORIZER
    assert "damage-unet" not in {spec.name for spec in all_archs(COLORIZER)}
    assert [spec.name for spec in all_archs(DAMAGE_DETECTOR)] == ["damage-unet"]


def test_colorizer_lists_leave_the_detector_out_even_with_its_weights_installed(tiny_detector):
    assert "damage-unet" not in {entry.name for entry in list_models()}
    detectors = [entry for entry in list_models(DAMAGE_DETECTOR) if entry.ready]
    assert [entry.name for entry in detectors] == ["damage-unet"]
    assert {entry.spec.kind for entry in list_models(None)} == {COLORIZER, DAMAGE_DETECTOR}
    with pytest.raises(ModelLoadError, match="No model named"):
        find_model("damage-unet")
    assert find_model("damage-unet", DAMAGE_DETECTOR).ready


def test_the_default_colorizer_is_never_the_detector(tiny_detector):
    from restorer.models.zoo import default_model_name

    for card in tiny_detector.glob("*.json"):
        if card.stem != "damage-unet":
            card.unlink()
    with pytest.raises(ModelLoadError):
        default_model_name()


def test_restorer_models_never_lists_the_detector_fresh_or_cached(tiny_detector, capsys):
    import json

    from restorer.cli.main import main

    for _ in range(2):  # the second listing answers from the cache
        assert main(["models", "--json"]) == 0
        names = {row["name"] for row in json.loads(capsys.readouterr().out)}
        assert "vivid" in names and "damage-unet" not in names
