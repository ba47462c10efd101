"""The models a user can pick: bundled weights, the user's own models, and importable architectures."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path

from restorer.core.errors import ModelLoadError
from restorer.core.paths import bundled_weights_dir, user_models_dir
from restorer.models.registry import COLORIZER, ArchSpec, all_archs, detect_arch, get_arch
from restorer.models.weights import CARD_SUFFIX, WEIGHTS_SUFFIX, ModelCard, load_state_dict, save_model

FLAGSHIP = "vivid2"
# the default model: the first of these that is installed (the first flagship when vivid2's weights
# are missing, e.g. a trimmed bundle)
DEFAULT_ORDER = (FLAGSHIP, "vivid")


@dataclass(frozen=True)
class ZooEntry:
    """One selectable model. ``weights`` is None for an architecture nobody has weights for yet."""

    name: str
    spec: ArchSpec
    card: ModelCard | None
    weights: Path | None
    source: str  # "bundled", "user" or "architecture"

    @property
    def ready(self) -> bool:
        return self.weights is not None

    @property
    def title(self) -> str:
        title = self.card.title if self.card and self.card.title else self.spec.title
        if self.source == "user" and title.startswith(f"{self.spec.title}: "):
            # written before trained models were labelled as the user's: not the bundled flagship
            return f"{self.name} (yours: {self.spec.name})"
        return title

    @property
    def render_size(self) -> int:
        if self.card and self.card.render_size:
            return self.card.render_size
        return self.spec.native_size

    @property
    def render_scales(self) -> tuple[float, ...]:
        if self.card and self.card.render_scales:
            return tuple(float(scale) for scale in self.card.render_scales)
        return (1.0,)


@functools.lru_cache(maxsize=64)
def _parameter_count(arch: str, hparams_json: str) -> int:
    from restorer.models.blocks import count_params

    return count_params(get_arch(arch).build(**json.loads(hparams_json)))


def parameter_count(entry: ZooEntry) -> int:
    """Parameters of the entry's network (built once on the CPU, then remembered)."""
    hparams = entry.card.hparams if entry.card and entry.card.hparams else entry.spec.default_hparams
    return _parameter_count(entry.spec.name, json.dumps(hparams, sort_keys=True))


def _cards_in(folder: Path, source: str) -> list[tuple[ModelCard, Path, str]]:
    """(card, weights, source) of every readable card with its weights file in ``folder``."""
    found = []
    if not folder.is_dir():
        return found
    for card_path in sorted(folder.glob(f"*{CARD_SUFFIX}")):
        try:
            card = ModelCard.from_json(card_path)
        except ModelLoadError:
            continue  # a stray or broken card must not hide the other models
        weights = card_path.with_suffix(WEIGHTS_SUFFIX)
        if weights.is_file():
            found.append((card, weights, source))
    return found


def list_cards() -> list[tuple[ModelCard, Path, str]]:
    """The installed models' cards in list order (bundled, flagship on top, then the user's), read
    without importing any architecture (so without torch); list_models drops unknown ones."""
    bundled = _cards_in(bundled_weights_dir(), "bundled")
    bundled.sort(key=lambda found: _default_rank(found[0].name))
    return bundled + _cards_in(user_models_dir(), "user")


def list_models(kind: str | None = COLORIZER) -> list[ZooEntry]:
    """Bundled models first (flagship on top), then the user's, then weight-less architectures.

    Only models of ``kind`` (colorizers unless asked otherwise; None: every kind), so a damage
    detector's weights beside the colorizers never appear in a colorizer picker.
    """
    entries = []
    for card, weights, source in list_cards():
        try:
            entries.append(ZooEntry(card.name, get_arch(card.arch), card, weights, source))
        except ModelLoadError:
            continue  # a card for an architecture this version does not have
    entries = [entry for entry in entries if kind is None or entry.spec.kind == kind]
    with_weights = {entry.spec.name for entry in entries}
    for spec in all_archs(kind):
        if spec.name not in with_weights:
            entries.append(ZooEntry(spec.name, spec, None, None, "architecture"))
    return entries


