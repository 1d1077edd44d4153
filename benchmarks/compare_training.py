#!/usr/bin/python3
"""Hone vs PyTorch on whole training (or inference) steps, side by side.

For every requested model spec and mode, runs ``hone bench train|infer
--json`` once per dtype and then ``benchmarks/pytorch_peer.py`` with the same
model, image size, batch, threads, warm-up and timed steps, one after the
other (never in parallel: both use every thread they are given). The peer
runs each of its configurations (dtype x layout: nchw and channels_last by
default) in a fresh process, so each peak RSS is its own.

It prints one row per (mode, model, dtype): Hone's images/s; PyTorch's best
images/s at that dtype over the layouts it ran, and which configuration that
was; the ratio Hone / PyTorch (> 1: Hone is faster); Hone's GFLOP/s and its
percentage of the SGEMM ceiling Hone measured in the same process (oneDNN
SGEMM, float32, so a bf16 step can exceed 100 %), and optionally of a bf16
machine limit given with ``--bf16-ceiling-gflops``; both peak resident set
sizes and their ratio. With more than one dtype a "best" row compares Hone's
fastest dtype with PyTorch's fastest configuration over all it ran. A second
table lists every PyTorch configuration. Then come the machine (CPU model,
cores), the date (UTC), Hone's git commit, the torch version and the exact
commands that ran.

Both sides count FLOPs the same way: ``macs_per_image`` are the forward
multiply-accumulates of one image over the convolutions and the classifier
only, and GFLOP/s = images/s x 2 x MACs x (3 for a training step, 1 for
inference) / 1e9; a note is printed if the two sides' MAC counts differ.

``--repeat N`` runs each side N times, alternately (Hone, PyTorch, Hone, ...),
and reports medians. ``--markdown`` prints the same as a Markdown section for
BENCHMARKS.md; ``--json`` prints the joined rows as JSON lines. When
/usr/bin/python3 cannot import torch, only Hone's figures are printed, with a
note saying so. The script itself needs only the standard library.

Model specs are ``MODEL[:SIZE[:BATCH]]`` with a Hone model id (resnet50,
resnet50d, ...; default size 224, batch 32), or ``fashion[:SIZE[:BATCH]]``:
the Fashion-MNIST model, resnet18 with the small-image stem, width 0.25, 1
input channel and 10 classes (default 28 px, batch 128).

Run from anywhere with Debian's Python, e.g.::

    /usr/bin/python3 benchmarks/compare_training.py             # ResNet-50 224 px batch 32, f32 and bf16, training
    /usr/bin/python3 benchmarks/compare_training.py --mode both \\
        --models resnet50:224:32,resnet18:224:32,resnet50d:224:32,fashion:28:128
    /usr/bin/python3 benchmarks/compare_training.py --markdown --repeat 3 > section.md
    /usr/bin/python3 benchmarks/compare_training.py --models resnet18:32:2 --warmup 1 --steps 2   # quick check
"""

import argparse
import datetime
import json
import os
import platform
import shlex
import statistics
import subprocess
import sys
import time
from collections import OrderedDict

REPOSITORY = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PEER = os.path.join(REPOSITORY, "benchmarks", "pytorch_peer.py")
DEFAULT_HONE = os.path.join(REPOSITORY, ".build", "release", "hone")
DTYPES = ("f32", "bf16")
LAYOUTS = ("nchw", "channels_last")
# The Fashion-MNIST model: Hone's default recipe (recipes/fashion-mnist.yaml).
FASHION = {"model": "resnet18", "stem": "small-image", "width": 0.25, "channels": 1, "classes": 10, "size": 28, "batch": 128}


# --------------------------------------------------------------------------- specs and commands


