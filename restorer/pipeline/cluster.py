"""Colorizing a batch on a Ray cluster: the local batch's planning and per-file work, run by a pool
of Ray actors that each load the model once.

Ray schedules the actors and restarts one whose process dies; the driver (here) only plans, keeps a
bounded number of photos in flight per actor and collects one-line results. Only paths travel to
the workers and only results come back: pixels are read and written by the workers themselves, so
sources and outputs must be on a filesystem every node sees at the same path. Ray is optional
(``pip install 'restorer[cluster]'``) and imported only when a cluster is asked for.
"""

from __future__ import annotations

import ipaddress
import logging
import math
import os
import re
from collections import Counter, deque
from dataclasses import dataclass, field
from pathlib import Path

from restorer.core import ranges
from restorer.core.errors import RestorerError
from restorer.core.progress import NEVER_CANCELLED, CancelToken, Progress
from restorer.pipeline.batch import (BatchOptions, ItemResult, colorize_planned, plan_outputs,
                                     remove_stale_temp_files_of)

LOCAL = "local"
CPUS_PER_WORKER = 1  # a worker decodes, runs the network and encodes one photo at a time
IN_FLIGHT_PER_WORKER = 2  # one photo running, one queued on the worker: hides the round trip
MAX_LOSSES_IN_A_ROW = 3  # a worker lost this often without a photo finishing is given up
MAX_TASK_RETRIES = 2  # a photo whose worker dies is retried (on the restarted worker) this often
LOCAL_OBJECT_STORE_BYTES = 128 * 1024**2  # only paths and results travel: Ray's minimum is ~75 MB
INSTALL_HINT = "pip install 'restorer[cluster]'"


@dataclass(frozen=True)
class ClusterSpec:
    """Where to run: ``address`` is ``local`` (start a Ray runtime here) or a Ray address."""

    address: str
    local_workers: int = 0  # workers of a local runtime (0: not local)
    gpus_per_worker: float = 0.0

    @property
    def is_local(self) -> bool:
        return self.address == LOCAL

    @property
    def on_loopback(self) -> bool:
        """True for a cluster on this machine only: ``local``, or a head at 127.x.x.x/::1/localhost."""
        if self.is_local:
            return True
        host = self.address.split("://")[-1]
        if re.search(r":\d+$", host):
            host = host.rsplit(":", 1)[0]
        host = host.strip("[]")
        try:
            return ipaddress.ip_address(host).is_loopback
        except ValueError:
            return host == "localhost"


def parse_cluster(text: str, gpus_per_worker: float = 0.0) -> ClusterSpec:
    """``local``, ``local:N``, ``auto`` or ``HOST:PORT`` (a running cluster's head)."""
    text = text.strip()
    gpus_per_worker = ranges.GPUS_PER_WORKER.check("--gpus-per-worker", gpus_per_worker)
    if text == LOCAL or text.startswith(LOCAL + ":"):
        count = text[len(LOCAL) + 1:] or str(os.cpu_count() or 1)
        if not count.isdigit() or int(count) < 1:
            raise RestorerError(f"--cluster {text}: the number of local workers must be 1 or more")
        return ClusterSpec(LOCAL, int(count), gpus_per_worker)
    if not text:
        raise RestorerError("--cluster needs an address: local[:N], auto or HOST:PORT")
    return ClusterSpec(text, 0, gpus_per_worker)


def import_ray(spec: ClusterSpec):
    """The ``ray`` module, set up to stay on loopback when the cluster is this machine."""
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")  # never report usage anywhere
    if spec.on_loopback:
        # without this, Ray advertises (and binds) the machine's network address even for a
        # runtime only this machine uses; it is read when ray is first imported
        os.environ.setdefault("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")
    try:
        import ray
    except ImportError:
        raise RestorerError(f"--cluster needs Ray, which is not installed: {INSTALL_HINT}") from None
    return ray


