#!/usr/bin/python3
"""Hone vs PyTorch on ResNet-50's convolutions, side by side.

Runs ``hone bench convolutions --json`` and then
``benchmarks/pytorch_conv_peer.py`` with the same settings, one after the
other (never in parallel: both use every thread they are given), joins their
JSON lines on ``(layer, dtype, pass)`` and prints

* one row per distinct layer, dtype and pass: how many ResNet-50 layers have
  the shape, Hone's and PyTorch's GFLOP/s and the ratio Hone / PyTorch;
* per (dtype, pass) totals that this script computes itself, over the same
  (layer, dtype, pass) entries for both sides, FLOP-weighted
  (sum of FLOPs x count / sum of seconds x count), with Hone's total as a
  percentage of the SGEMM ceiling Hone measured in the same process. Hone
  never times the stem's backward-data (training never needs the gradient of
  the input image), so it is left out of both sides' totals;
* the SGEMM ceiling, the machine (CPU model, cores, threads), the date and the
  exact commands that were run.

``--markdown`` prints the same as a Markdown section for BENCHMARKS.md (the
totals first, then the per-layer table). When /usr/bin/python3 cannot import
torch and torchvision, only Hone's figures are printed, with a note saying so.

Run from anywhere with Debian's Python (the script itself needs no torch)::

    /usr/bin/python3 benchmarks/compare_convolutions.py                      # full run, a few minutes
    /usr/bin/python3 benchmarks/compare_convolutions.py --layers 3 --repeats 1
    /usr/bin/python3 benchmarks/compare_convolutions.py --markdown > section.md
"""

import argparse
import datetime
import json
import os
import platform
import re
import shlex
import subprocess
import sys
import time
from collections import OrderedDict

REPOSITORY = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PEER = os.path.join(REPOSITORY, "benchmarks", "pytorch_conv_peer.py")
DEFAULT_HONE = os.path.join(REPOSITORY, ".build", "release", "hone")
PASSES = ("forward", "backward-data", "backward-weights")
LAYER_PATTERN = re.compile(
    r"^(\d+)->(\d+) k(\d+)x(\d+) s(\d+)(?:x(\d+))? p(\d+)(?:x(\d+))? (\d+)x(\d+)(?: g(\d+))?(?: d(\d+)(?:x(\d+))?)?$"
)


# --------------------------------------------------------------------------- running


