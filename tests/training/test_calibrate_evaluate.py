"""Evaluation rows/protocol and the read-out calibration stored in the card."""

from __future__ import annotations

from restorer.models.zoo import find_model
from restorer.training.calibrate import calibrate, store_calibration
from restorer.training.data import run_to_end
from restorer.training.evaluate import GREY, EvalConfig, evaluate


def test_evaluate_has_grey_baseline_first_and_consistent_gain(tiny_weights_dir, photo_folder):
    report = run_to_end(evaluate(EvalConfig(data=[photo_folder], models="all", max_side=64)))
    assert report.rows[0]["model"] == GREY
    assert report.rows[0]["colorfulness"] < 1.0  # grey has no colour
    assert {row["model"] for row in report.rows[1:]} == {"vivid", "seed004a-dense-ae"}
    for row in report.rows[1:]:
        assert abs(row["psnr_gain"] - (row["psnr"] - report.rows[0]["psnr"])) < 1e-9
        assert 0 <= row["acc5"] <= 1 and row["ssim"] <= 1
    assert report.protocol["photos"] == 8 and report.protocol["max_side"] == 64  # the grey photo is left out
    assert report.protocol["grey photos left out"] == 1


def test_calibration_picks_a_setting_and_stores_it(tiny_weights_dir, photo_folder):
    photos = sorted(photo_folder.rglob("photo_*.jpg"))
    result = run_to_end(calibrate("vivid", photos, temperatures=(0.3, 1.0), render_sizes=(32, 64), gains=(1.0, 1.3),
                                  max_side=64, blends=(0.5, 1.0)))
    assert len(result.table) == 16
    accurate = [r for r in result.table if r["psnr_gain"] >= 0]
    best = max(accurate or result.table, key=lambda r: r["colorfulness_ratio"] if accurate else r["psnr"])
    assert (result.temperature, result.render_size, result.chroma_gain, result.blend) == \
        (best["temperature"], best["render_size"], best["chroma_gain"], best["blend"])
    store_calibration("vivid", result, "test photos")
    entry = find_model("vivid")
    assert entry.card.hparams["temperature"] == result.temperature and entry.render_size == result.render_size
    assert entry.card.hparams["chroma_gain"] == result.chroma_gain
    assert entry.card.hparams.get("blend", 1.0) == result.blend
    from restorer.models.zoo import load_network

    assert load_network(entry).temperature == result.temperature  # the weights' checksum still matches


def test_calibration_can_choose_a_blend_for_photos_with_hints_and_stores_it(tiny_weights_dir, photo_folder):
    photos = sorted(photo_folder.rglob("photo_*.jpg"))
    result = run_to_end(calibrate("vivid", photos, temperatures=(1.0,), render_sizes=(64,), gains=(1.2,),
                                  max_side=64, blends=(0.75,), hint_blends=(0.0, 0.5, 1.0), hint_count=5))
    assert [r["hint_blend"] for r in result.hint_table] == [0.0, 0.5, 1.0]
    assert len({r["psnr"] for r in result.hint_table}) == 3  # each blend really changed the hinted result
    assert result.hint_blend == max(result.hint_table, key=lambda r: r["psnr"])["hint_blend"]
    assert result.blend == 0.75  # the read-out without hints is chosen as before
    store_calibration("vivid", result, "test photos")
    from restorer.models.zoo import load_network

    assert load_network(find_model("vivid")).hint_blend == result.hint_blend


def test_calibration_against_a_reference_keeps_only_settings_that_match_it(tiny_weights_dir, photo_folder):
    import numpy as np

    from restorer.models.runtime import load_colorizer
    from restorer.pipeline.colorize import colorize_array
    from restorer.training.calibrate import _photos_from
    from restorer.training.evaluate import score_photos

    photos = sorted(photo_folder.rglob("photo_*.jpg"))
    result = run_to_end(calibrate("vivid", photos, temperatures=(0.3,), render_sizes=(64,), gains=(1.0, 1.5),
                                  max_side=64, blends=(0.0, 1.0), against=("seed004a-dense-ae",)))
    reference = load_colorizer("seed004a-dense-ae", "cpu")
    ref = score_photos(lambda im: colorize_array(reference, im).astype(np.float32) / 255.0,
                       _photos_from(photos, 64, 150))
    passing = [r for r in result.table if r["psnr"] >= ref["psnr"] - 1e-4 and r["ssim"] >= ref["ssim"] - 1e-4]
    chosen = next(r for r in result.table if (r["chroma_gain"], r["blend"]) == (result.chroma_gain, result.blend))
    if passing:  # 1e-4: the table rounds to four decimals
        assert chosen["colorfulness_ratio"] == max(r["colorfulness_ratio"] for r in passing)
    else:
        assert chosen["psnr"] == max(r["psnr"] for r in result.table)


def test_calibration_can_prefer_accuracy_over_colour(tiny_weights_dir, photo_folder):
    import pytest

    from restorer.core.errors import RestorerError

    photos = sorted(photo_folder.rglob("photo_*.jpg"))
    settings = dict(temperatures=(0.3, 1.0), render_sizes=(64,), gains=(1.0, 1.5), max_side=64, blends=(0.5, 1.0),
                    min_psnr_gain=-100.0)
    vivid = run_to_end(calibrate("vivid", photos, **settings))
    faithful = run_to_end(calibrate("vivid", photos, prefer="accuracy", **settings))
    chosen = {(r["temperature"], r["chroma_gain"], r["blend"]): r for r in faithful.table}
    pick = chosen[(faithful.temperature, faithful.chroma_gain, faithful.blend)]
    assert pick["psnr"] == max(r["psnr"] for r in faithful.table)
    assert chosen[(vivid.temperature, vivid.chroma_gain, vivid.blend)]["colorfulness_ratio"] == \
        max(r["colorfulness_ratio"] for r in vivid.table)
    with pytest.raises(RestorerError, match="prefer"):
        run_to_end(calibrate("vivid", photos, prefer="sepia", **settings))


def test_calibration_can_ask_for_a_least_colourfulness_then_the_most_accurate(tiny_weights_dir, photo_folder):
    photos = sorted(photo_folder.rglob("photo_*.jpg"))
    settings = dict(temperatures=(0.3, 1.0), render_sizes=(64,), gains=(1.0, 1.5, 3.0), max_side=64,
                    blends=(0.5, 1.0), min_psnr_gain=-100.0, prefer="accuracy")
    table = run_to_end(calibrate("vivid", photos, **settings)).table
    ratios = sorted(r["colorfulness_ratio"] for r in table)
    least = ratios[len(ratios) // 2]  # half the settings are at least this colourful
    result = run_to_end(calibrate("vivid", photos, min_colourfulness=least, **settings))
    pick = next(r for r in result.table if (r["temperature"], r["chroma_gain"], r["blend"]) ==
                (result.temperature, result.chroma_gain, result.blend))
    assert pick["colorfulness_ratio"] >= least
    assert pick["psnr"] == max(r["psnr"] for r in result.table if r["colorfulness_ratio"] >= least)