class PhotoWorker:
    """One Ray actor: loads the model once, then colorizes the photos the driver sends it."""

    def __init__(self, model: str | None, device: str, threads: int) -> None:
        import torch

        from restorer.models.runtime import load_colorizer

        torch.set_num_threads(threads)  # the CPUs Ray reserved for this actor, no more
        self._colorizer = load_colorizer(model, device)

    def describe(self) -> str:
        return f"{self._colorizer.name} on {self._colorizer.device}"

    def colorize(self, path: Path, target: Path | None, options: BatchOptions) -> ItemResult:
        return colorize_planned(self._colorizer, path, target, options)


@dataclass
class ClusterSummary:
    """Counts per status and the failures only: a million results are not kept in memory."""

    total: int = 0
    counts: Counter = field(default_factory=Counter)
    failed: list[ItemResult] = field(default_factory=list)
    cancelled: bool = False

    def count(self, status: str) -> int:
        return self.counts[status]

    def add(self, result: ItemResult) -> Progress:
        self.counts[result.status] += 1
        if result.status == "failed":
            self.failed.append(result)
        done = sum(self.counts.values())
        return Progress(done, self.total, "colorize", f"{result.status}: {result.source.name}", result)


def worker_device(device: str, gpus_per_worker: float) -> str:
    """The device a worker runs on: Ray makes the GPUs it reserved for an actor its only visible
    ones, so a GPU worker uses ``cuda``; ``auto`` on a CPU worker means the CPU."""
    if gpus_per_worker > 0:
        return "cuda"
    if device.startswith("cuda"):
        raise RestorerError("--device cuda on a cluster needs --gpus-per-worker (e.g. 1)")
    return "cpu" if device == "auto" else device