def pick_default(ready_names: list[str]) -> str | None:
    """Among the models with weights (in list order): the flagship, else the first; None if none."""
    preferred = [name for name in DEFAULT_ORDER if name in ready_names]
    return preferred[0] if preferred else next(iter(ready_names), None)


def _default_rank(name: str) -> int:
    return DEFAULT_ORDER.index(name) if name in DEFAULT_ORDER else len(DEFAULT_ORDER)


def default_model_name() -> str:
    """The flagship when its weights are present, else the first model that has weights."""
    name = pick_default([entry.name for entry in list_models() if entry.ready])
    if name is None:
        raise ModelLoadError("No trained weights found: the weights/ folder is missing or empty.")
    return name


def find_model(name: str | None = None, kind: str = COLORIZER) -> ZooEntry:
    """The model of ``kind`` called ``name`` (default: the default colorizer)."""
    name = name or default_model_name()
    entries = list_models(kind)
    for entry in entries:
        if entry.name == name:
            return entry
    known = ", ".join(entry.name for entry in entries)
    raise ModelLoadError(f"No model named {name!r}. Available: {known}.")


def build_from_state_dict(spec: ArchSpec, state_dict: dict, hparams: dict | None = None):
    """Construct ``spec``'s network and load ``state_dict`` strictly, explaining any mismatch."""
    # the card adds read-out settings; the tensors themselves say how the network is shaped
    hparams = {**(hparams or {}), **spec.infer_hparams(state_dict)}
    module = spec.build(**hparams)
    expected = module.state_dict()
    missing = sorted(set(expected) - set(state_dict))
    unexpected = sorted(set(state_dict) - set(expected))
    wrong = [k for k in expected if k in state_dict and tuple(state_dict[k].shape) != tuple(expected[k].shape)]
    if missing or unexpected or wrong:
        details = []
        if missing:
            details.append(f"missing {len(missing)} tensors (e.g. {missing[0]})")
        if unexpected:
            details.append(f"{len(unexpected)} unexpected tensors (e.g. {unexpected[0]})")
        if wrong:
            key = wrong[0]
            details.append(f"{len(wrong)} wrong shapes (e.g. {key}: file {tuple(state_dict[key].shape)}, "
                           f"network {tuple(expected[key].shape)})")
        raise ModelLoadError(f"Weights do not fit architecture {spec.name}: " + "; ".join(details) + ".")
    module.load_state_dict(state_dict, strict=True)
    return module.eval()


def load_network(entry: ZooEntry):
    """The entry's network with its verified weights loaded, in eval mode on the CPU."""
    if not entry.ready:
        raise ModelLoadError(
            f"{entry.spec.title} has no weights installed. Import the authors' weights with "
            f"`restorer import-weights FILE --arch {entry.spec.name}` or train it with `restorer train`."
        )
    card = entry.card
    state_dict = load_state_dict(entry.weights, card.sha256 if card else "")
    return build_from_state_dict(entry.spec, state_dict, card.hparams if card else None)


def import_weights(path: Path, name: str | None = None, arch: str | None = None) -> ZooEntry:
    """Import a ``.pth``/``.safetensors`` file into the user's models as safetensors + card."""
    state_dict = load_state_dict(Path(path))
    spec = get_arch(arch) if arch else detect_arch(state_dict)
    module = build_from_state_dict(spec, state_dict)
    name = name or f"{spec.name}-imported"
    card = ModelCard(name=name, arch=spec.name, hparams=spec.infer_hparams(state_dict),
                     title=f"{spec.title} (imported)", description=f"Imported from {Path(path).name}",
                     training={"source": f"imported from {Path(path).name}"})
    weights = save_model(module, card, user_models_dir())
    return ZooEntry(name, spec, card, weights, "user")
