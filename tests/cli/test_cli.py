"""The `restorer` command line, run in-process and (for start-up time) as a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import numpy as np
from PIL import Image

from restorer.cli.main import main


def test_models_json_lists_every_architecture_with_default(tiny_weights_dir, capsys):
    assert main(["models", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    by_name = {row["name"]: row for row in rows}
    assert by_name["vivid"]["default"] is True
    assert sum(row["default"] for row in rows) == 1
    for key in ("name", "default", "input", "output", "params", "weights"):
        assert key in rows[0]
    assert by_name["eccv16"]["weights"] is None and by_name["eccv16"]["params"] > 30e6
    assert {"seed000-cae", "seed001-unet", "seed002-fusion", "seed003-plain", "seed004a-dense-ae",
            "seed004b-skip-unet", "siggraph17"} <= set(by_name)


def test_models_table_is_readable(tiny_weights_dir, capsys):
    assert main(["models"]) == 0
    out = capsys.readouterr().out
    assert "* vivid" in out and "no weights installed" in out
    assert "runs at 256 px" in out  # the size each model runs at: a card's render size, else its native one


def test_colorize_folder_writes_colour_outputs_and_summary(tiny_weights_dir, photo_folder, tmp_path, capsys):
    out_dir = tmp_path / "out"
    assert main(["colorize", str(photo_folder), "-o", str(out_dir), "--saturation", "1.5"]) == 0
    outputs = sorted(out_dir.rglob("*_colorized.*"))
    assert len(outputs) == 9
    assert "9 colorized, 0 skipped" in capsys.readouterr().out
    pixels = np.asarray(Image.open(outputs[0]).convert("RGB")).astype(int)
    assert np.abs(pixels[..., 0] - pixels[..., 2]).mean() > 0.5  # not grey


def test_failures_are_listed_and_exit_code_is_non_zero(tiny_weights_dir, photo_folder, tmp_path, capsys):
    (photo_folder / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0 truncated")
    code = main(["colorize", str(photo_folder), "-o", str(tmp_path / "out")])
    captured = capsys.readouterr()
    assert code == 1
    assert "9 colorized, 0 skipped (output exists), 1 failed" in captured.out
    assert "FAILED" in captured.err and "broken.jpg" in captured.err and "Traceback" not in captured.err


def test_resume_skips_finished_outputs(tiny_weights_dir, photo_folder, tmp_path, capsys):
    out_dir = tmp_path / "out"
    main(["colorize", str(photo_folder), "-o", str(out_dir)])
    capsys.readouterr()
    assert main(["colorize", str(photo_folder), "-o", str(out_dir), "--resume"]) == 0
    assert "0 colorized, 9 skipped" in capsys.readouterr().out


def test_unknown_model_is_a_one_line_error(tiny_weights_dir, photo_folder, capsys):
    assert main(["colorize", str(photo_folder), "--model", "nope"]) == 2
    err = capsys.readouterr().err
    assert "No model named 'nope'" in err and "Traceback" not in err


def test_evaluate_prints_grey_baseline_and_protocol(tiny_weights_dir, photo_folder, capsys):
    assert main(["evaluate", str(photo_folder), "--models", "vivid", "--size", "64", "--markdown"]) == 0
    out = capsys.readouterr().out
    assert "| grey (no colour) |" in out and "| vivid |" in out and "Protocol:" in out and "photos: 8" in out
    assert "grey photos left out: 1" in out  # its grey ground truth would score grey as perfect


def test_evaluate_refuses_grey_ground_truth(tiny_weights_dir, tmp_path, capsys):
    from tests.helpers import synthetic_photo

    folder = tmp_path / "grey"
    folder.mkdir()
    for index in range(3):
        Image.fromarray(synthetic_photo(48, 64, seed=index)[..., 1]).convert("RGB").save(folder / f"g{index}.png")
    assert main(["evaluate", str(folder), "--models", "vivid", "--size", "64"]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "The 3 photo(s) in" in captured.err and "have no colour" in captured.err
    assert "dB" not in captured.err


def test_help_is_fast_because_torch_loads_lazily():
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "restorer", "--help"], capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    assert result.returncode == 0 and "colorize" in result.stdout
    probe = subprocess.run([sys.executable, "-c", "import sys, restorer.cli.main as m; m.build_parser(); "
                            "print('torch' in sys.modules)"], capture_output=True, text=True)
    assert probe.stdout.strip() == "False"
    assert elapsed < 5  # generous for a loaded CI machine; benchmarks/ measure the real figure


def test_calibrate_filters_by_prefix_and_saves_the_choice(tiny_weights_dir, photo_folder, capsys):
    from restorer.models.zoo import find_model

    photos = [str(p) for p in sorted(photo_folder.rglob("*.*"))]
    code = main(["calibrate", "vivid", *photos, "--prefixes", "photo_1,photo_2", "--temperatures", "0.4",
                 "--gains", "1.0,1.2", "--blends", "0.5,1", "--render-sizes", "64", "--save"])
    out = capsys.readouterr().out
    assert code == 0 and "Chosen:" in out and "Saved to" in out and "2 held-out photos" in out
    card = find_model("vivid").card
    table = card.training["calibration"]["table"]
    assert len(table) == 4 and card.hparams["chroma_gain"] in (1.0, 1.2)


def test_calibrate_can_save_a_second_character_of_the_same_network(tiny_weights_dir, photo_folder, capsys):
    from restorer.models.zoo import find_model, load_network

    before = find_model("vivid").card.hparams
    code = main(["calibrate", "vivid", str(photo_folder), "--temperatures", "0.5", "--gains", "1.3",
                 "--blends", "1", "--render-sizes", "64", "--save", "--save-as", "vivid-bold", "--title", "Vivid, bold",
                 "--flip-average", "on"])
    assert code == 0
    bold = find_model("vivid-bold")
    assert bold.card.title == "Vivid, bold" and bold.card.hparams["chroma_gain"] == 1.3
    assert find_model("vivid").card.hparams == before  # the original keeps its read-out
    network = load_network(bold)  # the copied weights pass the card's checksum
    assert network.chroma_gain == 1.3 and network.temperature == 0.5 and network.flip_average


def test_calibrate_stores_the_multi_scale_read_out(tiny_weights_dir, photo_folder, capsys):
    from restorer.models.zoo import find_model

    code = main(["calibrate", "vivid", str(photo_folder), "--temperatures", "0.5", "--gains", "1.0",
                 "--blends", "1", "--render-sizes", "64", "--render-scales", "0.7,1,1.4", "--save"])
    assert code == 0 and "render scales (0.7, 1.0, 1.4)" in capsys.readouterr().out
    assert find_model("vivid").render_scales == (0.7, 1.0, 1.4)


def test_calibrate_refuses_nonsense_render_scales(tiny_weights_dir, photo_folder, capsys):
    code = main(["calibrate", "vivid", str(photo_folder), "--render-scales", "0.7,big"])
    assert code != 0 and "--render-scales" in capsys.readouterr().err


def test_existing_outputs_are_refused_before_the_network_runs(tiny_weights_dir, photo_folder, tmp_path, capsys,
                                                               monkeypatch):
    from restorer.models import runtime

    out_dir = tmp_path / "out"
    assert main(["colorize", str(photo_folder), "-o", str(out_dir)]) == 0
    capsys.readouterr()

    def no_network(*args, **kwargs):
        raise AssertionError("the network was loaded although every output already exists")

    monkeypatch.setattr(runtime, "load_colorizer", no_network)
    assert main(["colorize", str(photo_folder), "-o", str(out_dir)]) == 2
    captured = capsys.readouterr()
    assert captured.err.count("\n") == 1 and "FAILED" not in captured.err and captured.out == ""
    assert "9 of the 9 outputs already exist" in captured.err
    assert "--resume" in captured.err and "--overwrite" in captured.err


def test_models_lists_from_the_cards_without_torch_once_cached(tiny_weights_dir, capsys):
    import os

    assert main(["models", "--json"]) == 0  # the first listing builds the networks and caches the answers
    first = json.loads(capsys.readouterr().out)
    code = ("import json, sys; from restorer.cli.main import main; main(['models', '--json']); "
            "sys.stderr.write(json.dumps('torch' in sys.modules))")
    probe = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=dict(os.environ),
                           timeout=120)
    assert probe.returncode == 0 and probe.stderr.strip() == "false"
    assert json.loads(probe.stdout) == first  # the same answers as through the registry


def test_models_marks_a_users_own_check_as_not_comparable(tiny_weights_dir, capsys):
    from restorer.core.paths import user_models_dir
    from restorer.models.vivid import VividNet
    from restorer.models.weights import ModelCard, save_model

    card = json.loads((tiny_weights_dir / "vivid.json").read_text())
    card["metrics"] = {"eval": {"psnr": 22.1, "ssim": 0.92, "protocol": "156 eval photos"}}
    (tiny_weights_dir / "vivid.json").write_text(json.dumps(card))
    training = {"split_sizes": {"val": 6}, "config": {"val_count": 64, "size": 128},
                "baseline": {"model": "vivid", "photos": 6, "psnr": 22.09}}
    save_model(VividNet(width=8, global_dim=8).eval(),
               ModelCard(name="family", arch="vivid", hparams={"width": 8, "global_dim": 8}, training=training,
                         title="family (yours: fine-tuned from vivid)", metrics={"val": {"psnr": 20.24}}),
               user_models_dir())
    assert main(["models"]) == 0
    lines = capsys.readouterr().out.splitlines()
    own = lines[lines.index("    family (yours: fine-tuned from vivid)") + 1]
    assert own.startswith("    PSNR 20.24 dB  \u2020 own validation: 6 held-out photos")
    assert "vivid scored 22.09 dB there" in own
    bundled = lines[lines.index(next(line for line in lines if line.startswith("* vivid"))) + 2]
    assert bundled == "    PSNR 22.10 dB, SSIM 0.920"
    assert "Numbers: shared evaluation, 156 eval photos." in lines
    assert any(line.startswith("\u2020 = the model's own check") and "not with the evaluation" in line
               for line in lines)