class Spec:
    """One model at one size and batch, with the options both tools take for it."""

    def __init__(self, text):
        parts = text.split(":")
        if not 1 <= len(parts) <= 3 or not parts[0]:
            raise ValueError(f"bad model spec {text!r}: expected MODEL[:SIZE[:BATCH]]")
        name = parts[0]
        if name == "fashion":
            self.model, self.size, self.batch = FASHION["model"], FASHION["size"], FASHION["batch"]
            self.extra = ["--stem", FASHION["stem"], "--width", str(FASHION["width"]),
                          "--channels", str(FASHION["channels"]), "--classes", str(FASHION["classes"])]
        else:
            self.model, self.size, self.batch, self.extra = name, 224, 32, []
        try:
            if len(parts) > 1 and parts[1]:
                self.size = int(parts[1])
            if len(parts) > 2 and parts[2]:
                self.batch = int(parts[2])
        except ValueError:
            raise ValueError(f"bad model spec {text!r}: SIZE and BATCH must be integers") from None
        if self.size < 1 or self.batch < 1:
            raise ValueError(f"bad model spec {text!r}: SIZE and BATCH must be positive")
        self.name = name

    @property
    def label(self):
        return f"{self.name if self.name == 'fashion' else self.model} {self.size}px b{self.batch}"

    def model_arguments(self):
        """The model, size and batch flags (and the Fashion-MNIST model's stem, width, channels, classes)."""
        return ["--model", self.model, "--size", str(self.size), "--batch", str(self.batch)] + self.extra


def timing_arguments(args):
    return ["--threads", str(args.threads), "--warmup", str(args.warmup), "--steps", str(args.steps)]


def display_path(path):
    """``path`` relative to the repository root when inside it, so printed commands paste there as they are."""
    absolute = os.path.abspath(path)
    if absolute.startswith(REPOSITORY + os.sep):
        relative = os.path.relpath(absolute, REPOSITORY)
        return relative if os.sep in relative else os.path.join(".", relative)
    return path


def hone_command(args, spec, mode, dtype):
    algorithm = ["--convolution-algorithm", args.convolution_algorithm] if args.convolution_algorithm else []
    return ([display_path(args.hone), "bench", mode] + spec.model_arguments() + ["--dtype", dtype]
            + timing_arguments(args) + algorithm + ["--json"])


def peer_command(args, spec, mode, dtypes):
    return ([args.python, display_path(PEER), "--mode", mode] + spec.model_arguments()
            + ["--dtype", ",".join(dtypes), "--layout", ",".join(args.layouts)] + timing_arguments(args) + ["--json"])


# --------------------------------------------------------------------------- running


def run_json(command, name):
    """Run ``command`` from the repository root; return its JSON-object lines and wall seconds. Exits on failure."""
    print(f"# running {name}: {shlex.join(command)}", file=sys.stderr, flush=True)
    start = time.perf_counter()
    try:
        result = subprocess.run(command, cwd=REPOSITORY, stdout=subprocess.PIPE, text=True)
    except OSError as error:
        raise SystemExit(f"{name} could not be started ({error}): {shlex.join(command)}")
    wall = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"{name} failed (exit status {result.returncode}): {shlex.join(command)}")
    records = []
    for line in result.stdout.splitlines():
        line = line.strip()
        if line.startswith("{"):
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError:
                print(f"# {name}: ignoring unparsable line: {line}", file=sys.stderr)
    if not any("images_per_second" in record for record in records):
        raise SystemExit(f"{name} printed no JSON object with images_per_second: {shlex.join(command)}")
    print(f"# {name} took {wall:.1f} s", file=sys.stderr, flush=True)
    return [record for record in records if "images_per_second" in record], wall


