"""Regenerate docs/RESULTS.md: every bundled model on the shared evaluation photos, grey baseline
first, with the seed papers' own claims beside them.

    python docs/make_results.py [DATASETS_DIR]    # default ../shared/datasets
"""

from __future__ import annotations

import sys
from pathlib import Path

from restorer.training.data import run_to_end
from restorer.training.evaluate import EvalConfig, evaluate, format_table

ROOT = Path(__file__).resolve().parents[1]
SETS = ["kodak24", "mcmaster18", "bsd100", "set14", "set5"]

CLAIMS = """| seed | network | data and size in the paper | reported |
|---|---|---|---|
| 000 | conv autoencoder (gray → RGB) | landscapes, 150 × 150, 2,258 val photos | acc ±5 82.5 %, MSE 0.018, PSNR 27.6 dB, SSIM 0.83 |
| 001 | U-Net (L → ab) | survey, no numbers | — |
| 002 | fusion network (L → ab) | 400 × 400, own test photos | PSNR 22.82 dB, SSIM 0.910 |
| 003 | plain encoder–decoder (gray → RGB) | landscapes | MSE 0.0044, PSNR 23.56 dB |
| 004a | dense-latent autoencoder | 64 × 64 landscapes | val MAE 0.137 ("washed-out, monochrome") |
| 004b | skip U-Net, SSIM loss | 64 × 64 landscapes | val SSIM 0.958, test SSIM 0.86–0.99 (mean 0.927) |

The papers measure on their own data, at their own sizes, mostly without a grey baseline, so
their numbers are not comparable with each other or with ours; they are listed for reference.
Note how high a grey image already scores: on our protocol the grey baseline alone reaches the
PSNR and SSIM several papers report."""


