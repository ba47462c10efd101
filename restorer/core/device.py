"""Choosing the torch device a network runs on.

torch is imported lazily so that `restorer --help` stays fast.
"""

from __future__ import annotations

from dataclasses import dataclass

from restorer.core.errors import RestorerError

DEVICE_CHOICES = ("auto", "cpu", "cuda", "mps")


@dataclass(frozen=True)
class DeviceInfo:
    """A device a user can pick: ``key`` is what torch takes ("cuda:0"), ``available`` says if usable."""

    key: str
    label: str
    available: bool
    reason: str = ""  # why it cannot be used, short enough to show beside the label
    fix: str = ""  # what would make it usable


def _mps_available() -> bool:
    import torch

    mps = getattr(torch.backends, "mps", None)
    return bool(mps and mps.is_available())


def list_devices() -> list[DeviceInfo]:
    """Every device a picker should show, unavailable ones with the reason."""
    import torch

    devices = [DeviceInfo("auto", "Auto (best available)", True)]
    if torch.cuda.is_available():
        for index in range(torch.cuda.device_count()):
            name = torch.cuda.get_device_name(index)
            devices.append(DeviceInfo(f"cuda:{index}", f"GPU {index}: {name}", True))
    else:
        devices.append(DeviceInfo("cuda", "NVIDIA GPU (CUDA)", False, *_cuda_missing()))
    if _mps_available():
        devices.append(DeviceInfo("mps", "Apple GPU (MPS)", True))
    devices.append(DeviceInfo("cpu", "CPU", True))
    return devices


def _cuda_missing() -> tuple[str, str]:
    """(reason, fix) for a machine where torch sees no CUDA device: the two causes need different fixes."""
    import torch

    if getattr(torch.version, "cuda", None) is None:
        return ("this PyTorch is a CPU-only build",
                "Install a CUDA build of torch in Restorer's environment (README, \"NVIDIA GPU (CUDA)\").")
    return ("no NVIDIA GPU or working driver found",
            f"This PyTorch was built for CUDA {torch.version.cuda}; check that the NVIDIA driver is installed "
            "and supports it (nvidia-smi).")


def resolve_device(name: str = "auto"):
    """Return a ``torch.device`` for ``name`` ("auto", "cpu", "cuda", "cuda:1", "mps").

    "auto" prefers CUDA, then MPS, then the CPU. Asking for an absent device is an error
    with a message that says what is missing.
    """
    import torch

    name = (name or "auto").lower()
    if name == "auto":
        if torch.cuda.is_available():
            return torch.device("cuda")
        return torch.device("mps" if _mps_available() else "cpu")
    if name.startswith("cuda"):
        if not torch.cuda.is_available():
            raise RestorerError("CUDA was requested but no CUDA GPU is available to this torch build.")
        return torch.device(name)
    if name == "mps":
        if not _mps_available():
            raise RestorerError("MPS was requested but this machine has no Apple GPU support.")
        return torch.device("mps")
    if name == "cpu":
        return torch.device("cpu")
    raise RestorerError(f"Unknown device {name!r}: use one of {', '.join(DEVICE_CHOICES)} or cuda:N.")
