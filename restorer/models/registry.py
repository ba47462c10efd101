"""The registry of architectures: what each network is, how to build it, how to recognise it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Mapping

from restorer.core.errors import ModelLoadError

StateDict = Mapping[str, "object"]

COLORIZER = "colorizer"  # L/grey -> colour: what pickers, `restorer models` and evaluation offer
DAMAGE_DETECTOR = "damage-detector"  # L -> damage probability mask: used by the repair step only


@dataclass(frozen=True)
class ArchSummary:
    """What an architecture is, in words: all a model listing needs (and can cache without torch).

    ``kind`` says what the network is for: :data:`COLORIZER` or :data:`DAMAGE_DETECTOR`.
    ``input_kind`` is "L" (Lab luminance) or "gray"; ``output_kind`` is "ab", "rgb" or "mask"
    (a damage probability in [0, 1]).
    ``native_size`` is the working size (long side, px) it was designed/trained for.
    """

    name: str
    title: str
    family: str
    paper: str
    description: str
    input_kind: str
    output_kind: str
    native_size: int
    kind: str = field(default=COLORIZER, kw_only=True)


@dataclass(frozen=True)
class ArchSpec(ArchSummary):
    """Everything callers need to know about one architecture: its summary, and how to build,
    recognise and feed it. ``fixed_size`` is set when the network only accepts that exact square
    size (dense layers); otherwise inputs are padded to a multiple of ``size_multiple``.

    Capabilities are declared, never guessed from the class: ``head`` is "bins" for networks that
    score ab colour bins (they expose ``outputs``/``decode``/``read_out`` and train with the
    colour-bin losses) or "regression" for networks that predict colours directly; ``loss`` is
    the training loss ``--loss auto`` picks; ``readout_settings`` names the model-card settings
    of its colour read-out (what ``restorer calibrate`` chooses and a fine-tuned model inherits).
    Left out (None), they are inferred once here, for architectures that do not declare them yet.
    """

    size_multiple: int
    build: Callable[..., "object"]
    detect: Callable[[StateDict], bool]
    infer_hparams: Callable[[StateDict], dict]
    default_hparams: dict = field(default_factory=dict)
    fixed_size: int | None = None
    supports_half: bool = True
    accepts_hints: bool = False
    # networks built on a pretrained encoder: the parameter-name prefix of that encoder (trained at a
    # lower learning rate when fine-tuned) and how to load its pretrained weights into a fresh network
    pretrained_prefix: str = ""
    load_pretrained: Callable[["object"], None] | None = None
    head: str | None = None  # "bins" or "regression"
    loss: str | None = None  # e.g. "rebalanced-ce", "mse", "mae", "ssim"
    readout_settings: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        if self.head is None:
            object.__setattr__(self, "head", _inferred_head(self.build))
        if self.head not in HEADS:
            raise ValueError(f"{self.name}: head must be one of {HEADS}, not {self.head!r}")
        if self.loss is None:
            object.__setattr__(self, "loss", "rebalanced-ce" if self.head == "bins" else "mse")
        if self.readout_settings is None:
            object.__setattr__(self, "readout_settings", BIN_READOUT_SETTINGS if self.head == "bins" else ())

    @property
    def io(self) -> str:
        return f"{self.input_kind} -> {self.output_kind}"


HEADS = ("bins", "regression")
# the settings of models.readout.BinReadOut
BIN_READOUT_SETTINGS = ("temperature", "chroma_gain", "blend", "flip_average", "hint_blend")


def _inferred_head(build) -> str:
    """For an architecture that does not declare its head: one built on the shared bin read-out scores bins."""
    from restorer.models.readout import BinReadOut

    return "bins" if isinstance(build, type) and issubclass(build, BinReadOut) else "regression"


class Registry:
    """Ordered name -> ArchSpec map with state-dict detection, filled from one explicit list."""

    def __init__(self) -> None:
        self._specs: dict[str, ArchSpec] = {}

    def add(self, spec: ArchSpec) -> ArchSpec:
        """Kept for architectures written before the explicit list; the list decides what is registered."""
        return spec

    def fill(self, specs: list[ArchSpec]) -> None:
        names = [spec.name for spec in specs]
        duplicates = sorted({name for name in names if names.count(name) > 1})
        if duplicates:
            raise ValueError(f"architectures listed twice: {', '.join(duplicates)}")
        self._specs = {spec.name: spec for spec in specs}

    def __iter__(self):
        return iter(self._specs.values())

    def __contains__(self, name: str) -> bool:
        return name in self._specs

    def names(self) -> list[str]:
        return list(self._specs)

    def get(self, name: str) -> ArchSpec:
        try:
            return self._specs[name]
        except KeyError:
            known = ", ".join(self._specs)
            raise ModelLoadError(f"Unknown architecture {name!r}. Known: {known}.") from None

    def detect(self, state_dict: StateDict) -> ArchSpec:
        """The one architecture whose key pattern matches ``state_dict``."""
        matches = [spec for spec in self._specs.values() if spec.detect(state_dict)]
        if not matches:
            raise ModelLoadError("These weights match none of Restorer's architectures.")
        if len(matches) > 1:
            names = ", ".join(spec.name for spec in matches)
            raise ModelLoadError(f"These weights are ambiguous between: {names}; name the architecture.")
        return matches[0]


REGISTRY = Registry()


def get_arch(name: str) -> ArchSpec:
    _ensure_loaded()
    return REGISTRY.get(name)


_LOADED = False


def _ensure_loaded() -> None:
    """Fill the registry from :data:`restorer.models.architectures.ARCHITECTURES`, once."""
    global _LOADED
    if _LOADED:
        return
    _LOADED = True
    from restorer.models.architectures import ARCHITECTURES

    REGISTRY.fill(list(ARCHITECTURES))


def all_archs(kind: str | None = None) -> list[ArchSpec]:
    """Every registered architecture, or only those of ``kind`` (e.g. :data:`COLORIZER`)."""
    _ensure_loaded()
    return [spec for spec in REGISTRY if kind is None or spec.kind == kind]


def detect_arch(state_dict: StateDict) -> ArchSpec:
    _ensure_loaded()
    return REGISTRY.detect(state_dict)


def has_keys(state_dict: StateDict, *keys: str) -> bool:
    return all(key in state_dict for key in keys)
