#!/usr/bin/env python3
"""Runs one preset with each technique switched on in turn, over several seeds, and prints a table.

Each row is the preset plus a list of `--set` overrides; every row runs once per seed with
`hone train`, into RUNS/<row>-seed<seed>/ (an existing finished run is reused, so an
interrupted table resumes). The table reports the final test top-1 (mean ± sample std over
the seeds) and the wall time per run from each run's summary.csv.

Until `hone experiment` exists (issue 7) this script is how the technique tables in the
issue notes are made. It needs only Python's standard library and a built hone.

    python3 scripts/experiments/technique_table.py --preset flyegle-baseline-cifar10 \
        --set schedule.epochs=8 --set data.train_limit=10000 --seeds 0 1 2 --runs runs/tricks-table
"""
import argparse
import csv
import os
import statistics
import subprocess
import sys

ROWS = [
    ("baseline", []),
    ("+ label smoothing 0.1", ["loss.label_smoothing=0.1"]),
    ("+ mixup 0.2", ["data.mixup=0.2"]),
    ("+ CutMix 1.0", ["data.cutmix=1.0"]),
    ("BCE instead of CE", ["loss.name=bce"]),
]


def slug(name):
    return "".join(c if c.isalnum() else "-" for c in name).strip("-").replace("--", "-")


def final_row(folder, epochs):
    path = os.path.join(folder, "summary.csv")
    if not os.path.exists(path):
        return None
    with open(path) as handle:
        rows = list(csv.DictReader(handle))
    if len(rows) < epochs or not rows[-1]["eval_top1"]:
        return None
    return rows[-1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", required=True)
    parser.add_argument("--set", dest="overrides", action="append", default=[])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--runs", default="runs/technique-table")
    parser.add_argument("--hone", default=".build/release/hone")
    parser.add_argument("--epochs", type=int, required=True, help="the epochs the overrides give (to spot unfinished runs)")
    arguments = parser.parse_args()

    os.makedirs(arguments.runs, exist_ok=True)
    results = []
    for name, extra in ROWS:
        accuracies, walls = [], []
        for seed in arguments.seeds:
            folder = os.path.join(arguments.runs, f"{slug(name)}-seed{seed}")
            row = final_row(folder, arguments.epochs)
            if row is None:
                subprocess.run(["rm", "-rf", folder], check=True)
                command = [arguments.hone, "train", "--recipe", arguments.preset, "--output", folder,
                           "--set", f"seed={seed}"]
                for override in arguments.overrides + extra:
                    command += ["--set", override]
                print(" ".join(command), file=sys.stderr, flush=True)
                with open(folder + ".log", "w") as log:
                    subprocess.run(command, check=True, stdout=log, stderr=subprocess.STDOUT)
                row = final_row(folder, arguments.epochs)
            accuracies.append(float(row["eval_top1"]))
            walls.append(float(row["wall_seconds"]))
            print(f"{name} seed {seed}: top-1 {accuracies[-1]:.2f}%, {walls[-1]:.0f} s", file=sys.stderr, flush=True)
        results.append((name, extra, accuracies, walls))

    print(f"preset {arguments.preset} with {' '.join(arguments.overrides)}; seeds {arguments.seeds}\n")
    print("| technique | overrides | test top-1 (mean ± std) | per seed | wall per run (median) |")
    print("|---|---|---|---|---|")
    for name, extra, accuracies, walls in results:
        spread = statistics.stdev(accuracies) if len(accuracies) > 1 else 0.0
        seeds = ", ".join(f"{value:.2f}" for value in accuracies)
        print(f"| {name} | {' '.join(extra) or '-'} | {statistics.mean(accuracies):.2f} ± {spread:.2f} | {seeds} "
              f"| {statistics.median(walls):.0f} s |")


if __name__ == "__main__":
    main()