def run_json_lines(command, name):
    """Run ``command``; return (records, stderr text, wall seconds). Exits on failure."""
    print(f"# running {name}: {shlex.join(command)}", file=sys.stderr, flush=True)
    start = time.perf_counter()
    result = subprocess.run(command, cwd=REPOSITORY, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - start
    if result.stderr:
        sys.stderr.write(result.stderr)
    if result.returncode != 0:
        raise SystemExit(f"{name} failed (exit status {result.returncode}): {shlex.join(command)}")
    records = []
    for line in result.stdout.splitlines():
        line = line.strip()
        if not line.startswith("{"):
            continue
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError:
            print(f"# {name}: ignoring unparsable line: {line}", file=sys.stderr)
    print(f"# {name} took {wall:.1f} s", file=sys.stderr, flush=True)
    return records, result.stderr, wall


def torch_importable(python):
    try:
        result = subprocess.run(
            [python, "-c", "import torch, torchvision"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
    except OSError as error:
        return False, str(error)
    if result.returncode == 0:
        return True, ""
    lines = [line for line in result.stderr.strip().splitlines() if line.strip()]
    return False, lines[-1] if lines else f"exit status {result.returncode}"


# --------------------------------------------------------------------------- data


def layer_flops(layer, batch):
    """FLOPs (2 x MACs) of one call of the labelled convolution at ``batch``; None if unparsable."""
    match = LAYER_PATTERN.match(layer)
    if not match:
        return None
    g = match.groups()
    c, k, r, s = int(g[0]), int(g[1]), int(g[2]), int(g[3])
    stride_h = int(g[4])
    stride_w = int(g[5]) if g[5] else stride_h
    pad_h = int(g[6])
    pad_w = int(g[7]) if g[7] else pad_h
    height, width = int(g[8]), int(g[9])
    groups = int(g[10]) if g[10] else 1
    dil_h = int(g[11]) if g[11] else 1
    dil_w = int(g[12]) if g[12] else dil_h
    out_h = (height + 2 * pad_h - dil_h * (r - 1) - 1) // stride_h + 1
    out_w = (width + 2 * pad_w - dil_w * (s - 1) - 1) // stride_w + 1
    return 2 * batch * k * out_h * out_w * (c // groups) * r * s


def is_stem(layer):
    """The first convolution, whose input is the 3-channel image."""
    return layer.startswith("3->")


def per_layer(records):
    """OrderedDict (layer, dtype, pass) -> record, without the total and ceiling lines."""
    table = OrderedDict()
    for record in records:
        if record.get("layer") in ("total", "sgemm-ceiling") or "pass" not in record:
            continue
        table[(record["layer"], record["dtype"], record["pass"])] = record
    return table


def flops_of(record, batch):
    flops = layer_flops(record["layer"], batch)
    if flops is None:  # unknown label: fall back to the printed rate
        flops = record["gflops"] * 1e9 * record["seconds"]
    return flops


def totals(table, keys, batch):
    """(dtype, pass) -> (GFLOP/s, seconds, layer count) over ``keys`` of ``table``."""
    sums = OrderedDict()
    for key in keys:
        record = table[key]
        entry = sums.setdefault((key[1], key[2]), [0.0, 0.0, 0])
        entry[0] += flops_of(record, batch) * record["count"]
        entry[1] += record["seconds"] * record["count"]
        entry[2] += record["count"]
    return OrderedDict(
        (group, (flops / seconds / 1e9 if seconds > 0 else None, seconds, count))
        for group, (flops, seconds, count) in sums.items()
    )


def machine_info():
    model, physical = None, {}
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            physical_id = core_id = None
            flags = set()
            for line in cpuinfo:
                key, _, value = line.partition(":")
                key, value = key.strip(), value.strip()
                if key == "model name" and model is None:
                    model = value
                elif key == "physical id":
                    physical_id = value
                elif key == "core id":
                    core_id = value
                    physical[(physical_id, core_id)] = True
                elif key == "flags" and not flags:
                    flags = set(value.split())
    except OSError:
        flags = set()
    isa = [flag for flag in ("avx2", "avx512f", "avx512_bf16", "amx_bf16", "amx_tile") if flag in flags]
    return {
        "cpu": model or platform.processor() or "unknown",
        "logical": os.cpu_count(),
        "physical": len(physical) or None,
        "isa": isa,
    }


def git_revision():
    try:
        revision = subprocess.run(
            ["git", "-C", REPOSITORY, "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", REPOSITORY, "status", "--porcelain", "--untracked-files=no"], capture_output=True, text=True
        ).stdout.strip()
        return revision + (" (with uncommitted changes)" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return None


# --------------------------------------------------------------------------- formatting


def fmt_rate(value):
    return "—" if value is None else f"{value:.1f}"


def fmt_ratio(hone, torch):
    return "—" if hone is None or torch is None or torch == 0 else f"{hone / torch:.2f}"


def fmt_percent(value, ceiling):
    return "—" if value is None or not ceiling else f"{100 * value / ceiling:.0f} %"


def text_table(header, rows, right):
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows)]

    def line(cells):
        return "  ".join(
            str(cell).rjust(width) if index in right else str(cell).ljust(width)
            for index, (cell, width) in enumerate(zip(cells, widths))
        ).rstrip()

    return "\n".join([line(header), "  ".join("-" * width for width in widths)] + [line(row) for row in rows])


def markdown_table(header, rows, right):
    align = ["---:" if index in right else "---" for index in range(len(header))]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(align) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


# --------------------------------------------------------------------------- main


def main():
    parser = argparse.ArgumentParser(
        description="Run hone bench convolutions and the PyTorch peer with the same settings and compare them."
    )
    parser.add_argument("--threads", type=int, default=2, help="threads for both (default: 2)")
    parser.add_argument("--repeats", type=int, default=3, help="timed repeats per measurement, median reported (default: 3)")
    parser.add_argument("--batch", type=int, default=32, help="batch size (default: 32)")
    parser.add_argument("--size", type=int, default=224, help="image size in pixels (default: 224)")
    parser.add_argument("--layers", type=int, default=None, metavar="N", help="only the first N distinct layers")
    parser.add_argument("--dtypes", default="f32,bf16", help="comma-separated subset of f32,bf16 (default: both)")
    parser.add_argument("--convolution-algorithm", choices=["direct", "auto"],
                        help="Hone's convolution algorithm (auto: Winograd for f32 3x3 stride-1 layers, Hone's own F(2,3) "
                             "on AVX2); the peer always runs PyTorch's default")
    parser.add_argument("--hone", default=DEFAULT_HONE, help="the hone executable (default: .build/release/hone)")
    parser.add_argument("--python", default="/usr/bin/python3", help="interpreter with torch for the peer (default: /usr/bin/python3)")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown section for BENCHMARKS.md")
    args = parser.parse_args()
    if min(args.threads, args.repeats, args.batch, args.size) < 1 or (args.layers is not None and args.layers < 1):
        parser.error("--threads, --repeats, --batch, --size and --layers must be positive")
    dtypes = [d.strip() for d in args.dtypes.split(",") if d.strip()]
    if not dtypes or any(d not in ("f32", "bf16") for d in dtypes):
        parser.error("--dtypes: expected a comma-separated subset of f32,bf16")
    dtypes_text = ",".join(dtypes)
    if not os.access(args.hone, os.X_OK):
        raise SystemExit(f"{args.hone} not found or not executable; build it with `swift build -c release --product hone`")

    started = datetime.datetime.now(datetime.timezone.utc)
    common = ["--threads", str(args.threads), "--repeats", str(args.repeats), "--batch", str(args.batch), "--dtypes", dtypes_text]
    if args.layers is not None:
        common += ["--layers", str(args.layers)]
    # Both run from the repository root; paths inside it are written relative to it, so the
    # commands printed below are exactly what ran and can be pasted there as they are.
    hone_path = os.path.abspath(args.hone)
    if hone_path.startswith(REPOSITORY + os.sep):
        hone_path = os.path.relpath(hone_path, REPOSITORY)
        hone_path = hone_path if os.sep in hone_path else os.path.join(".", hone_path)
    algorithm = ["--convolution-algorithm", args.convolution_algorithm] if args.convolution_algorithm else []
    hone_command = [hone_path, "bench", "convolutions", "--json", "--size", str(args.size)] + common + algorithm
    peer_command = [args.python, os.path.relpath(PEER, REPOSITORY), "--image-size", str(args.size)] + common

    # Sequentially, Hone first: the two must never share the cores.
    hone_records, _, hone_wall = run_json_lines(hone_command, "hone")
    have_torch, torch_problem = torch_importable(args.python)
    torch_records, torch_config, torch_wall = ([], "", None)
    if have_torch:
        torch_records, torch_config, torch_wall = run_json_lines(peer_command, "pytorch")
    else:
        print(f"# {args.python} cannot import torch/torchvision ({torch_problem}); Hone only", file=sys.stderr)

    ceiling = next((r["gflops"] for r in hone_records if r.get("layer") == "sgemm-ceiling"), None)
    hone = per_layer(hone_records)
    torch = per_layer(torch_records)

    # Row order: layers in ResNet-50 order (Hone's, then any only PyTorch printed), dtype, pass.
    layer_order = list(OrderedDict.fromkeys([k[0] for k in hone] + [k[0] for k in torch]))
    keys = [
        (layer, dtype, which)
        for dtype in dtypes
        for layer in layer_order
        for which in PASSES
        if (layer, dtype, which) in hone or (layer, dtype, which) in torch
    ]
    # Totals: only entries both sides measured (so never the stem's backward-data).
    if have_torch:
        shared = [k for k in keys if k in hone and k in torch and not (is_stem(k[0]) and k[2] == "backward-data")]
    else:
        shared = [k for k in keys if k in hone and not (is_stem(k[0]) and k[2] == "backward-data")]
    hone_totals = totals(hone, shared, args.batch)
    torch_totals = totals(torch, shared, args.batch) if have_torch else OrderedDict()
    only_one_side = [k for k in keys if (k in hone) != (k in torch) and not (is_stem(k[0]) and k[2] == "backward-data")]
    counts_differ = [k for k in keys if k in hone and k in torch and hone[k]["count"] != torch[k]["count"]]

    info = machine_info()
    torch_version = None
    match = re.search(r"torch (\S+?),", torch_config or "")
    if match:
        torch_version = match.group(1)

    def rate(table, key):
        return table[key]["gflops"] if key in table else None

    layer_rows = []
    for key in keys:
        record = hone.get(key) or torch.get(key)
        h, t = rate(hone, key), rate(torch, key)
        if is_stem(key[0]) and key[2] == "backward-data" and key not in hone:
            h_text = "n/a¹"
        else:
            h_text = fmt_rate(h)
        layer_rows.append([key[0], key[1], key[2], record["count"], h_text, fmt_rate(t) if have_torch else "—", fmt_ratio(h, t)])

    total_rows = []
    for dtype in dtypes:
        for which in PASSES:
            group = (dtype, which)
            if group not in hone_totals and group not in torch_totals:
                continue
            h = hone_totals.get(group, (None, 0.0, 0))
            t = torch_totals.get(group, (None, 0.0, 0))
            stem_left_out = which == "backward-data" and any(is_stem(layer) for layer in layer_order)
            total_rows.append([
                dtype,
                which + ("¹" if stem_left_out else ""),
                h[2] or t[2],
                fmt_rate(h[0]),
                f"{h[1]:.3f}",
                fmt_rate(t[0]) if have_torch else "—",
                f"{t[1]:.3f}" if have_torch else "—",
                fmt_ratio(h[0], t[0]),
                fmt_percent(h[0], ceiling),
            ])

    layer_header = ["layer", "dtype", "pass", "count", "Hone GFLOP/s", "PyTorch GFLOP/s", "Hone/PyTorch"]
    total_header = ["dtype", "pass", "layers", "Hone GFLOP/s", "Hone s", "PyTorch GFLOP/s", "PyTorch s", "Hone/PyTorch", "Hone % of SGEMM"]

    scope = f"first {args.layers} distinct shape{'s' if args.layers != 1 else ''}" if args.layers is not None else "all distinct shapes"
    config = (
        f"batch {args.batch}, {args.size}×{args.size}, {args.threads} threads, median of {args.repeats} "
        f"repeat{'s' if args.repeats != 1 else ''} after 1 warm-up, {scope} of ResNet-50's convolutions, dtypes {dtypes_text}"
    )
    cores = f"{info['logical']} logical CPUs" + (f" ({info['physical']} cores)" if info["physical"] else "")
    machine = f"{info['cpu']}, {cores}" + (f"; {', '.join(info['isa'])}" if info["isa"] else "")
    revision = git_revision()
    footnotes = [
        "Totals are computed here, not taken from either tool: per (dtype, pass), Σ FLOPs·count / Σ seconds·count "
        "over the (layer, dtype, pass) entries both sides measured; FLOPs = 2·N·K·OH·OW·C·R·S, the same for all three passes.",
        "¹ The stem's backward-data (3->64 k7x7, the gradient of the input image) is left out of both sides' totals: "
        "Hone does not time it because training never computes it."
        + (" PyTorch's figure is still shown per layer." if have_torch else ""),
        "The SGEMM ceiling is f32 (oneDNN SGEMM 3072³, best of 5 in Hone's process, same threads); bf16 totals are given as % of "
        "that same f32 ceiling, so they can exceed 100 % on CPUs with bf16 dot-product instructions.",
    ]
    if not have_torch:
        footnotes.insert(0, f"PyTorch could not be run: {args.python} cannot import torch and torchvision "
                            f"({torch_problem}). Only Hone's figures are shown; install python3-torch and "
                            "python3-torchvision (Debian) to compare.")
    if only_one_side and have_torch:
        footnotes.append("Measured by only one side, so not in the totals: "
                         + "; ".join(f"{l} {d} {p}" for l, d, p in only_one_side) + ".")
    if counts_differ:
        footnotes.append("Counts differ between the two sides for: " + "; ".join(f"{l} {d} {p}" for l, d, p in counts_differ) + ".")
    ceiling_text = f"{ceiling:.1f} GFLOP/s" if ceiling is not None else "not reported"
    commands = [shlex.join(hone_command)] + ([shlex.join(peer_command)] if have_torch else [])
    durations = f"Hone {hone_wall:.1f} s" + (f", PyTorch {torch_wall:.1f} s" if torch_wall is not None else "")

    if args.markdown:
        out = [f"## Convolutions: Hone vs PyTorch ({started:%Y-%m-%d})", ""]
        out += [
            f"* Machine: {machine}",
            f"* Settings: {config}",
            f"* SGEMM ceiling (oneDNN SGEMM 3072³, best of 5, measured by Hone in the same run): {ceiling_text}",
            f"* Hone {revision or ''}".rstrip() + "; " + (f"PyTorch {torch_version}" if torch_version else "PyTorch " + ("(version not reported)" if have_torch else "not run")),
            f"* Date: {started:%Y-%m-%d %H:%M} UTC; wall time {durations}",
            "",
        ]
        if not have_torch:
            out += [f"> **Note:** {footnotes[0]}", ""]
        out += ["### Totals", "", markdown_table(total_header, total_rows, {2, 3, 4, 5, 6, 7, 8}), ""]
        out += ["### Per layer", "", markdown_table(layer_header, layer_rows, {3, 4, 5, 6}), ""]
        for note in footnotes[(0 if have_torch else 1):]:
            out += [note, ""]
        out += ["Commands (from the repository root, one after the other, Hone first):", "", "```sh"] + commands + ["```"]
        print("\n".join(out))
        return

    out = [f"Convolutions: Hone vs PyTorch — {config}", ""]
    if not have_torch:
        out += ["NOTE: " + footnotes[0], ""]
    out += [text_table(layer_header, layer_rows, {3, 4, 5, 6}), ""]
    out += ["Totals (computed here, FLOP-weighted over the same entries for both sides):", ""]
    out += [text_table(total_header, total_rows, {2, 3, 4, 5, 6, 7, 8}), ""]
    out += [note for note in footnotes[(0 if have_torch else 1):]]
    out += [
        "",
        f"SGEMM ceiling: {ceiling_text} (oneDNN SGEMM 3072³, best of 5, {args.threads} threads, measured by Hone in the same run)",
        f"Machine: {machine}; {args.threads} threads used",
        f"Versions: Hone {revision or '(unknown revision)'}; " + (f"PyTorch {torch_version}" if torch_version else "PyTorch " + ("(version not reported)" if have_torch else "not run")),
        f"Date: {started:%Y-%m-%d %H:%M:%S} UTC; wall time {durations}",
        "Commands (from the repository root, one after the other, Hone first):",
    ]
    out += ["  " + command for command in commands]
    print("\n".join(out))


if __name__ == "__main__":
    main()
