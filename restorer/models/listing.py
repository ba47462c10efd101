"""What `restorer models` lists, without importing torch when it can.

The model cards are JSON, but what an architecture is (title, paper, input and output) and how many
parameters a network has are only known by importing and building it, which needs torch (~3 s of
CPU). Those answers are cached in the user data folder, keyed by a fingerprint of the architecture
code, so listing again reads only JSON. Anything not cached yet (a new model's shape, changed code)
sends the listing through the registry once, which refreshes the cache.
"""

from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import asdict, fields
from pathlib import Path

from restorer.core.paths import user_data_dir
from restorer.models.registry import COLORIZER, ArchSummary
from restorer.models.weights import write_text_atomic
from restorer.models.zoo import ZooEntry, list_cards, pick_default

CACHE_FILE = "models-listing.json"


def describe(entry: ZooEntry, default_name: str | None, params: int | None) -> dict:
    """One row of `restorer models --json`."""
    spec = entry.spec
    return {
        "name": entry.name, "default": entry.name == default_name, "title": entry.title, "arch": spec.name,
        "family": spec.family, "paper": spec.paper, "input": spec.input_kind, "output": spec.output_kind,
        "native_size": spec.native_size, "render_size": entry.render_size, "params": params,
        "weights": str(entry.weights) if entry.weights else None, "source": entry.source, "ready": entry.ready,
        "description": entry.card.description if entry.card and entry.card.description else spec.description,
        "metrics": entry.card.metrics if entry.card else {},
        "metrics_protocol": metrics_protocol(entry.card),
    }


def metrics_protocol(card) -> str | None:
    """How the card's headline numbers were measured. The shared evaluation ("eval", from `restorer
    evaluate`) compares models; a model's own check during training ("val") scored a few held-out
    photos of its own training folder and compares only with its base model on those photos."""
    metrics = card.metrics if card else {}
    if metrics.get("eval"):
        return "shared evaluation, " + str(metrics["eval"].get("protocol") or "restorer evaluate")
    if not metrics.get("val"):
        return None
    training = card.training
    config = training.get("config", {})
    held_out = training.get("split_sizes", {}).get("val")
    count = (training.get("baseline") or {}).get("photos") or \
        (min(held_out, config.get("val_count", held_out)) if held_out else None)
    photos = f"{count} held-out photos of its training folder" if count else "photos of its training folder"
    text = f"own validation: {photos}, {config.get('size', '?')} px crops"
    baseline = training.get("baseline")
    if baseline:
        text += f"; {baseline['model']} scored {baseline['psnr']:.2f} dB there"
    return text


def params_key(entry: ZooEntry) -> str:
    hparams = entry.card.hparams if entry.card and entry.card.hparams else None
    return f"{entry.spec.name} {json.dumps(hparams, sort_keys=True)}"


def code_fingerprint() -> str:
    """Changes when the architecture code (or the frozen program) changes."""
    from restorer import __version__

    folder = Path(__file__).parent
    stamps = [(str(p.relative_to(folder)), p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(folder.rglob("*.py"))]
    program = Path(sys.executable).stat().st_mtime_ns if getattr(sys, "frozen", False) else 0
    return hashlib.sha256(json.dumps([__version__, program, stamps]).encode()).hexdigest()[:16]


class ListingCache:
    """Architecture summaries (in registry order) and parameter counts, for one code fingerprint."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or user_data_dir() / "cache" / CACHE_FILE
        self.fingerprint = code_fingerprint()
        data: dict = {}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            pass
        fresh = isinstance(data, dict) and data.get("fingerprint") == self.fingerprint
        self.archs = {a["name"]: ArchSummary(**a) for a in data.get("archs", [])} if fresh else {}
        self.params: dict[str, int] = dict(data.get("params", {})) if fresh else {}

    def save(self) -> None:
        data = {"fingerprint": self.fingerprint, "archs": [asdict(a) for a in self.archs.values()],
                "params": self.params}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_text_atomic(self.path, json.dumps(data, indent=1))
        except OSError:  # a read-only home folder: list slowly, but list
            pass


def _rows(entries: list[ZooEntry], params: dict[str, int]) -> list[dict]:
    default = pick_default([entry.name for entry in entries if entry.ready])
    return [describe(entry, default, params.get(params_key(entry))) for entry in entries]


def _cached_rows(cache: ListingCache) -> list[dict] | None:
    """The rows from the cards and the cache alone; None when the cache cannot answer."""
    if not cache.archs:
        return None
    colorizers = {name: arch for name, arch in cache.archs.items() if arch.kind == COLORIZER}  # as list_models
    entries = [ZooEntry(card.name, colorizers[card.arch], card, weights, source)
               for card, weights, source in list_cards() if card.arch in colorizers]
    with_weights = {entry.spec.name for entry in entries}
    entries += [ZooEntry(name, arch, None, None, "architecture")
                for name, arch in colorizers.items() if name not in with_weights]
    if any(params_key(entry) not in cache.params for entry in entries):
        return None
    return _rows(entries, cache.params)


def _registry_rows(cache: ListingCache) -> list[dict]:
    """The rows through the registry (imports torch); fills the cache for next time."""
    from restorer.models.registry import all_archs
    from restorer.models.zoo import list_models, parameter_count

    cache.archs = {spec.name: ArchSummary(**{f.name: getattr(spec, f.name) for f in fields(ArchSummary)})
                   for spec in all_archs()}
    entries = list_models()
    for entry in entries:
        key = params_key(entry)
        if key not in cache.params:
            cache.params[key] = parameter_count(entry)
    cache.save()
    return _rows(entries, cache.params)


def model_summaries() -> list[dict]:
    """Every model and architecture as `restorer models --json` rows, in list order."""
    cache = ListingCache()
    rows = _cached_rows(cache)
    return rows if rows is not None else _registry_rows(cache)
