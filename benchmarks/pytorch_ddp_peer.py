#!/usr/bin/python3
"""PyTorch DistributedDataParallel on the CPU (gloo): the peer for Hone's data-parallel training.

For each rank count in ``--ranks`` this times PyTorch's data-parallel training
step of the ResNet that a Hone model id names (built by ``pytorch_peer.py``, so
the layers and parameter names are Hone's), float32, on random images:

* 1 rank: a plain process with ``torch.set_num_threads(cores)``;
* N ranks: N processes (``torch.multiprocessing.spawn``) joined by the gloo
  backend over TCP on 127.0.0.1, each with ``cores // N`` threads and
  ``DistributedDataParallel(model)`` with its default buckets (25 MB), each
  training on ``global_batch / N`` images, as Hone's ranks do.

A step is forward, cross-entropy, backward (DDP's all-reduces overlap it),
``SGD(lr=0.1, momentum=0.9, weight_decay=5e-5)`` and ``zero_grad``. Every
rank waits at a barrier before each timed step; rank 0 times it. After
``--warmup`` untimed steps the median of ``--steps`` is reported, with the
global images per second. ``allreduce_seconds`` is the median of 5 blocking
``dist.all_reduce`` calls of one float32 tensor of the model's parameter count:
gloo's time to average the whole gradient once, nothing hidden.

Output: one line per rank count (``--json``: one JSON object per line).

    /usr/bin/python3 benchmarks/pytorch_ddp_peer.py --model resnet50 --stem small-image --size 32 \\
        --global-batch 32 --ranks 1,2 --json
"""

import argparse
import json
import os
import socket
import statistics
import sys
import time

import torch
import torch.distributed as dist
import torch.multiprocessing as mp
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pytorch_peer import build_model, parameter_count  # noqa: E402


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def train_steps(model, images, labels, args, barrier):
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=5e-5)
    loss_function = nn.CrossEntropyLoss()
    times = []
    for step in range(args.warmup + args.steps):
        barrier()
        start = time.perf_counter()
        loss = loss_function(model(images), labels)
        loss.backward()
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        barrier()
        if step >= args.warmup:
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def inputs(args, rank, per_rank):
    generator = torch.Generator().manual_seed(1000 + rank)
    images = torch.randn(per_rank, 3, args.size, args.size, generator=generator)
    labels = torch.randint(0, args.classes, (per_rank,), generator=generator)
    return images, labels


def record(args, ranks, threads, step_seconds, allreduce_seconds, parameters):
    return {
        "peer": "pytorch-ddp-gloo", "model": args.model, "stem": args.stem, "width": args.width, "size": args.size,
        "global_batch": args.global_batch, "ranks": ranks, "threads_per_rank": threads,
        "step_seconds_median": step_seconds, "images_per_second": args.global_batch / step_seconds,
        "allreduce_seconds": allreduce_seconds, "parameters": parameters, "steps": args.steps,
        "warmup": args.warmup, "torch_version": torch.__version__,
    }


def single_process(args, cores):
    torch.set_num_threads(cores)
    torch.manual_seed(0)
    model = build_model(args.model, stem=args.stem, width=args.width, classes=args.classes)
    model.train()
    images, labels = inputs(args, 0, args.global_batch)
    seconds = train_steps(model, images, labels, args, barrier=lambda: None)
    return record(args, 1, cores, seconds, None, parameter_count(model))


def rank_main(rank, ranks, port, args, cores, results):
    threads = max(cores // ranks, 1)
    torch.set_num_threads(threads)
    dist.init_process_group("gloo", init_method=f"tcp://127.0.0.1:{port}", rank=rank, world_size=ranks)
    torch.manual_seed(0)
    model = build_model(args.model, stem=args.stem, width=args.width, classes=args.classes)
    model.train()
    parallel = nn.parallel.DistributedDataParallel(model)
    images, labels = inputs(args, rank, args.global_batch // ranks)
    seconds = train_steps(parallel, images, labels, args, barrier=dist.barrier)
    gradient = torch.ones(parameter_count(model), dtype=torch.float32)
    reductions = []
    for _ in range(5):
        dist.barrier()
        start = time.perf_counter()
        dist.all_reduce(gradient)
        reductions.append(time.perf_counter() - start)
    if rank == 0:
        results.put(record(args, ranks, threads, seconds, statistics.median(reductions), parameter_count(model)))
    dist.barrier()
    # torch 1.13 can deadlock tearing gloo down at exit; the result is already in the queue.
    os._exit(0)


def several_processes(args, ranks, cores):
    context = mp.get_context("spawn")
    results = context.SimpleQueue()
    mp.start_processes(rank_main, args=(ranks, free_port(), args, cores, results), nprocs=ranks, join=True,
                       start_method="spawn")
    return results.get()


def readable(result):
    line = (f"pytorch ddp (gloo) {result['model']} {result['size']}px global batch {result['global_batch']}: "
            f"{result['ranks']} rank(s) x {result['threads_per_rank']} thread(s): "
            f"{result['images_per_second']:.1f} img/s, step {result['step_seconds_median'] * 1000:.0f} ms")
    if result["allreduce_seconds"] is not None:
        line += f", all-reduce of {result['parameters']} floats {result['allreduce_seconds'] * 1000:.1f} ms"
    return line


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", default="resnet50")
    parser.add_argument("--stem", default=None)
    parser.add_argument("--width", type=float, default=1.0)
    parser.add_argument("--size", type=int, default=32)
    parser.add_argument("--classes", type=int, default=10)
    parser.add_argument("--global-batch", type=int, default=32)
    parser.add_argument("--ranks", default="1,2")
    parser.add_argument("--cores", type=int, default=os.cpu_count())
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    for ranks in [int(part) for part in args.ranks.split(",")]:
        if args.global_batch % ranks:
            parser.error(f"--global-batch {args.global_batch} does not split over {ranks} ranks")
        result = single_process(args, args.cores) if ranks == 1 else several_processes(args, ranks, args.cores)
        print(json.dumps(result) if args.json else readable(result), flush=True)


if __name__ == "__main__":
    main()