def main() -> None:
    data = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "datasets"
    folders = [data / "eval" / name for name in SETS]
    report = run_to_end(evaluate(EvalConfig(data=folders, models="all", max_side=512, device="cpu")))
    report.protocol["data"] = [f"eval/{name}" for name in SETS]
    table = format_table(report, markdown=True)
    hinted = run_to_end(evaluate(EvalConfig(data=folders, models=FLAGSHIPS[0], max_side=512, device="cpu",
                                            hints=HINT_COUNTS)))
    hinted.protocol["data"] = report.protocol["data"]
    hint_table = format_table(hinted, markdown=True)
    text = f"""# Results

All bundled models on the shared evaluation photos ({", ".join(SETS)}: {report.protocol["photos"]} photos),
each shrunk to a long side of at most 512 px; the network sees only the Lab L channel and is scored
against the original colours; the grey row is that L with zero chroma. Metrics: PSNR/MSE/MAE on
[0, 1] RGB, SSIM over RGB, pixel accuracy within ±5 of 255 per channel (seed 000), Hasler–Süsstrunk
colourfulness and its ratio to the truth's (1.0 = as colourful as the real photos), mean CIEDE2000;
s/photo is CPU time on the machine that ran it (2 cores).

Regenerate with `python docs/make_results.py` (training recipe: `weights/train_all.sh`).

{table}
### Flagship against the best seed network, metric by metric

`vivid2` (the default since the sixth session) stands on the ImageNet-trained EfficientNet-Lite0
encoder, frozen: its decoder trained 2 epochs on 40,000 cached 128 px crops (sixth session, 63 min
of CPU) and 2 more on 32,000 with colour hints on half the crops (seventh session, 44 min). Its
read-out was chosen on the 74 held-out natural scenes as the most accurate setting with a
colourfulness ratio of at least 0.82 that is also at least as accurate (PSNR and SSIM) as the best
seed network there. Since the ninth session the network sees each photo at 0.75, 1 and 1.3 times its
224 px working size and the chroma is averaged (T 0.5, gain 1.25, blend 0.75; there: +1.95 dB over
grey, SSIM 0.9411, colourfulness 0.83, against the best seed's +1.00 dB and 0.9379; at one scale the
choice was +1.84 dB, 0.9407, 0.82). Here that moved vivid2 from +0.95 to +0.96 dB, ΔE2000 11.54 ->
11.44 (now ahead of every seed), Fréchet 80.2 -> 78.5, SSIM 0.9262 -> 0.9256. The issue's target,
colourfulness >= 0.8 while beating every seed on PSNR, SSIM and ΔE2000, is **not met** on these
photos by one read-out: at colourfulness 0.84 vivid2 has the best ΔE2000 and |ΔCF|, is 0.0002
behind seed004b on SSIM, and two seeds that stay nearly grey (colourfulness 0.19-0.24) score more
PSNR (table below). The sixth session's read-out (T 0.5, gain 1.2, blend 0.5) was more accurate here
(+1.14 dB, SSIM 0.9278, ΔE2000 11.41) at colourfulness 0.71. An end-to-end fine-tune (stage 2, encoder
unfrozen) was tried and stopped: on held-out photos it lost accuracy every epoch
(`weights/train_all.sh`). The Fréchet distance on ImageNet features (an FID stand-in, lower is
better) ranks several seeds ahead, though every model is close to grey's.

`vivid` and `vivid-faithful` are the same network with two read-outs, both chosen on
held-out training photos (`weights/train_all.sh`), never on these: `vivid-faithful` is the most
accurate setting (PSNR) on the held-out natural-scene photos, where it also had to match every seed
network's PSNR and SSIM; `vivid` is the most colourful setting still more accurate than grey there.
Both see each photo at three working sizes (0.7, 1 and 1.4 times 160 px) and average the chroma.

{verdict(report)}

### Colour hints: the points-vs-PSNR curve

Issue 16's measure, ideepcolor's protocol: the default model with 0, 1, 2, 5, 10 and 20 hints per
photo, each the true mean colour of a small square at a random point (the same points for every
count: the 10 of a photo include its 5); the rest as above. Target: +3 dB over no hints at 10 hints.
More in docs/HINTS.md.

{hint_table}

### What moved the flagship on held-out photos, and what did not

Measured on held-out photos of the training split, never on the photos above: the 74 natural-scene
photos (ImageNet sample, BSDS500 train/test, SUN-Hays, T91) where the read-outs are chosen, and as
wider checks 300 held-out photos of every source and the 486 held-out Intel scenes (100 px).

| change | held-out effect | shipped |
|---|---|---|
| multi-scale read-out: the network at 0.7, 1 and 1.4 x 160 px, chroma averaged | the earlier faithful read-out +0.64 -> +0.85 dB over grey, SSIM 0.9311 -> 0.9323 (74 scenes); the shipped one +0.66 -> +0.75 dB on the 300 mixed photos (the Intel scenes are smaller than every scale: unchanged) | yes |
| mirrored average on top of it | +0.02-0.03 dB for twice the network time | no |
| larger working size (192-320 px), on 8 photos of up to 512 px that scikit-image, scikit-learn and matplotlib ship | no consistent gain | no |
| per-photo chroma gain, larger for dull predictions | on the same accuracy/colour curve as one gain for all | no |
| per-pixel blend of the two heads by the classifier's confidence | lower SSIM at equal colourfulness | no |
| a second guided upsampling step at full resolution | within 0.003 dB | no |
| a first stage 3: 12 epochs at learning rate 1e-4 on the stage 2 loss, weights averaged | +0.06 dB at equal colourfulness, SSIM 0.002 lower | no |
| batch-norm statistics re-estimated on 4,000 training crops | +0.11 dB on the 74 scenes, but -0.11 dB on the 300 mixed photos and -0.17 dB on the Intel scenes | no |
| stage 3: 8 epochs at learning rate 1e-4 with 5 x (1 - SSIM) of the finished colour photo added to the loss (`--loss rebalanced-ce+ssim`), last epoch kept | at one fixed read-out (T 1.6, blend 0.25): +0.93 -> +1.17 dB, SSIM 0.9322 -> 0.9325 (74 scenes); +0.70 -> +0.95 dB, SSIM 0.9210 -> 0.9230 (300 mixed); +0.48 -> +0.50 dB, SSIM 0.9512 -> 0.9537 (486 Intel); colourfulness 0.39 -> 0.35; on the 4 larger scikit-image photos -0.09 dB, SSIM -0.0025 | yes |
| stage 4: 6 more epochs of the same on 160 px crops (the working size), last epoch kept | at the same fixed read-out: 74 scenes +1.17 -> +1.09 dB, SSIM 0.9325 -> 0.9320; 300 mixed +0.95 -> +1.05 dB, SSIM 0.9230 -> 0.9236; 486 Intel +0.50 -> +0.70 dB, SSIM 0.9537 -> 0.9543; 4 larger photos +2.54 -> +2.72 dB; the colourful read-out (T 1.3, gain 1.4) more accurate on all four sets at equal colourfulness. Chosen on those before the photos above were scored; there, afterwards, it did a little worse than stage 3 with its own read-outs: faithful +1.41 -> +1.38 dB, SSIM 0.9280 -> 0.9271, ΔE2000 11.23 -> 11.42; default colourfulness 0.82 -> 0.79 (its re-chosen gain is 1.4, not 1.5). Not reverted: that would be choosing on the evaluation photos | yes |
| the read-outs re-chosen on the 74 scenes by the commands in `weights/train_all.sh` | faithful (T 2.0, blend 0.25): +1.10 dB, SSIM 0.9316, colourfulness 0.35 (stage 2 weights: +0.93, 0.9323, 0.39); default (T 0.7, gain 1.4): +0.01 dB, colourfulness 0.74 (stage 2: +0.01, 0.74) | yes |
| stage 5 try: the SSIM term also on the colourful read-out (T 0.7), 6 epochs at 160 px | on the same accuracy/colour curve: at equal colourfulness the default read-out was 0.05-0.16 dB less accurate than stage 4's on the 74 scenes, 300 mixed and 486 Intel photos; faithful read-out mixed (+0.04, -0.04, -0.13 dB; +0.29 dB on the 4 larger photos) | no |
| stage 6 try: 24 more epochs of the stage 4 loss on 160 px crops, learning rate 2e-4 cosine (77 min), epochs 6 and 24 scored | validation loss lowest at epoch 6 (2.336), 2.388 by epoch 24; both read out more colourfully at a fixed setting (T 1.6, blend 0.25). Against stage 4's accuracy/colour curve at equal colourfulness: epoch 6 +0.14 dB on the 74 scenes, -0.07 dB on the 300 mixed, -0.17 dB on the 486 Intel photos; epoch 24 +0.10, -0.45, -1.14 dB. On 7 larger photos that scikit-image, scikit-learn and matplotlib ship, the muted read-out gained (epoch 6: +1.91 -> +2.35 dB) and the colourful one lost (+2.63 -> +2.20 dB, colourfulness 0.54 -> 0.60) | no |
| stage 4 and stage 6 epoch 6 as an ensemble (bin scores and regressed chroma averaged; twice the network time) | at equal colourfulness against stage 4 alone, both read-outs: +0.07 dB on the 74 scenes, -0.02 dB on the 300 mixed, -0.05 dB on the 486 Intel photos | no |
| vivid2 (ninth session): the network at 0.75, 1 and 1.3 x 224 px, chroma averaged, read-out re-chosen | 74 scenes: +1.84 dB at colourfulness 0.82 -> +1.95 dB at 0.83, SSIM 0.9407 -> 0.9411; with 10 true-colour hints 26.07 -> 26.23 dB; at 0.75 and 1 only: ~+1.93 dB at 0.82 | yes |
| vivid2: the decoder trained 2 more epochs on 16,000 cached crops of 224 px (the read-out's size) instead of 128 px | more colourful at every read-out, 0.05-0.1 dB behind at equal colourfulness (+1.83 dB at 0.80); 10 hints 26.02 against 26.07 dB | no |
| vivid2: the hints' residuals spread farther (a zero-residual prior at 80-320 instead of 40 units, edge cost scaled to keep a clear edge) or also stopped by changes of the predicted chroma | 10 hints: +0.03 dB at equal locality; spreading across clear edges scored +0.2 dB but recolours the far side of an edge by ~60 % of one click | no |
| vivid2: a per-photo chroma gain fitted to the hints (shrunk towards 1 for few hints) | 10 hints: -0.03 to -0.12 dB | no |
| vivid2: a longer stage 2 at a low learning rate (encoder unfrozen, lr 5e-6, 12 x 4000 crops of 160 px, ~50 min; tenth session) | at the shipped read-out, against the shipped weights at equal colourfulness: epoch 3 ~0.1 dB behind, epochs 6-12 level (-0.01 to -0.02 dB), SSIM +0.0002 | no |
| vivid2 (tenth session): hint spreading treats lightness steps of up to 4 L as texture, not edges (edge cost 3 -> 4 per L beyond) | 10 hints 26.23 -> 26.50 dB, 1 hint 24.18 -> 24.29 dB (74 scenes); steps of 2-8 L scored 26.46-26.51 dB; blurring L first 26.56 dB but stopped the colour short of edges; hint blend re-checked: 0 / 0.125 / 0.25 26.51 / 26.50 / 26.48 dB, kept 0.125 | yes |

### Training budgets (CPU, 2 cores; from each model card)

{budgets()}

Rows that are not bundled models (for example a first-epoch checkpoint of the flagship, named
`vivid-after-4-min`, evaluated as a user model for an equal-budget comparison) appear when such
user models are installed; `docs/make_results.py` scores every model that has weights.

## The seed papers' own claims

{CLAIMS}
"""
    (ROOT / "docs" / "RESULTS.md").write_text(text)
    store_in_cards(report)
    print(text)


