"""Measure the repair step on held-out photos with synthetic damage; prints Markdown for docs/REPAIR.md.

    python docs/measure_repair.py inpaint [DATASETS_DIR] [--limit N] [--methods telea3,ns3,...]
    python docs/measure_repair.py detect  [DATASETS_DIR]   # needs weights/damage-unet.*
    python docs/measure_repair.py clean   [DATASETS_DIR]   # clean photos through repair (default on/off)
    python docs/measure_repair.py full    [DATASETS_DIR]   # detect + inpaint against the clean photo
    python docs/measure_repair.py large --megapixels 24     # time and peak memory on a generated scan

Photos: the evaluation sets (never trained on), long side <= 512 px, their Lab L; photo i gets the
damage of seed 1000 + i. "In the mask" means the true damage mask grown by 2 px (where traces of a
mark can remain), the same pixels for every method.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from restorer.pipeline.color import luminance
from restorer.pipeline.repair import (RepairOptions, damage_mask, damage_probability, grow_mask, inpaint,
                                      load_detector, repair_luminance)
from restorer.training.damage import DamageConfig, damage_photo
from restorer.training.evaluate import load_eval_photos
from restorer.training.repair_scores import MaskCounts, masked_psnr, masked_ssim

ROOT = Path(__file__).resolve().parents[1]
SETS = ["kodak24", "mcmaster18", "bsd100", "set14", "set5"]
SEED0 = 1000
SCORE_GROW = 2


def photos_l(data: Path, limit: int | None) -> list[np.ndarray]:
    """L/100 (float32, [0, 1]) of the evaluation photos."""
    photos = load_eval_photos([data / "eval" / name for name in SETS], 512, None)
    photos = photos[:limit] if limit else photos
    return [luminance(image) / 100.0 for _, image in photos]


def _fill(damaged: np.ndarray, mask: np.ndarray, method: str) -> np.ndarray:
    if method == "biharmonic":
        from skimage.restoration import inpaint_biharmonic

        return inpaint_biharmonic(damaged, mask).astype(np.float32)
    name, radius = method.rstrip("0123456789"), int(method[len(method.rstrip("0123456789")):] or 3)
    return inpaint(damaged * 100, mask, name, radius) / 100


def measure_inpainting(lums, methods: list[str], grow: int) -> list[list]:
    config = DamageConfig(clean_chance=0.0).local_only()
    sums = {method: np.zeros(3) for method in ["none"] + methods}
    for index, clean in enumerate(lums):
        damaged = damage_photo(clean, SEED0 + index, config)
        region = grow_mask(damaged.mask, SCORE_GROW)
        for method in sums:
            started = time.perf_counter()
            filled = damaged.image if method == "none" else _fill(damaged.image, grow_mask(damaged.mask, grow), method)
            seconds = time.perf_counter() - started
            sums[method] += (masked_psnr(filled, clean, region), masked_ssim(filled, clean, region), seconds)
    return [[method, f"{total[0] / len(lums):.2f}", f"{total[1] / len(lums):.4f}", f"{total[2] / len(lums):.3f}"]
            for method, total in sums.items()]


def measure_detection(lums, detector, thresholds, grows, detect_size: int = RepairOptions.detect_size) -> list[list]:
    counts = {(t, g): MaskCounts() for t in thresholds for g in grows}
    for index, clean in enumerate(lums):
        damaged = damage_photo(clean, SEED0 + index, DamageConfig())
        prob = damage_probability(detector, damaged.image * 100, detect_size)
        for (threshold, grow), count in counts.items():
            count.add(damage_mask(prob, 1 - threshold, grow), damaged.mask)
    rows = []
    for (threshold, grow), count in counts.items():
        scores = count.scores()
        rows.append([threshold, grow] + [f"{scores[key]:.3f}" for key in ("iou", "f1", "precision", "recall")])
    return rows


def measure_clean(lums, detector, sensitivities) -> list[list]:
    rows = []
    for sensitivity in sensitivities:
        psnrs, masked = [], []
        for clean in lums:
            repaired = repair_luminance(detector, clean * 100, RepairOptions(sensitivity=sensitivity))
            grey_in = np.round(clean * 255) / 255
            grey_out = np.round(repaired.lum / 100 * 255) / 255
            psnrs.append(masked_psnr(grey_out, grey_in, np.ones_like(repaired.mask)))
            masked.append(repaired.mask.mean())
        finite = [p for p in psnrs if np.isfinite(p)]
        rows.append([sensitivity, f"{np.mean(finite) if finite else float('inf'):.2f}", f"{min(psnrs):.2f}",
                     f"{sum(np.isinf(psnrs))}/{len(psnrs)}", f"{100 * np.mean(masked):.3f} %"])
    return rows


def measure_full(lums, detector, sensitivities, grows) -> list[list]:
    rows = []
    for sensitivity, grow in [(None, 0)] + [(s, g) for s in sensitivities for g in grows]:
        sums = np.zeros(3)
        for index, clean in enumerate(lums):
            damaged = damage_photo(clean, SEED0 + index, DamageConfig(clean_chance=0.0))
            out = damaged.image
            if sensitivity is not None:
                options = RepairOptions(sensitivity=sensitivity, grow=grow)
                out = repair_luminance(detector, damaged.image * 100, options).lum / 100
            region = grow_mask(damaged.mask, SCORE_GROW)
            sums += (masked_psnr(out, clean, region), masked_ssim(out, clean, region),
                     masked_psnr(out, clean, np.ones_like(region)))
        rows.append(["no repair" if sensitivity is None else sensitivity, grow] + [f"{v / len(lums):.3f}" for v in sums])
    return rows


def measure_large(megapixels: float) -> list[list]:
    """A generated scan (smooth tones, noise, damage drawn at 1/4 size and enlarged): time and peak
    memory of the whole repair, reading included, in this process."""
    import resource

    import cv2

    width = int(round((megapixels * 1e6 * 1.5) ** 0.5))
    height = int(round(megapixels * 1e6 / width))
    small = (np.mgrid[:height // 4, :width // 4][0] / (height // 4) * 0.6 + 0.2).astype(np.float32)
    damaged = damage_photo(small, 1, DamageConfig(clean_chance=0.0).local_only()).image
    grey = cv2.resize((damaged * 255).astype(np.uint8), (width, height), interpolation=cv2.INTER_LINEAR)
    del small, damaged
    detector = load_detector()
    started = time.perf_counter()
    from restorer.pipeline.repair import repair_image

    out, mask = repair_image(detector, grey)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return [[f"{width} x {height}", f"{seconds:.1f}", f"{peak:.0f}", f"{100 * mask.mean():.2f} %"]]


def table(header: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return "\n".join(lines + ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("what", choices=["inpaint", "detect", "clean", "full", "large"])
    parser.add_argument("--megapixels", type=float, default=24.0)
    parser.add_argument("--detect-size", type=int, default=RepairOptions.detect_size,
                        help="long side the detector sees at most")
    parser.add_argument("data", nargs="?", type=Path, default=ROOT.parent / "shared" / "datasets")
    parser.add_argument("--limit", type=int)
    parser.add_argument("--methods", default="telea3,telea5,ns3,ns5,biharmonic")
    parser.add_argument("--grow", type=int, default=1, help="px the true mask is grown by before inpainting")
    parser.add_argument("--sensitivities", default="0.3,0.5,0.7")
    args = parser.parse_args()
    if args.what == "large":
        print(table(["size", "seconds", "peak RSS MB", "pixels masked"], measure_large(args.megapixels)))
        return
    lums = photos_l(args.data, args.limit)
    sens = [float(s) for s in args.sensitivities.split(",")]
    print(f"{len(lums)} photos\n")
    if args.what == "inpaint":
        print(table(["method", "PSNR in mask dB", "SSIM in mask", "s/photo"],
                    measure_inpainting(lums, args.methods.split(","), args.grow)))
    elif args.what == "detect":
        print(table(["threshold", "grow px", "IoU", "F1", "precision", "recall"],
                    measure_detection(lums, load_detector(), [0.3, 0.5, 0.7], [0, 1], args.detect_size)))
    elif args.what == "clean":
        print(table(["sensitivity", "mean PSNR dB (finite)", "worst PSNR dB", "untouched photos", "pixels masked"],
                    measure_clean(lums, load_detector(), sens)))
    else:
        print(table(["sensitivity", "grow px", "PSNR in mask dB", "SSIM in mask", "PSNR whole photo dB"],
                    measure_full(lums, load_detector(), sens, [0, 1])))


if __name__ == "__main__":
    main()
