"""Reading and writing weight files safely, and the JSON model card beside each one.

``.safetensors`` is the native format (no code can run on load). A ``.pth``/``.pt`` import goes
through ``torch.load(weights_only=True)``, whose restricted unpickler refuses any object that is
not a tensor or plain container, so a pickle carrying a code payload never executes.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from dataclasses import asdict, dataclass, field
from pathlib import Path

from restorer.core.atomic import write_atomic, write_text_atomic
from restorer.core.errors import ModelLoadError, UnsafeWeightsError

CARD_SUFFIX = ".json"
WEIGHTS_SUFFIX = ".safetensors"
PTH_SUFFIXES = (".pth", ".pt", ".ckpt", ".bin")
NOT_WEIGHTS = "is not a PyTorch checkpoint / safetensors file"
SAFETENSORS_HEAD = b"{"  # after the 8-byte little-endian length of its JSON header
ZIP_MAGIC = b"PK\x03\x04"  # torch.save since 1.6
PICKLE_PROTOCOLS = (b"\x02", b"\x03", b"\x04", b"\x05")  # older torch.save: a pickle, protocol 2+


@dataclass
class ModelCard:
    """What a weights file is: architecture, hyper-parameters, provenance and measured quality."""

    name: str
    arch: str
    hparams: dict = field(default_factory=dict)
    title: str = ""
    description: str = ""
    training: dict = field(default_factory=dict)
    metrics: dict = field(default_factory=dict)
    sha256: str = ""
    render_size: int | None = None
    render_scales: list[float] | None = None  # multi-scale read-out: multiples of render_size, averaged

    @classmethod
    def from_json(cls, path: Path) -> "ModelCard":
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as err:
            raise ModelLoadError(f"Model card {path} cannot be read: {err}") from None
        known = {key: data[key] for key in cls.__dataclass_fields__ if key in data}
        if "name" not in known or "arch" not in known:
            raise ModelLoadError(f"Model card {path} lacks 'name' or 'arch'.")
        return cls(**known)

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, sort_keys=False) + "\n"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def load_safetensors(path: Path, expected_sha256: str = "") -> dict:
    """State dict from a ``.safetensors`` file, verified against ``expected_sha256`` when given."""
    from safetensors import SafetensorError
    from safetensors.torch import load_file

    path = Path(path)
    if not path.is_file():
        raise ModelLoadError(f"Weights file not found: {path}")
    if expected_sha256 and sha256_of(path) != expected_sha256:
        raise ModelLoadError(f"Weights file {path.name} does not match the checksum in its model card "
                             "(corrupt or replaced); reinstall or re-import it.")
    try:
        return load_file(str(path))
    except (SafetensorError, OSError, ValueError) as err:
        raise ModelLoadError(f"Weights file {path.name} is corrupt or truncated: {err}") from None


def load_pth(path: Path) -> dict:
    """State dict from a PyTorch checkpoint, through the restricted (weights-only) unpickler."""
    import pickle

    import torch

    if weights_format(path) != "pytorch":
        raise ModelLoadError(f"{Path(path).name} {NOT_WEIGHTS}.")
    try:
        data = torch.load(str(path), map_location="cpu", weights_only=True)
    except pickle.UnpicklingError as err:
        raise UnsafeWeightsError(_refusal(Path(path).name, str(err))) from err
    except MemoryError:
        raise
    except Exception as err:  # noqa: BLE001 - a damaged pickle can make the unpickler fail in any way
        reason = " ".join(f"{type(err).__name__}: {err}".split()).split(". ")[0]  # torch's first sentence
        reason = reason if len(reason) <= 100 else reason[:99] + "\u2026"
        raise ModelLoadError(f"{Path(path).name} {NOT_WEIGHTS} (damaged: {reason}).") from None
    return _unwrap_state_dict(data, path)


def _refusal(name: str, reason: str) -> str:
    """Why the weights-only unpickler refused ``name``: objects other than tensors, or pickle
    instructions it does not read (protocol 4+ framing, as ``pickle.dump`` writes by default)."""
    if "Unsupported operand" in reason:
        return (f"Refused to load {name}: its pickle uses instructions the safe loader refuses (a pickle could "
                "run code; nothing ran). Re-save it as .safetensors.")
    return (f"Refused to load {name}: it contains Python objects other than tensors (a pickle that could run "
            "code). Only plain state dicts can be imported.")


def _unwrap_state_dict(data, path) -> dict:
    import torch

    for key in ("state_dict", "model", "params_ema", "params"):
        if isinstance(data, dict) and isinstance(data.get(key), dict):
            data = data[key]
            break
    if not isinstance(data, dict) or not all(isinstance(v, torch.Tensor) for v in data.values()):
        raise ModelLoadError(f"{Path(path).name} holds no state dict of tensors.")
    return {key.removeprefix("module."): value for key, value in data.items()}


def load_state_dict(path: Path, expected_sha256: str = "") -> dict:
    """Only safetensors and weights-only pickles are accepted: the suffix must be one of theirs,
    and the first bytes decide which loader reads the file (a safetensors file named .pth works)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (WEIGHTS_SUFFIX, *PTH_SUFFIXES):
        raise ModelLoadError(f"Unsupported weights format {suffix!r}: use .safetensors or .pth.")
    if suffix == WEIGHTS_SUFFIX and expected_sha256:  # a checksum says more than a damaged header
        return load_safetensors(path, expected_sha256)
    if weights_format(path) == "safetensors":
        return load_safetensors(path)
    return load_pth(path)


def weights_format(path: Path) -> str:
    """``"safetensors"`` or ``"pytorch"`` (a zip or a pickle, as torch.save writes), from the
    file's first bytes; ModelLoadError for anything else (text, an image, /etc/passwd...)."""
    head = _file_head(Path(path))
    header_size = int.from_bytes(head[:8], "little")
    if len(head) == len(SAFETENSORS_HEAD) + 8 and head[8:] == SAFETENSORS_HEAD and 0 < header_size < 100 << 20:
        return "safetensors"
    if head.startswith(ZIP_MAGIC) or (head[:1] == b"\x80" and head[1:2] in PICKLE_PROTOCOLS):
        return "pytorch"
    raise ModelLoadError(f"{Path(path).name} {NOT_WEIGHTS}.")


def _file_head(path: Path) -> bytes:
    """The first bytes of the regular file ``path``; ModelLoadError for anything else.

    The file is opened without blocking and checked before it is read: a FIFO, a folder or a
    device (a link to /dev/zero) named .pth must fail at once, not hang or read forever.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise ModelLoadError(f"Weights file not found: {path}") from None
    except OSError as err:
        raise ModelLoadError(f"Cannot read {path}: {err.strerror or err}") from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise ModelLoadError(f"{path.name} {NOT_WEIGHTS} (not a regular file).")
        return os.read(fd, 8 + len(SAFETENSORS_HEAD))
    finally:
        os.close(fd)


def save_model(module, card: ModelCard, folder: Path) -> Path:
    """Write ``<name>.safetensors`` and ``<name>.json`` atomically; returns the weights path."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    weights_path = save_weights(module, folder / f"{card.name}{WEIGHTS_SUFFIX}")
    card.sha256 = sha256_of(weights_path)
    write_text_atomic(folder / f"{card.name}{CARD_SUFFIX}", card.to_json())
    return weights_path


def save_weights(module, path: Path) -> Path:
    """A network's tensors as safetensors at ``path``, written atomically."""
    from safetensors.torch import save

    tensors = {key: value.detach().cpu().contiguous() for key, value in module.state_dict().items()}
    data = save(tensors)
    return write_atomic(path, lambda out: out.write(data))
