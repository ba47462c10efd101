"""Training throughput of a network at its training crop size (images/s), CPU or a lent GPU.

    python benchmarks/bench_training.py [--model vivid] [--size 128] [--batch 32] [--steps 20] [--device cpu]
"""

from __future__ import annotations

import argparse
import time

from common import command_line, git_revision, machine, markdown_table, write_section


def throughput(model: str, size: int, batch: int, steps: int, device: str) -> float:
    import torch

    from restorer.models.registry import get_arch
    from restorer.training.objective import Objective

    spec = get_arch(model)
    net = spec.build(**spec.default_hparams).to(device).train()
    classes = getattr(net, "ab_bins", torch.zeros(1, 2)).shape[0]
    objective = Objective(net, spec, "auto", torch.ones(classes), 0.25, 0)
    optimizer = torch.optim.AdamW(net.parameters(), 1e-3)
    side = spec.fixed_size or size
    lum, ab, rgb = torch.rand(batch, 1, side, side), torch.rand(batch, 2, side, side) - 0.5, torch.rand(batch, 3, side, side)
    lum, ab, rgb = lum.to(device), ab.to(device), rgb.to(device)
    use_amp = device.startswith("cuda")
    for step in range(steps + 3):
        if step == 3:
            if use_amp:
                torch.cuda.synchronize()
            started = time.perf_counter()
        with torch.autocast(device.split(":")[0], enabled=use_amp):
            loss, _ = objective(lum, ab, rgb)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    if use_amp:
        torch.cuda.synchronize()
    return steps * batch / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--models", default="vivid,seed001-unet,seed002-fusion,seed000-cae,seed004b-skip-unet")
    parser.add_argument("--size", type=int, default=128)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    rows = []
    for model in args.models.split(","):
        rate = throughput(model, args.size, args.batch, args.steps, args.device)
        rows.append([model, args.size, args.batch, f"{rate:.1f}"])
        print(rows[-1], flush=True)
    body = (f"Machine: {machine()}. Revision {git_revision()}. Command: `{command_line()}`.\n\n"
            "Forward + backward + AdamW step on in-memory tensors (no data loading), each network with "
            "its default loss, images per second:\n\n"
            + markdown_table(["model", "crop px (fixed-size nets use 64)", "batch", f"images/s ({args.device})"], rows))
    print(body)
    if not args.no_write:
        write_section(f"5. Training throughput ({args.device})", body)


if __name__ == "__main__":
    main()
