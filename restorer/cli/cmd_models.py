"""`restorer models`: the selectable networks, and `restorer import-weights`."""

from __future__ import annotations

import json
from pathlib import Path


def add_parser(commands) -> None:
    p = commands.add_parser("models", help="list the colorization networks")
    p.add_argument("--json", action="store_true", help="machine-readable JSON list")
    p.set_defaults(run=run)
    q = commands.add_parser("import-weights", help="import a .pth or .safetensors file as a user model")
    q.add_argument("file", type=Path)
    q.add_argument("--arch", help="architecture name (detected from the tensors when omitted)")
    q.add_argument("--name", help="name for the imported model")
    q.set_defaults(run=run_import)


def describe(entry, default_name: str | None) -> dict:
    from restorer.models.zoo import parameter_count

    spec = entry.spec
    return {
        "name": entry.name,
        "default": entry.name == default_name,
        "title": entry.title,
        "arch": spec.name,
        "family": spec.family,
        "paper": spec.paper,
        "input": spec.input_kind,
        "output": spec.output_kind,
        "native_size": spec.native_size,
        "render_size": entry.render_size,
        "params": parameter_count(entry),
        "weights": str(entry.weights) if entry.weights else None,
        "source": entry.source,
        "ready": entry.ready,
        "description": entry.card.description if entry.card and entry.card.description else spec.description,
        "metrics": entry.card.metrics if entry.card else {},
    }


def model_rows() -> list[dict]:
    from restorer.core.errors import ModelLoadError
    from restorer.models.zoo import default_model_name, list_models

    try:
        default_name = default_model_name()
    except ModelLoadError:
        default_name = None
    return [describe(entry, default_name) for entry in list_models()]


def _metric_line(metrics: dict) -> str:
    evaluation = metrics.get("eval") or metrics.get("val") or {}
    keys = [("psnr", "PSNR {:.2f} dB"), ("ssim", "SSIM {:.3f}"), ("colorfulness_ratio", "colourfulness x{:.2f}")]
    return ", ".join(fmt.format(evaluation[k]) for k, fmt in keys if k in evaluation) or "no metrics"


def run(args) -> int:
    rows = model_rows()
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    for row in rows:
        mark = "*" if row["default"] else " "
        weights = Path(row["weights"]).name if row["weights"] else "no weights installed (import-weights)"
        print(f"{mark} {row['name']:<20} {row['family']:<9} {row['input']}->{row['output']:<4} "
              f"{row['params'] / 1e6:6.2f} M params  runs at {row['render_size']} px  {weights}")
        print(f"    {row['paper']}")
        if row["ready"]:
            print(f"    {_metric_line(row['metrics'])}")
    print("\n* = default model")
    return 0


def run_import(args) -> int:
    from restorer.models.zoo import import_weights

    entry = import_weights(args.file, name=args.name, arch=args.arch)
    print(f"Imported {args.file.name} as {entry.name} ({entry.spec.title}) -> {entry.weights}")
    return 0
