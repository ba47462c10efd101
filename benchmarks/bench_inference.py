"""End-to-end colorization of one photo at 1/4/12/24 MP on the CPU, stage by stage, every network.

Stages: decode (load_image), preprocess (full-size L, shrunk to the working size), network, upsample/merge (chroma
upsampling + Lab merge), post-process (saturation x1.1 + CLAHE), encode (JPEG save). Networks
without bundled weights (ECCV16, SIGGRAPH17) run with random weights: timing only. Ratios are
taken within this one run.

    python benchmarks/bench_inference.py [--sizes 1,4,12,24] [--models all] [--threads 2] [--quick]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import cv2
import numpy as np

from common import best_of, command_line, git_revision, machine, markdown_table, write_section

STAGES = ["decode", "preprocess", "network", "merge", "postprocess", "encode"]


def make_photo(megapixels: float, folder: Path) -> Path:
    from tests.helpers import synthetic_photo

    width = int((megapixels * 1e6 * 4 / 3) ** 0.5)
    height = int(width * 3 / 4)
    image = cv2.resize(synthetic_photo(300, 400), (width, height), interpolation=cv2.INTER_CUBIC)
    noise = np.random.default_rng(0).normal(0, 6, image.shape)
    image = np.clip(image + noise, 0, 255).astype(np.uint8)
    path = folder / f"photo_{megapixels:g}mp.jpg"
    cv2.imwrite(str(path), cv2.cvtColor(image, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, 92])
    return path


def colorizers(names: list[str]):
    from restorer.models.runtime import NetworkColorizer, load_colorizer
    from restorer.models.zoo import list_models

    out = []
    for entry in list_models():
        if names != ["all"] and entry.name not in names:
            continue
        if entry.ready:
            out.append((entry.name, load_colorizer(entry.name, "cpu")))
        elif entry.spec.name in ("eccv16", "siggraph17"):
            network = entry.spec.build(**entry.spec.default_hparams).eval()
            out.append((f"{entry.name} (random weights)", NetworkColorizer(network, entry.spec, "cpu")))
    return out


def stage_times(colorizer, path: Path, out_dir: Path, repeat: int) -> dict[str, float]:
    from restorer.pipeline.color import luminance, merge_luminance_chroma
    from restorer.pipeline.inference import predict_ab, working_shape, small_luminance
    from restorer.pipeline.io import load_image, save_image
    from restorer.pipeline.postprocess import Adjustments, apply_adjustments

    image = load_image(path)
    pixels = image.pixels
    shape = working_shape(*pixels.shape[:2], colorizer.default_render_size)
    lum = luminance(pixels)
    lum_small = small_luminance(lum, shape)
    ab = colorizer.run(lum_small[None])[0]
    if colorizer.spec.output_kind == "rgb":
        from restorer.pipeline.color import rgb_to_lab

        ab = rgb_to_lab(cv2.resize(ab, (shape[1], shape[0])))[..., 1:]
    rgb = merge_luminance_chroma(lum, ab)
    adjust = Adjustments(saturation=1.1, equalize="clahe", equalize_strength=0.5)
    target = out_dir / "out.jpg"

    def encode():
        save_image(rgb, target, like=image, overwrite=True)

    def network():  # every render scale the model's card asks for, each shrink included; as a new photo
        forget = getattr(colorizer.network, "forget_encodings", None)  # vivid2 remembers recent photos
        if forget:
            forget()
        predict_ab(colorizer, lum, colorizer.default_render_size, colorizer.default_render_scales)

    return {
        "decode": best_of(lambda: load_image(path), repeat),
        "preprocess": best_of(lambda: small_luminance(luminance(pixels), shape), repeat),
        "network": best_of(network, repeat),
        "merge": best_of(lambda: merge_luminance_chroma(lum, ab), repeat),
        "postprocess": best_of(lambda: apply_adjustments(rgb, adjust), repeat),
        "encode": best_of(encode, repeat),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1,4,12,24")
    parser.add_argument("--models", default="all")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="smoke mode: 0.1 MP, flagship + ECCV16, 1 repeat")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    import torch

    torch.set_num_threads(args.threads)
    sizes = [0.1] if args.quick else [float(s) for s in args.sizes.split(",")]
    from restorer.models.zoo import default_model_name

    flagship_name = default_model_name()
    names = [flagship_name, "eccv16"] if args.quick else args.models.split(",")
    repeat = 1 if args.quick else args.repeat
    rows, totals = [], {}
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        for megapixels in sizes:
            path = make_photo(megapixels, tmp_path)
            for name, colorizer in colorizers(names):
                times = stage_times(colorizer, path, tmp_path, repeat)
                total = sum(times.values())
                totals[(name, megapixels)] = (total, total - times["postprocess"])
                shares = " / ".join(f"{100 * times[s] / total:.0f}" for s in STAGES)
                io = times["decode"] + times["encode"]
                rows.append([f"{megapixels:g}", name, colorizer.default_render_size, f"{total:.3f}",
                             " / ".join(f"{times[s]:.3f}" for s in STAGES), shares,
                             f"{times['network'] / io:.2f}"])
                print(f"{megapixels:g} MP {name:<28} total {total:.3f} s  " +
                      "  ".join(f"{s} {times[s]:.3f}" for s in STAGES), flush=True)
    ratios = []
    for megapixels in sizes:
        flagship = totals.get((flagship_name, megapixels))
        for ref in ("eccv16 (random weights)", "siggraph17 (random weights)"):
            if flagship and (ref, megapixels) in totals:
                with_post, default = totals[(ref, megapixels)]
                ratios.append([f"{megapixels:g}", ref, f"{default / flagship[1]:.1f}x", f"{with_post / flagship[0]:.1f}x"])
    body = (f"Machine: {machine()}. Revision {git_revision()}. Command: `{command_line()}`.\n\n"
            "Median of the repeats per stage, seconds; shares in % of the total in the same order; "
            "last column = network time / (decode + encode).\n\n"
            + markdown_table(["MP", "model", "render px", "total s", " / ".join(STAGES) + " (s)", "shares %",
                              "net/(dec+enc)"], rows)
            + "\n\nFlagship speed-up over the reference architectures, end to end, same run. `restorer colorize` "
            "with default settings skips post-processing (neutral adjustments), so the first ratio leaves that "
            "stage out; the second includes the saturation + CLAHE post-processing measured above:\n\n"
            + markdown_table(["MP", "reference", "default colorize: ref / flagship", "with post-processing"], ratios))
    print(body)
    if not args.no_write and not args.quick:
        write_section("1. End-to-end colorization on the CPU", body)


if __name__ == "__main__":
    main()