def python_has_torch(python):
    """(True, version) if ``python`` imports torch, else (False, the reason)."""
    try:
        result = subprocess.run([python, "-c", "import torch; print(torch.__version__)"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    except OSError as error:
        return False, str(error)
    if result.returncode == 0:
        return True, result.stdout.strip()
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    return False, lines[-1] if lines else f"exit status {result.returncode}"


# --------------------------------------------------------------------------- summarising


def median_record(records):
    """One record from a side's repeats: the median of every numeric figure, the rest from the first."""
    if len(records) == 1:
        return dict(records[0])
    merged = dict(records[0])
    for key, value in records[0].items():
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            values = [r[key] for r in records if isinstance(r.get(key), (int, float))]
            merged[key] = statistics.median(values)
    merged["repeats"] = len(records)
    return merged


def describe_machine():
    """CPU model, logical CPUs, physical cores and the vector ISA flags that matter, from /proc/cpuinfo."""
    model, cores, flags = None, set(), set()
    package = None
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                key, _, value = (part.strip() for part in line.partition(":"))
                if key == "model name" and model is None:
                    model = value
                elif key == "physical id":
                    package = value
                elif key == "core id":
                    cores.add((package, value))
                elif key == "flags" and not flags:
                    flags = set(value.split())
    except OSError:
        pass
    isa = [f for f in ("avx2", "avx512f", "avx512_bf16", "amx_bf16", "amx_tile") if f in flags]
    text = f"{model or platform.processor() or 'unknown CPU'}, {os.cpu_count()} logical CPUs"
    if cores:
        text += f" ({len(cores)} cores)"
    if isa:
        text += "; " + ", ".join(isa)
    return text


def hone_commit():
    try:
        commit = subprocess.run(["git", "-C", REPOSITORY, "rev-parse", "--short", "HEAD"],
                                capture_output=True, text=True, check=True).stdout.strip()
        changed = subprocess.run(["git", "-C", REPOSITORY, "status", "--porcelain", "--untracked-files=no"],
                                 capture_output=True, text=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    return commit + (" (with uncommitted changes)" if changed else "")


def config_name(record):
    return f"{record['dtype']} {record['layout']}"


def percent(value, ceiling):
    return None if value is None or not ceiling else 100 * value / ceiling


# --------------------------------------------------------------------------- formatting


def number(value, digits=1):
    return "—" if value is None else f"{value:.{digits}f}"


def ratio(a, b):
    return None if a is None or b is None or b == 0 else a / b


def mib(value):
    return None if value is None else value / 2**20


def text_table(header, rows, right):
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows)]

    def line(cells):
        return "  ".join(str(c).rjust(w) if i in right else str(c).ljust(w)
                         for i, (c, w) in enumerate(zip(cells, widths))).rstrip()

    return "\n".join([line(header), "  ".join("-" * w for w in widths)] + [line(row) for row in rows])


def markdown_table(header, rows, right):
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---:" if i in right else "---" for i in range(len(header))) + "|"]
    return "\n".join(lines + ["| " + " | ".join(str(c) for c in row) + " |" for row in rows])


# --------------------------------------------------------------------------- main


def parse_subset(text, allowed, flag, parser):
    values = list(OrderedDict.fromkeys(v.strip() for v in text.split(",") if v.strip()))
    if not values or any(v not in allowed for v in values):
        parser.error(f"{flag}: expected a comma-separated subset of {','.join(allowed)}")
    return values


def main():
    parser = argparse.ArgumentParser(
        description="Run hone bench train|infer and the PyTorch peer with the same settings and compare them."
    )
    parser.add_argument("--mode", choices=("train", "infer", "both"), default="train", help="which step (default: train)")
    parser.add_argument("--models", default="resnet50:224:32",
                        help="comma list of MODEL[:SIZE[:BATCH]] or fashion[:SIZE[:BATCH]] (default: resnet50:224:32)")
    parser.add_argument("--dtypes", default="f32,bf16", help="comma subset of f32,bf16 (default: both)")
    parser.add_argument("--layouts", default="nchw,channels_last",
                        help="the peer's layouts to try, comma subset of nchw,channels_last (default: both)")
    parser.add_argument("--threads", type=int, default=2, help="threads for both (default: 2)")
    parser.add_argument("--convolution-algorithm", choices=["direct", "auto"],
                        help="Hone's convolution algorithm (auto: Winograd for f32 3x3 stride-1 where oneDNN expects a "
                             "win); Hone's default when absent")
    parser.add_argument("--warmup", type=int, default=3, help="untimed steps before timing (default: 3)")
    parser.add_argument("--steps", type=int, default=10, help="timed steps, median reported (default: 10)")
    parser.add_argument("--repeat", type=int, default=1, help="run each side N times alternately, report medians (default: 1)")
    parser.add_argument("--bf16-ceiling-gflops", type=float, default=None, metavar="G",
                        help="the machine's bf16 limit in GFLOP/s, to show bf16 rows as a percentage of it")
    parser.add_argument("--hone", default=DEFAULT_HONE, help="the hone executable (default: .build/release/hone)")
    parser.add_argument("--python", default="/usr/bin/python3", help="interpreter with torch for the peer (default: /usr/bin/python3)")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown section for BENCHMARKS.md")
    parser.add_argument("--json", action="store_true", help="print the compared rows as JSON lines instead of a table")
    args = parser.parse_args()
    if min(args.threads, args.steps, args.repeat) < 1 or args.warmup < 0:
        parser.error("--threads, --steps and --repeat must be positive, --warmup not negative")
    if args.bf16_ceiling_gflops is not None and args.bf16_ceiling_gflops <= 0:
        parser.error("--bf16-ceiling-gflops must be positive")
    dtypes = parse_subset(args.dtypes, DTYPES, "--dtypes", parser)
    args.layouts = parse_subset(args.layouts, LAYOUTS, "--layouts", parser)
    try:
        specs = [Spec(text.strip()) for text in args.models.split(",") if text.strip()]
    except ValueError as error:
        parser.error(str(error))
    if not specs:
        parser.error("--models: no model spec given")
    modes = ["train", "infer"] if args.mode == "both" else [args.mode]
    if not os.access(args.hone, os.X_OK):
        raise SystemExit(f"{args.hone} not found or not executable; build it with `swift build -c release --product hone`")

    have_torch, torch_detail = python_has_torch(args.python)
    if not have_torch:
        print(f"# {args.python} cannot import torch ({torch_detail}); Hone only", file=sys.stderr)
    started = datetime.datetime.now(datetime.timezone.utc)

    # Sequentially, Hone first, then the peer; with --repeat, alternately.
    hone_runs, peer_runs = OrderedDict(), OrderedDict()  # (mode, spec index, dtype[, layout]) -> [records]
    commands, walls = [], {"hone": 0.0, "pytorch": 0.0}
    for mode in modes:
        for index, spec in enumerate(specs):
            for repeat in range(args.repeat):
                for dtype in dtypes:
                    command = hone_command(args, spec, mode, dtype)
                    records, wall = run_json(command, "hone")
                    record = dict(records[-1])
                    record.setdefault("dtype", dtype)
                    hone_runs.setdefault((mode, index, dtype), []).append(record)
                    walls["hone"] += wall
                    if repeat == 0:
                        commands.append(command)
                if have_torch:
                    command = peer_command(args, spec, mode, dtypes)
                    records, wall = run_json(command, "pytorch")
                    for record in records:
                        peer_runs.setdefault((mode, index, record["dtype"], record["layout"]), []).append(record)
                    walls["pytorch"] += wall
                    if repeat == 0:
                        commands.append(command)

    hone = {key: median_record(records) for key, records in hone_runs.items()}
    peer = {key: median_record(records) for key, records in peer_runs.items()}

    rows, notes, torch_version = [], [], None
    for record in peer.values():
        torch_version = torch_version or record.get("torch_version")
    for mode in modes:
        for index, spec in enumerate(specs):
            groups = [(dtype, [dtype]) for dtype in dtypes] + ([("best", dtypes)] if len(dtypes) > 1 else [])
            for group, group_dtypes in groups:
                hone_candidates = [hone[(mode, index, d)] for d in group_dtypes if (mode, index, d) in hone]
                peer_candidates = [peer[(mode, index, d, l)] for d in group_dtypes for l in args.layouts
                                   if (mode, index, d, l) in peer]
                h = max(hone_candidates, key=lambda r: r["images_per_second"], default=None)
                p = max(peer_candidates, key=lambda r: r["images_per_second"], default=None)
                ceiling = h.get("ceiling_gflops") if h else None
                hone_percent = h.get("percent_of_ceiling", percent(h.get("gflops"), ceiling)) if h else None
                rows.append(OrderedDict([
                    ("mode", mode), ("model", spec.label), ("spec", spec.name), ("size", spec.size),
                    ("batch", spec.batch), ("dtype", group),
                    ("hone_dtype", h["dtype"] if h else None),
                    ("hone_images_per_second", h["images_per_second"] if h else None),
                    ("pytorch_images_per_second", p["images_per_second"] if p else None),
                    ("pytorch_config", config_name(p) if p else None),
                    ("hone_over_pytorch", ratio(h and h["images_per_second"], p and p["images_per_second"])),
                    ("hone_gflops", h.get("gflops") if h else None),
                    ("pytorch_gflops", p.get("gflops") if p else None),
                    ("ceiling_gflops", ceiling),
                    ("hone_percent_of_ceiling", hone_percent),
                    ("hone_percent_of_bf16_limit",
                     percent(h.get("gflops"), args.bf16_ceiling_gflops) if h and h["dtype"] == "bf16" else None),
                    ("hone_peak_rss_bytes", h.get("peak_rss_bytes") if h else None),
                    ("pytorch_peak_rss_bytes", p.get("peak_rss_bytes") if p else None),
                    ("rss_hone_over_pytorch", ratio(h and h.get("peak_rss_bytes"), p and p.get("peak_rss_bytes"))),
                    ("hone_macs_per_image", h.get("macs_per_image") if h else None),
                    ("pytorch_macs_per_image", p.get("macs_per_image") if p else None),
                ]))
                hm, pm = rows[-1]["hone_macs_per_image"], rows[-1]["pytorch_macs_per_image"]
                if hm and pm and abs(hm / pm - 1) > 1e-6 and group == dtypes[0]:
                    notes.append(f"MAC counts differ for {mode} {spec.label}: Hone {hm:,.0f}, PyTorch {pm:,.0f} per image; "
                                 "the GFLOP/s columns are not comparable.")

    if args.json:
        for row in rows:
            print(json.dumps(row))
        return

    show_limit = args.bf16_ceiling_gflops is not None and "bf16" in dtypes
    header = ["mode", "model", "dtype", "Hone img/s", "PyTorch img/s", "PyTorch config", "Hone/PyTorch",
              "Hone GFLOP/s", "Hone % of SGEMM"] + (["Hone % of bf16 limit"] if show_limit else []) \
        + ["Hone RSS MiB", "PyTorch RSS MiB", "RSS Hone/PyTorch"]
    table = []
    for row in rows:
        dtype = row["dtype"] if row["dtype"] != "best" else f"best ({row['hone_dtype'] or '—'})"
        cells = [row["mode"], row["model"], dtype, number(row["hone_images_per_second"], 2),
                 number(row["pytorch_images_per_second"], 2), row["pytorch_config"] or "—",
                 number(row["hone_over_pytorch"], 2), number(row["hone_gflops"]),
                 "—" if row["hone_percent_of_ceiling"] is None else f"{row['hone_percent_of_ceiling']:.0f} %"]
        if show_limit:
            cells.append("—" if row["hone_percent_of_bf16_limit"] is None else f"{row['hone_percent_of_bf16_limit']:.0f} %")
        cells += [number(mib(row["hone_peak_rss_bytes"]), 0), number(mib(row["pytorch_peak_rss_bytes"]), 0),
                  number(row["rss_hone_over_pytorch"], 2)]
        table.append(cells)
    right = set(range(3, len(header))) - {5}

    config_header = ["mode", "model", "PyTorch config", "img/s", "ms/step", "GFLOP/s", "RSS MiB"]
    config_rows = []
    for (mode, index, dtype, layout), record in peer.items():
        config_rows.append([mode, specs[index].label, f"{dtype} {layout}", number(record["images_per_second"], 2),
                            number(1000 * record["step_seconds_median"]), number(record.get("gflops")),
                            number(mib(record.get("peak_rss_bytes")), 0)])

    ceilings = sorted({round(r["ceiling_gflops"], 1) for r in rows if r["ceiling_gflops"]})
    ceiling_text = (", ".join(f"{c:.1f}" for c in ceilings) + " GFLOP/s") if ceilings else "not reported"
    settings = (f"{args.threads} thread{'s' if args.threads != 1 else ''}, {args.warmup} warm-up + {args.steps} timed steps "
                f"(median step), dtypes {','.join(dtypes)}, PyTorch layouts {','.join(args.layouts)}"
                + (f", each side run {args.repeat}× alternately (medians)" if args.repeat > 1 else ""))
    footnotes = [
        "Hone/PyTorch > 1: Hone is faster. PyTorch config: its fastest layout at that dtype; the \"best\" row compares "
        "Hone's fastest dtype with PyTorch's fastest configuration over all it ran.",
        "Training step: forward, cross-entropy, backward, SGD (momentum 0.9) update; PyTorch bf16 is "
        "torch.autocast(\"cpu\", bfloat16) with float32 master weights. Inference: forward only (eval mode).",
        "GFLOP/s = img/s × 2 × forward MACs per image (convolutions and the classifier only) × (3 training, 1 inference) / 1e9.",
        "Hone % of SGEMM: of the float32 oneDNN SGEMM ceiling Hone measured in the same process, so bf16 may exceed 100 %."
        + (f" bf16 limit: {args.bf16_ceiling_gflops:.1f} GFLOP/s (given with --bf16-ceiling-gflops)." if show_limit else ""),
        "Peak RSS: each process's getrusage maximum resident set size; each PyTorch configuration ran in its own process.",
    ] + notes
    if any(spec.name == "fashion" for spec in specs):
        footnotes.append("fashion: the Fashion-MNIST model, resnet18 with the small-image stem (3x3 stride-1 convolution, "
                         "no max pool), width 0.25, 1 input channel, 10 classes.")
    if not have_torch:
        footnotes.insert(0, f"PyTorch could not be run: {args.python} cannot import torch ({torch_detail}). Only Hone's "
                            "figures are shown; install python3-torch (Debian) to compare.")
    machine = describe_machine()
    revision = hone_commit()
    versions = (f"Hone {revision or '(unknown revision)'}; "
                + (f"PyTorch {torch_version or torch_detail}" if have_torch else "PyTorch not run"))
    durations = f"Hone {walls['hone']:.1f} s" + (f", PyTorch {walls['pytorch']:.1f} s" if have_torch else "")
    command_lines = [shlex.join(command) for command in commands]
    order = "one after the other, Hone first" + (f"; each repeated {args.repeat}× alternately" if args.repeat > 1 else "")

    if args.markdown:
        out = [f"## Training steps: Hone vs PyTorch ({started:%Y-%m-%d})", ""]
        out += [f"* Machine: {machine}", f"* Settings: {settings}",
                f"* SGEMM ceiling (oneDNN, float32, measured by Hone in the same run): {ceiling_text}",
                f"* Versions: {versions}", f"* Date: {started:%Y-%m-%d %H:%M} UTC; wall time {durations}", ""]
        if not have_torch:
            out += [f"> **Note:** {footnotes[0]}", ""]
        out += [markdown_table(header, table, right), ""]
        if config_rows:
            out += ["PyTorch, every configuration:", "", markdown_table(config_header, config_rows, {3, 4, 5, 6}), ""]
        for note in footnotes[(0 if have_torch else 1):]:
            out += [note, ""]
        out += [f"Commands (from the repository root, {order}):", "", "```sh"] + command_lines + ["```"]
        print("\n".join(out))
        return

    out = [f"Training steps: Hone vs PyTorch — {settings}", ""]
    if not have_torch:
        out += ["NOTE: " + footnotes[0], ""]
    out += [text_table(header, table, right), ""]
    if config_rows:
        out += ["PyTorch, every configuration:", "", text_table(config_header, config_rows, {3, 4, 5, 6}), ""]
    out += footnotes[(0 if have_torch else 1):]
    out += ["", f"SGEMM ceiling: {ceiling_text} (oneDNN, float32, measured by Hone in the same run)",
            f"Machine: {machine}; {args.threads} thread{'s' if args.threads != 1 else ''} used",
            f"Versions: {versions}", f"Date: {started:%Y-%m-%d %H:%M:%S} UTC; wall time {durations}",
            f"Commands (from the repository root, {order}):"]
    out += ["  " + line for line in command_lines]
    print("\n".join(out))


if __name__ == "__main__":
    main()
