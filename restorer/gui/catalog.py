"""What the model and device pickers offer, gathered off the GUI thread (it imports torch)."""

from __future__ import annotations

from dataclasses import dataclass, field

from restorer.core.device import DeviceInfo


@dataclass(frozen=True)
class ModelInfo:
    name: str
    title: str
    family: str
    paper: str
    description: str
    params: int | None
    ready: bool
    reason: str  # why it cannot be used (empty when ready)
    render_size: int
    source: str


@dataclass
class Catalog:
    models: list[ModelInfo] = field(default_factory=list)
    devices: list[DeviceInfo] = field(default_factory=list)
    default_model: str | None = None


def count_parameters(entry) -> int | None:
    """Parameters of ``entry``'s network; None for an architecture that cannot be built."""
    from restorer.models.zoo import parameter_count

    try:
        return parameter_count(entry)
    except Exception:  # noqa: BLE001 - an exotic architecture: just show no count
        return None


def format_params(count: int | None) -> str:
    if count is None:
        return "? parameters"
    if count >= 1_000_000:
        return f"{count / 1e6:.1f} M parameters"
    return f"{count / 1e3:.0f} K parameters"


def _reason(entry) -> str:
    if entry.ready:
        return ""
    return (f"No weights installed for {entry.spec.title}. Import a .pth/.safetensors file with the import "
            f"button beside this list (Tools ▸ Import Model Weights; on the command line `restorer "
            f"import-weights FILE --arch {entry.spec.name}`), or train it (Tools ▸ Train).")


def model_info(entry) -> ModelInfo:
    spec = entry.spec
    description = (entry.card.description if entry.card and entry.card.description else spec.description)
    return ModelInfo(entry.name, entry.title, spec.family, spec.paper, description,
                     count_parameters(entry), entry.ready, _reason(entry), entry.render_size, entry.source)


def load_catalog() -> Catalog:
    """Every model (weight-less ones marked) and every device. Slow-ish: call on a worker thread."""
    from restorer.core.device import list_devices
    from restorer.models.zoo import list_models, pick_default

    models = [model_info(entry) for entry in list_models()]
    devices = list_devices()
    default = pick_default([m.name for m in models if m.ready])
    return Catalog(models, devices, default)
