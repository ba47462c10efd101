"""Give flagship weights trained before vivid had a regression head (revisions before 70d6652)
that head, freshly initialised, as a starting point for fine-tuning:

    python weights/add_regression_head.py weights/vivid.safetensors runs/vivid2/init.safetensors

The bundled vivid was made this way: 12 epochs without the head (stage 1 of train_all.sh as it
was then), this conversion, then stage 2 of train_all.sh.
"""

from __future__ import annotations

import sys
from pathlib import Path

import torch
from safetensors.torch import save_file

from restorer.models.registry import all_archs, get_arch
from restorer.models.weights import load_state_dict


def main(source: Path, target: Path) -> None:
    all_archs()
    state = load_state_dict(source)
    if "regress.weight" in state:
        raise SystemExit(f"{source} already has a regression head")
    spec = get_arch("vivid")
    network = spec.build(**{**spec.infer_hparams(state), "regression": True})
    missing, unexpected = network.load_state_dict(state, strict=False)
    if unexpected or set(missing) != {"regress.weight", "regress.bias"}:
        raise SystemExit(f"unexpected layout: missing {missing}, unexpected {unexpected}")
    torch.manual_seed(0)
    torch.nn.init.normal_(network.regress.weight, std=1e-3)  # starts near zero chroma: grey
    torch.nn.init.zeros_(network.regress.bias)
    target.parent.mkdir(parents=True, exist_ok=True)
    save_file({k: v.contiguous() for k, v in network.state_dict().items()}, str(target))
    print(f"wrote {target}")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
