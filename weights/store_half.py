"""Store bundled weights in half precision (float16) to keep weights/ small; the card's checksum follows.

    python weights/store_half.py weights/NAME.safetensors [...]

Networks load float16 tensors into their float32 parameters (``load_state_dict`` casts), so only
the file changes: each tensor is rounded to 11 significant bits, far below what colorization can
show (the largest change of an ab prediction is well under one Lab unit). Integer tensors (batch-norm
counters) stay as they are. Run it on a model's weights after training and before calibration, so
the numbers in its card are the numbers of the stored weights.
"""

from __future__ import annotations

import sys
from pathlib import Path

import torch
from safetensors.torch import save_file

from restorer.models.weights import CARD_SUFFIX, ModelCard, load_state_dict, sha256_of, write_text_atomic


def store_half(path: Path) -> None:
    state = load_state_dict(path)
    half = {key: (value.half() if value.is_floating_point() else value).contiguous() for key, value in state.items()}
    partial = path.with_name(path.name + ".part")
    save_file(half, str(partial))
    partial.replace(path)
    card_path = path.with_suffix(CARD_SUFFIX)
    card = ModelCard.from_json(card_path)
    card.sha256 = sha256_of(path)
    write_text_atomic(card_path, card.to_json())


if __name__ == "__main__":
    for name in sys.argv[1:]:
        store_half(Path(name))
        print(f"{name}: float16")
