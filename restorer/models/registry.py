"""The registry of architectures: what each network is, how to build it, how to recognise it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Mapping

from restorer.core.errors import ModelLoadError

StateDict = Mapping[str, "object"]


@dataclass(frozen=True)
class ArchSummary:
    """What an architecture is, in words: all a model listing needs (and can cache without torch).

    ``input_kind`` is "L" (Lab luminance) or "gray"; ``output_kind`` is "ab" or "rgb".
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


@dataclass(frozen=True)
class ArchSpec(ArchSummary):
    """Everything callers need to know about one architecture: its summary, and how to build,
    recognise and feed it. ``fixed_size`` is set when the network only accepts that exact square
    size (dense layers); otherwise inputs are padded to a multiple of ``size_multiple``.
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

    @property
    def io(self) -> str:
        return f"{self.input_kind} -> {self.output_kind}"


class Registry:
    """Ordered name -> ArchSpec map with state-dict detection."""

    def __init__(self) -> None:
        self._specs: dict[str, ArchSpec] = {}

    def add(self, spec: ArchSpec) -> ArchSpec:
        if spec.name in self._specs:
            raise ValueError(f"architecture {spec.name!r} registered twice")
        self._specs[spec.name] = spec
        return spec

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
    """Import every architecture folder once; each registers itself."""
    global _LOADED
    if _LOADED:
        return
    _LOADED = True
    from restorer.models import architectures  # noqa: F401  (registers on import)


def all_archs() -> list[ArchSpec]:
    _ensure_loaded()
    return list(REGISTRY)


def detect_arch(state_dict: StateDict) -> ArchSpec:
    _ensure_loaded()
    return REGISTRY.detect(state_dict)


def has_keys(state_dict: StateDict, *keys: str) -> bool:
    return all(key in state_dict for key in keys)