HIGHER_IS_BETTER = {"psnr_gain": True, "ssim": True, "colorfulness_ratio": True, "delta_e2000": False,
                    "delta_cf": False, "frechet": False}


# the flagship on the ImageNet encoder (the default) and the first flagship's two read-outs
FLAGSHIPS = ("vivid2", "vivid", "vivid-faithful")
HINT_COUNTS = (0, 1, 2, 5, 10, 20)


def verdict(report) -> str:
    """For each headline metric: the flagship read-outs' values, the best seed's, and who wins (computed)."""
    rows = {row["model"]: row for row in report.rows}
    seeds = [row for name, row in rows.items() if name.startswith("seed")]
    flagships = [name for name in FLAGSHIPS if name in rows]
    if not flagships or not seeds:
        return "(flagship or seed rows missing)"
    lines = ["| metric | best seed | " + " | ".join(f"{name} | wins?" for name in flagships) + " |",
             "|---|---|" + "---|---|" * len(flagships)]
    for key, higher in HIGHER_IS_BETTER.items():
        if not all(key in row for row in seeds):
            continue
        best = (max if higher else min)(seeds, key=lambda row: row[key])
        cells = []
        for name in flagships:
            value = rows[name][key]
            wins = value > best[key] if higher else value < best[key]
            cells.append(f"{value:.4f} | {'yes' if wins else 'no'}")
        lines.append(f"| {key} | {best[key]:.4f} ({best['model']}) | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def budgets() -> str:
    from restorer.models.zoo import list_models

    lines = ["| model | loss | epochs run | samples seen | minutes | stop reason |", "|---|---|---|---|---|---|"]
    weights_of: dict[str, str] = {}
    for entry in list_models():
        if entry.source != "bundled":
            continue
        if entry.card.sha256 in weights_of:  # another read-out of weights already listed
            lines.append(f"| {entry.name} | same weights as {weights_of[entry.card.sha256]}, another read-out | | | | |")
            continue
        weights_of[entry.card.sha256] = entry.name
        training = entry.card.training
        loss = training.get("config", {}).get("loss", "auto")
        if loss == "auto":
            from restorer.training.objective import default_loss

            loss = default_loss(entry.spec)
        stages = [*training.get("earlier_stages", []), training]
        for number, stage in enumerate(stages, 1):
            name = entry.name if len(stages) == 1 else f"{entry.name}, stage {number} of {len(stages)}"
            stage_loss = stage.get("loss") or stage.get("config", {}).get("loss") or loss
            stage_loss = loss if stage_loss == "auto" else stage_loss
            minutes = stage.get("minutes_total", stage.get("minutes_last_session", ""))
            lines.append(f"| {name} | {stage_loss} | {stage.get('epochs_run', '')} | {stage.get('samples_seen', '')} "
                         f"| {minutes} | {_stop_reason(stage)} |")
    return "\n".join(lines)


def _stop_reason(stage: dict) -> str:
    if stage.get("kept") == "last":
        return f"{stage.get('stop_reason', '')}; last epoch kept (chosen on held-out photos)"
    return stage.get("stop_reason", "")


def store_in_cards(report) -> None:
    """Each bundled model's card carries its evaluation row (shown by `restorer models`)."""
    from restorer.models.weights import CARD_SUFFIX, write_text_atomic
    from restorer.models.zoo import find_model

    keys = ("psnr", "psnr_gain", "ssim", "mse", "mae", "acc5", "colorfulness_ratio", "delta_e2000")
    for row in report.rows[1:]:
        entry = find_model(row["model"])
        if entry.source != "bundled":
            continue
        entry.card.metrics["eval"] = {**{k: round(row[k], 4) for k in keys},
                                      "protocol": f"{report.protocol['photos']} eval photos (Kodak24, McMaster18, "
                                                  f"BSD100, Set14, Set5), long side <= {report.protocol['max_side']}"}
        write_text_atomic(entry.weights.with_suffix(CARD_SUFFIX), entry.card.to_json())


if __name__ == "__main__":
    main()
