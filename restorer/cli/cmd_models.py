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


def model_rows() -> list[dict]:
    from restorer.models.listing import model_summaries

    return model_summaries()


OWN_CHECK = "\u2020"  # marks numbers from a model's own training check, not the shared evaluation


def _metric_line(row: dict, common_protocol: str | None) -> str:
    metrics = row["metrics"]
    evaluation = metrics.get("eval") or metrics.get("val") or {}
    keys = [("psnr", "PSNR {:.2f} dB"), ("ssim", "SSIM {:.3f}"), ("colorfulness_ratio", "colourfulness x{:.2f}")]
    line = ", ".join(fmt.format(evaluation[k]) for k, fmt in keys if k in evaluation) or "no metrics"
    protocol = row.get("metrics_protocol")
    if protocol and not metrics.get("eval"):
        return f"{line}  {OWN_CHECK} {protocol}"
    return line if protocol == common_protocol else f"{line}  ({protocol})" if protocol else line


def _common_protocol(rows: list[dict]) -> str | None:
    """The shared evaluation most models were measured on (said once, under the list)."""
    protocols = [row["metrics_protocol"] for row in rows if row["metrics"].get("eval")]
    return max(set(protocols), key=protocols.count) if protocols else None


def run(args) -> int:
    rows = model_rows()
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    common = _common_protocol(rows)
    for row in rows:
        mark = "*" if row["default"] else " "
        weights = Path(row["weights"]).name if row["weights"] else "no weights installed (import-weights)"
        print(f"{mark} {row['name']:<20} {row['family']:<9} {row['input']}->{row['output']:<4} "
              f"{row['params'] / 1e6:6.2f} M params  runs at {row['render_size']} px  {weights}")
        print(f"    {row['paper'] if row['source'] != 'user' else row['title']}")
        if row["ready"]:
            print(f"    {_metric_line(row, common)}")
    print("\n* = default model")
    if common:
        print(f"Numbers: {common}.")
    if any(OWN_CHECK in _metric_line(row, common) for row in rows if row["ready"]):
        print(f"{OWN_CHECK} = the model's own check while training, on a few photos of its training folder: "
              "comparable only with its base model's score there, not with the evaluation numbers.")
    return 0


def run_import(args) -> int:
    from restorer.models.zoo import import_weights

    entry = import_weights(args.file, name=args.name, arch=args.arch)
    print(f"Imported {args.file.name} as {entry.name} ({entry.spec.title}) -> {entry.weights}")
    return 0
