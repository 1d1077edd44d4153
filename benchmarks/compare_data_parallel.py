#!/usr/bin/python3
"""Hone's data-parallel training beside PyTorch DDP (gloo) on the same machine, from one command.

For each rank count (default 1 and 2) this runs

* Hone: ``hone train --recipe benchmarks/data-parallel-resnet50.yaml`` on one
  process with every core, and ``mpirun -np N hone train ...`` (each rank its
  share of the cores), and reads from rank 0's epoch line of the second epoch
  the global images per second and the seconds the steps waited for gradient
  all-reduces after backward (the communication backward did not hide);
* ``mpirun -np N hone distributed check --elements P``: the time of one
  all-reduce of the model's P gradient floats with nothing to hide it behind;
* the peer, ``benchmarks/pytorch_ddp_peer.py``: the same model, global batch,
  threads and rank count with PyTorch's DistributedDataParallel over gloo.

and prints one table: images per second of both and their ratio, Hone's step
time, exposed and full all-reduce time per step, the fraction of the all-reduce
hidden behind backward, and gloo's all-reduce time. ``--repeats K`` runs
everything K times and reports medians (this machine is shared and noisy).

    /usr/bin/python3 benchmarks/compare_data_parallel.py --hone .build/release/hone --repeats 3
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ENVIRONMENT = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1",
                   OMP_WAIT_POLICY=os.environ.get("OMP_WAIT_POLICY", "PASSIVE"))
EPOCH = re.compile(r"epoch 2/2  train loss \S+  (?P<images>[0-9.]+) img/s[^\n]*")
WAITED = re.compile(r"waited (?P<seconds>[0-9.]+) s for gradient all-reduces")
PARAMETERS = re.compile(r"model \S+: (?P<count>[0-9]+) parameters")
BANDWIDTH = re.compile(r"all-reduce bandwidth: .* median of [0-9]+: (?P<ms>[0-9.]+) ms")


def launcher(ranks):
    return [] if ranks == 1 else ["mpirun", "--allow-run-as-root", "-np", str(ranks), "-x", "OMP_WAIT_POLICY"]


def run(command):
    completed = subprocess.run(command, capture_output=True, text=True, env=ENVIRONMENT)
    output = completed.stdout + completed.stderr
    if completed.returncode != 0:
        sys.exit(f"{' '.join(command)} failed with status {completed.returncode}:\n{output[-3000:]}")
    return output.replace("\x1b[2K", "\n").replace("\r", "\n")


def hone_training(hone, recipe, ranks, batch, steps):
    with tempfile.TemporaryDirectory() as folder:
        output = run(launcher(ranks) + [hone, "train", "--recipe", recipe, "--output", os.path.join(folder, "run")])
    match = EPOCH.search(output)
    if not match:
        sys.exit(f"no second-epoch line in hone's output:\n{output[-3000:]}")
    images = float(match["images"])
    waited = WAITED.search(match[0])
    waited = float(waited["seconds"]) if waited else 0.0
    return {"images_per_second": images, "step_seconds": batch / images, "exposed_seconds": waited / steps,
            "parameters": int(PARAMETERS.search(output)["count"])}


def hone_allreduce(hone, ranks, parameters):
    output = run(launcher(ranks) + [hone, "distributed", "check", "--elements", str(parameters), "--repetitions", "5"])
    return float(BANDWIDTH.search(output)["ms"]) / 1000


def peer(args, ranks):
    output = run([sys.executable, os.path.join(HERE, "pytorch_ddp_peer.py"), "--model", "resnet50", "--stem",
                  "small-image", "--size", "32", "--global-batch", str(args.batch), "--ranks", str(ranks),
                  "--steps", "10", "--warmup", "3", "--json"])
    return json.loads(output.strip().splitlines()[-1])


def median(rows, key):
    values = [row[key] for row in rows if row.get(key) is not None]
    return statistics.median(values) if values else None


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--hone", default=".build/release/hone")
    parser.add_argument("--recipe", default=os.path.join(HERE, "data-parallel-resnet50.yaml"))
    parser.add_argument("--ranks", default="1,2")
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--batch", type=int, default=32, help="the recipe's data.batch_size")
    parser.add_argument("--steps", type=int, default=20, help="steps per epoch of the recipe")
    args = parser.parse_args()
    cores = os.cpu_count()
    print("ranks | threads/rank | Hone img/s | PyTorch img/s | Hone/PyTorch | Hone step | exposed all-reduce/step "
          "| full all-reduce | hidden | gloo all-reduce")
    print("---|---|---|---|---|---|---|---|---|---")
    for ranks in [int(part) for part in args.ranks.split(",")]:
        hone_rows, peer_rows = [], []
        for _ in range(args.repeats):
            row = hone_training(args.hone, args.recipe, ranks, args.batch, args.steps)
            row["full_seconds"] = hone_allreduce(args.hone, ranks, row["parameters"]) if ranks > 1 else None
            hone_rows.append(row)
            peer_rows.append(peer(args, ranks))
        hone_images = median(hone_rows, "images_per_second")
        peer_images = median(peer_rows, "images_per_second")
        full = median(hone_rows, "full_seconds")
        exposed = median(hone_rows, "exposed_seconds")
        gloo = median(peer_rows, "allreduce_seconds")
        dash = "–"
        print(f"{ranks} | {max(cores // ranks, 1)} | {hone_images:.1f} | {peer_images:.1f} | "
              f"{hone_images / peer_images:.2f} | {median(hone_rows, 'step_seconds') * 1000:.0f} ms | "
              + (f"{exposed * 1000:.0f} ms | {full * 1000:.0f} ms | {100 * (1 - exposed / full):.0f}% | "
                 f"{gloo * 1000:.0f} ms" if ranks > 1 else f"{dash} | {dash} | {dash} | {dash}"),
              flush=True)


if __name__ == "__main__":
    main()