class ClusterPool:
    """Ray actors that hold the model: ``with ClusterPool(spec, model) as pool:`` then
    ``pool.colorize(paths, options)`` once or more.

    Connecting starts a local runtime (``local:N``) or joins a running cluster; the pool takes
    every free CPU (or GPU, with ``gpus_per_worker``) it finds then, one worker per CPU or GPU
    share. Leaving the ``with`` disconnects, which also stops the pool's workers.
    """

    def __init__(self, spec: ClusterSpec, model: str | None = None, device: str = "auto") -> None:
        self.spec = spec
        self._ray = import_ray(spec)
        device = worker_device(device, spec.gpus_per_worker)
        self._connect()
        try:
            self._workers = self._start_workers(model, device)
            self.workers = self._wait_ready()
        except BaseException:
            self._ray.shutdown()
            raise

    def __enter__(self) -> "ClusterPool":
        return self

    def __exit__(self, *exc_info) -> None:
        self._ray.shutdown()

    def _connect(self) -> None:
        quiet = dict(log_to_driver=False, logging_level=logging.ERROR)
        if self.spec.is_local:  # "local": always a new runtime, never one found running
            try:
                self._ray.init(address=LOCAL, num_cpus=self.spec.local_workers * CPUS_PER_WORKER,
                               include_dashboard=False, object_store_memory=LOCAL_OBJECT_STORE_BYTES, **quiet)
            except Exception as err:  # Ray raises a bare Exception when its processes start too slowly
                raise RestorerError(f"Ray could not start a local runtime: {_last_line(err)} (on a busy machine "
                                    "try again, or colorize without --cluster)") from None
            return
        try:
            self._ray.init(address=self.spec.address, **quiet)
        except (ConnectionError, RuntimeError, ValueError) as err:
            raise RestorerError(f"Cannot reach the Ray cluster at {self.spec.address}: {_last_line(err)} (is it "
                                "running? does it need RAY_AUTH_MODE=token? see docs/CLUSTER.md)") from None

    def _start_workers(self, model: str | None, device: str) -> list:
        count = min(self.spec.local_workers or math.inf, self._free_slots())
        if count < 1:
            kind = "GPU" if self.spec.gpus_per_worker else "CPU"
            raise RestorerError(f"The Ray cluster at {self.spec.address} has no free {kind} for a worker")
        env = {name: value for name, value in os.environ.items() if name.startswith("RESTORER_")}
        actor = self._ray.remote(PhotoWorker).options(
            num_cpus=CPUS_PER_WORKER, num_gpus=self.spec.gpus_per_worker,
            max_restarts=-1, max_task_retries=MAX_TASK_RETRIES,  # a killed worker comes back, retries its photos
            runtime_env={"env_vars": env} if env else None)
        return [actor.remote(model, device, CPUS_PER_WORKER) for _ in range(count)]

    def _free_slots(self) -> int:
        free = self._ray.available_resources()
        if self.spec.gpus_per_worker:
            return int(free.get("GPU", 0) // self.spec.gpus_per_worker)
        return int(free.get("CPU", 0) // CPUS_PER_WORKER)

    def _wait_ready(self) -> list[str]:
        """What each worker runs ("vivid on cpu"), once every one has loaded the model."""
        try:
            # no retries: a worker that failed to load the model fails the same way again
            return self._ray.get([worker.describe.options(max_task_retries=0).remote() for worker in self._workers])
        except self._ray.exceptions.RayError as err:
            raise RestorerError(f"The cluster workers could not load the model: {_last_line(err)}") from None

    def colorize(self, paths: list[Path], options: BatchOptions | None = None,
                 cancel: CancelToken = NEVER_CANCELLED):
        """Colorize ``paths`` as the local batch plans them; yields Progress(payload=ItemResult) as
        photos finish (in any order) and returns a :class:`ClusterSummary`.

        At most ``IN_FLIGHT_PER_WORKER`` photos per worker are handed out at once, so memory does
        not grow with the batch beyond its plan. Cancelling stops handing out photos; the ones in
        flight finish.
        """
        paths = [Path(path) for path in paths]
        summary = ClusterSummary(total=len(paths))
        options = options or BatchOptions()
        plan = plan_outputs(paths, options)
        remove_stale_temp_files_of(plan)  # as the local batch does: .part files a killed run left
        work = iter(zip(paths, plan))
        shared_options = self._ray.put(options)  # stored once, not sent with every photo
        free = deque(list(range(len(self._workers))) * IN_FLIGHT_PER_WORKER)  # worker slots, round robin
        pending: dict = {}  # result ref -> (photo, worker index)
        losses: Counter = Counter()  # per worker: lost in a row
        while True:
            for decided in self._hand_out(work, shared_options, free, pending, cancel):
                yield summary.add(decided)
            if not pending:
                break
            yield summary.add(self._collect(free, pending, losses))
        summary.cancelled = cancel.cancelled
        if not cancel.cancelled and next(work, None) is not None:
            left = summary.total - sum(summary.counts.values())
            raise RestorerError(f"Every cluster worker was lost; {left} photo(s) were not colorized: "
                                "run again with --resume")
        return summary

    def _hand_out(self, work, options, free: deque, pending: dict, cancel: CancelToken):
        """Give each free worker slot its next photo; yields the plan's verdicts (no worker needed)."""
        while free and not cancel.cancelled:
            path, (target, verdict) = next(work, (None, (None, None)))
            if path is None:
                return
            if verdict is not None:
                yield verdict
                continue
            index = free.popleft()
            pending[self._workers[index].colorize.remote(path, target, options)] = (path, index)

    def _collect(self, free: deque, pending: dict, losses: Counter) -> ItemResult:
        """The next photo a worker finished; its slot is freed unless the worker keeps dying."""
        (ref,), _ = self._ray.wait(list(pending), num_returns=1)
        path, index = pending.pop(ref)
        try:
            result = self._ray.get(ref)
            losses[index] = 0
        except self._ray.exceptions.RayActorError as err:
            losses[index] += 1
            result = ItemResult(path, None, "failed", "Not colorized: the cluster worker running it was lost "
                                f"({type(err).__name__}); run again with --resume")
        except self._ray.exceptions.RayError as err:
            result = ItemResult(path, None, "failed", f"internal error (please report it): {_last_line(err)}")
        if losses[index] < MAX_LOSSES_IN_A_ROW:
            free.append(index)
        return result


def _last_line(err: BaseException) -> str:
    """The telling line of an error whose text may carry a remote traceback; one of our own errors
    raised on a worker is said as it would be here, without its class name."""
    lines = [line.strip() for line in str(err).splitlines() if line.strip()]
    line = lines[-1] if lines else type(err).__name__
    if line.startswith("restorer.") and ": " in line:
        line = line.split(": ", 1)[1]
    return line[:300]
