#!/usr/bin/python3
"""PyTorch CPU speed peer for Hone's training- and inference-step benchmark.

Builds the ResNet that a Hone model id names (resnet18 ... resnet152, the
``c`` variants with the deep stem and the ``d`` variants with the deep stem and
average-pool shortcuts; same layers, parameter counts and parameter names as
Hone's registry) and times one whole step of it on the CPU:

* ``--mode train`` -- forward, cross-entropy loss (in float32), backward,
  ``torch.optim.SGD(lr=0.1, momentum=0.9, weight_decay=5e-5)`` step and
  ``zero_grad(set_to_none=True)``, the model in training mode (batch norm
  uses batch statistics and updates its running statistics);
* ``--mode infer`` -- ``model.eval()`` and a forward pass under
  ``torch.inference_mode()``.

``--dtype bf16`` is PyTorch's CPU mixed precision: ``torch.autocast("cpu",
dtype=torch.bfloat16)`` around the forward pass and the loss, with float32
master weights and optimizer state. ``--layout channels_last`` (or ``best``,
which means the same: it is PyTorch's fastest CPU layout) converts the model
and the input with ``memory_format=torch.channels_last``; ``nchw`` keeps the
default contiguous layout.

The input is one batch of random normal images and random labels, made once.
After ``--warmup`` untimed steps, each of ``--steps`` steps is timed on its own
with ``time.perf_counter``; the median is reported. The peak resident set
size (``getrusage(RUSAGE_SELF).ru_maxrss``) is read after the timed steps.

FLOPs follow the convention Hone's ``hone bench train|infer`` uses:
``macs_per_image`` is the multiply-accumulates of one forward pass of one
image over the convolutions and the classifier only (a convolution's MACs are
N*K*OH*OW*(C/groups)*R*S; norms, activations, pools and residual additions are
not counted; ResNet-50 at 224: 4.09e9), counted here with forward hooks on one
image, and ``gflops = images_per_second * 2 * macs_per_image * passes / 1e9``
with passes = 3 for training (forward, backward-data, backward-weights) and 1
for inference.

Output: with ``--json`` one JSON object per configuration per line on stdout,
e.g.::

    {"peer": "pytorch", "mode": "train", "model": "resnet50", "size": 224,
     "batch": 32, "dtype": "bf16", "layout": "channels_last", "threads": 2,
     "warmup": 3, "steps": 10, "step_seconds_median": 1.6,
     "images_per_second": 20.0, "gflops": 492.0, "macs_per_image": 4.09e9,
     "peak_rss_bytes": 3123456789, "torch_version": "1.13.0a0", ...}

(the full key list is in ``measure``); without ``--json`` one readable line per
configuration. Progress goes to stderr.

``--dtype`` and ``--layout`` also take comma lists, and ``--all-configs`` is
``--dtype f32,bf16 --layout nchw,channels_last``. Several configurations run
one after the other, each in a fresh child process of this script (so each
peak RSS is that configuration's own); ``--in-process`` runs them in this
process instead (faster to start, but then the peak RSS is the running
maximum so far). ``--flush-denormal`` calls ``torch.set_flush_denormal(True)``
first (off by default, as in PyTorch; the same batch is trained on at every
step, so a long run could otherwise drift into denormal arithmetic).

Run with Debian's Python (torch 1.13, torchvision 0.14) from the repository
root, e.g.::

    /usr/bin/python3 benchmarks/pytorch_peer.py --mode train --model resnet50 --size 224 --batch 32 --dtype bf16
    /usr/bin/python3 benchmarks/pytorch_peer.py --mode infer --model resnet50d --all-configs --json
    /usr/bin/python3 benchmarks/pytorch_peer.py --model resnet18 --stem small-image --width 0.25 \\
        --channels 1 --classes 10 --size 28 --batch 128 --all-configs      # the Fashion-MNIST model
    /usr/bin/python3 benchmarks/pytorch_peer.py --check-params              # parameter counts only
"""

import argparse
import json
import math
import re
import resource
import statistics
import subprocess
import sys
import time
from collections import OrderedDict

import torch
import torch.nn as nn
import torch.nn.functional as F

DTYPES = OrderedDict([("f32", torch.float32), ("bf16", torch.bfloat16)])
LAYOUTS = ("nchw", "channels_last")
STEMS = ("classic", "deep", "small-image")
DEPTHS = OrderedDict([
    # depth: (block, blocks per stage)
    (18, ("basic", (2, 2, 2, 2))),
    (26, ("bottleneck", (2, 2, 2, 2))),
    (34, ("basic", (3, 4, 6, 3))),
    (50, ("bottleneck", (3, 4, 6, 3))),
    (101, ("bottleneck", (3, 4, 23, 3))),
    (152, ("bottleneck", (3, 8, 36, 3))),
])
MODEL_ID = re.compile(r"^resnet(\d+)([cd]?)$")
# Reference parameter counts (1000 classes, 3 input channels, width 1): timm's, which are
# torchvision's for the plain ids, and the ones Hone's ModelRegistryTests check. The c and d
# ids add the deep stem's 19,232 parameters; the average pool that tells d from c has none.
EXPECTED_PARAMETERS = OrderedDict([
    ("resnet18", 11_689_512), ("resnet18d", 11_708_744),
    ("resnet26", 15_995_176), ("resnet26d", 16_014_408),
    ("resnet34", 21_797_672), ("resnet34d", 21_816_904),
    ("resnet50", 25_557_032), ("resnet50c", 25_576_264), ("resnet50d", 25_576_264),
    ("resnet101", 44_549_160), ("resnet101d", 44_568_392),
    ("resnet152", 60_192_808), ("resnet152d", 60_212_040),
])
BN_EPS = 1e-5
BN_MOMENTUM = 0.1


# --------------------------------------------------------------------------- the model


def scaled(channels, width):
    """``channels`` times the width multiplier, rounded half away from zero, at least 1 (Hone's rule)."""
    return max(1, int(math.floor(channels * width + 0.5)))


def model_spec(model_id):
    """(depth, default stem, average-pool shortcuts) for a Hone model id; SystemExit if unknown."""
    match = MODEL_ID.match(model_id)
    if not match or int(match.group(1)) not in DEPTHS:
        ids = ", ".join(f"resnet{d}{s}" for d in DEPTHS for s in ("", "c", "d"))
        raise SystemExit(f"unknown model id {model_id!r}; expected one of {ids}")
    variant = match.group(2)
    return int(match.group(1)), ("deep" if variant else "classic"), variant == "d"


# GroupNorm with this many groups instead of BatchNorm when above 0 (``--norm-groups``, as ``hone bench --norm-groups``).
NORM_GROUPS = 0


def norm(channels):
    if NORM_GROUPS > 0:
        return nn.GroupNorm(NORM_GROUPS, channels, eps=BN_EPS)
    return nn.BatchNorm2d(channels, eps=BN_EPS, momentum=BN_MOMENTUM)


def conv(in_channels, out_channels, kernel, stride=1):
    return nn.Conv2d(in_channels, out_channels, kernel, stride=stride, padding=kernel // 2, bias=False)


def projection(in_channels, out_channels, stride, average_pool):
    """The shortcut of a block that changes resolution or width; None for the identity.

    Plain: ``downsample.0`` strided 1x1 convolution, ``downsample.1`` norm. ResNet-D:
    ``downsample.0`` 2x2 average pool (ceil mode, padding not counted; the identity when
    the stride is 1), ``downsample.1`` stride-1 1x1 convolution, ``downsample.2`` norm.
    """
    if stride == 1 and in_channels == out_channels:
        return None
    if not average_pool:
        return nn.Sequential(conv(in_channels, out_channels, 1, stride), norm(out_channels))
    pool = (
        nn.AvgPool2d(2, stride=stride, ceil_mode=True, count_include_pad=False) if stride > 1 else nn.Identity()
    )
    return nn.Sequential(pool, conv(in_channels, out_channels, 1), norm(out_channels))


class Basic(nn.Module):
    """Two 3x3 convolutions (the first carries the stride), each normed; shortcut; ReLU."""

    expansion = 1

    def __init__(self, in_channels, width, stride, average_pool):
        super().__init__()
        self.conv1 = conv(in_channels, width, 3, stride)
        self.bn1 = norm(width)
        self.conv2 = conv(width, width, 3)
        self.bn2 = norm(width)
        self.relu = nn.ReLU(inplace=True)
        self.downsample = projection(in_channels, width, stride, average_pool)

    def forward(self, x):
        identity = x if self.downsample is None else self.downsample(x)
        y = self.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        return self.relu(y + identity)


class Bottleneck(nn.Module):
    """1x1 reduce, 3x3 (carries the stride: ResNet-B), 1x1 expand by 4, each normed; shortcut; ReLU."""

    expansion = 4

    def __init__(self, in_channels, width, stride, average_pool):
        super().__init__()
        out_channels = width * self.expansion
        self.conv1 = conv(in_channels, width, 1)
        self.bn1 = norm(width)
        self.conv2 = conv(width, width, 3, stride)
        self.bn2 = norm(width)
        self.conv3 = conv(width, out_channels, 1)
        self.bn3 = norm(out_channels)
        self.relu = nn.ReLU(inplace=True)
        self.downsample = projection(in_channels, out_channels, stride, average_pool)

    def forward(self, x):
        identity = x if self.downsample is None else self.downsample(x)
        y = self.relu(self.bn1(self.conv1(x)))
        y = self.relu(self.bn2(self.conv2(y)))
        y = self.bn3(self.conv3(y))
        return self.relu(y + identity)


class ResNet(nn.Module):
    """Stem, four stages, global average pool, linear classifier; parameter names as Hone's (torchvision/timm)."""

    def __init__(self, depth, stem="classic", average_pool=False, width=1.0, channels=3, classes=1000):
        super().__init__()
        block_name, counts = DEPTHS[depth]
        block = Basic if block_name == "basic" else Bottleneck
        stem_channels = scaled(64, width)
        if stem == "classic":
            self.conv1 = nn.Conv2d(channels, stem_channels, 7, stride=2, padding=3, bias=False)
        elif stem == "deep":
            inner = scaled(32, width)
            self.conv1 = nn.Sequential(  # indices as timm's: conv1.0, conv1.1, conv1.3, conv1.4, conv1.6
                conv(channels, inner, 3, 2), norm(inner), nn.ReLU(inplace=True),
                conv(inner, inner, 3), norm(inner), nn.ReLU(inplace=True),
                conv(inner, stem_channels, 3),
            )
        elif stem == "small-image":
            self.conv1 = conv(channels, stem_channels, 3)
        else:
            raise ValueError(f"unknown stem {stem!r}")
        self.bn1 = norm(stem_channels)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.Identity() if stem == "small-image" else nn.MaxPool2d(3, stride=2, padding=1)

        in_channels = stem_channels
        for index, (stage_width, count) in enumerate(zip((64, 128, 256, 512), counts)):
            blocks = []
            for position in range(count):
                stride = 2 if index > 0 and position == 0 else 1
                blocks.append(block(in_channels, scaled(stage_width, width), stride, average_pool))
                in_channels = scaled(stage_width, width) * block.expansion
            setattr(self, f"layer{index + 1}", nn.Sequential(*blocks))
        self.fc = nn.Linear(in_channels, classes)

        for module in self.modules():  # torchvision's initialisation (irrelevant to speed)
            if isinstance(module, nn.Conv2d):
                nn.init.kaiming_normal_(module.weight, mode="fan_out", nonlinearity="relu")

    def forward(self, x):
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))


def build_model(model_id, stem=None, width=1.0, channels=3, classes=1000):
    depth, default_stem, average_pool = model_spec(model_id)
    return ResNet(depth, stem or default_stem, average_pool, width, channels, classes)


def parameter_count(model):
    return sum(p.numel() for p in model.parameters())


def macs_per_image(model, channels, size):
    """Forward MACs of one image over Conv2d and Linear layers only (Hone's convention), via hooks."""
    total = [0]

    def count_conv(module, _inputs, output):
        _, k, oh, ow = output.shape
        r, s = module.kernel_size
        total[0] += k * oh * ow * (module.in_channels // module.groups) * r * s

    def count_linear(module, _inputs, _output):
        total[0] += module.in_features * module.out_features

    handles = []
    for module in model.modules():
        if isinstance(module, nn.Conv2d):
            handles.append(module.register_forward_hook(count_conv))
        elif isinstance(module, nn.Linear):
            handles.append(module.register_forward_hook(count_linear))
    was_training = model.training
    model.eval()  # leave the running statistics alone
    with torch.no_grad():
        model(torch.zeros(1, channels, size, size))
    model.train(was_training)
    for handle in handles:
        handle.remove()
    return total[0]


# --------------------------------------------------------------------------- timing


def measure(args, dtype_name, layout):
    """Build, warm up and time one configuration in this process; returns the JSON record."""
    torch.manual_seed(0)
    model = build_model(args.model, args.stem, args.width, args.channels, args.classes)
    parameters = parameter_count(model)
    macs = macs_per_image(model, args.channels, args.size)
    images = torch.randn(args.batch, args.channels, args.size, args.size)
    labels = torch.randint(0, args.classes, (args.batch,))
    if layout == "channels_last":
        model = model.to(memory_format=torch.channels_last)
        images = images.contiguous(memory_format=torch.channels_last)
    bf16 = dtype_name == "bf16"

    def autocast():
        return torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16)

    last_loss = [None]
    if args.mode == "train":
        model.train()
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=5e-5)

        def step():
            with autocast():
                logits = model(images)
                loss = F.cross_entropy(logits.float(), labels)
            loss.backward()
            optimizer.step()
            optimizer.zero_grad(set_to_none=True)
            last_loss[0] = loss.item()

    else:
        model.eval()

        def step():
            with torch.inference_mode(), autocast():
                model(images)

    print(
        f"# pytorch {args.mode} {args.model} {args.size}px batch {args.batch} {dtype_name} {layout}: "
        f"{args.warmup} warm-up + {args.steps} timed steps, {torch.get_num_threads()} thread(s)"
        + (", denormals flushed" if args.flush_denormal else ""),
        file=sys.stderr,
        flush=True,
    )
    for _ in range(args.warmup):
        step()
    samples = []
    for _ in range(args.steps):
        start = time.perf_counter()
        step()
        samples.append(time.perf_counter() - start)
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux reports KiB

    median = statistics.median(samples)
    images_per_second = args.batch / median
    passes = 3 if args.mode == "train" else 1
    record = OrderedDict([
        ("peer", "pytorch"),
        ("mode", args.mode),
        ("model", args.model),
        ("stem", args.stem or model_spec(args.model)[1]),
        ("width", args.width),
        ("channels", args.channels),
        ("classes", args.classes),
        ("size", args.size),
        ("batch", args.batch),
        ("dtype", dtype_name),
        ("layout", layout),
        ("threads", torch.get_num_threads()),
        ("warmup", args.warmup),
        ("steps", args.steps),
        ("step_seconds_median", median),
        ("step_seconds_min", min(samples)),
        ("step_seconds", samples),
        ("images_per_second", images_per_second),
        ("gflops", images_per_second * 2 * macs * passes / 1e9),
        ("macs_per_image", macs),
        ("parameters", parameters),
        ("peak_rss_bytes", peak_rss),
        ("torch_version", torch.__version__),
        ("mkldnn", torch.backends.mkldnn.is_available()),
        ("flush_denormal", bool(args.flush_denormal)),
    ])
    if last_loss[0] is not None:
        record["final_loss"] = last_loss[0]
    return record


def run_child(args, dtype_name, layout):
    """Measure one configuration in a fresh process of this script (its own peak RSS)."""
    command = [sys.executable, __file__] + child_arguments(args, dtype_name, layout)
    result = subprocess.run(command, stdout=subprocess.PIPE, text=True)
    if result.returncode != 0:
        raise SystemExit(f"configuration {dtype_name} {layout} failed (exit status {result.returncode})")
    for line in reversed(result.stdout.splitlines()):
        if line.startswith("{"):
            return json.loads(line, object_pairs_hook=OrderedDict)
    raise SystemExit(f"configuration {dtype_name} {layout} printed no JSON")


def child_arguments(args, dtype_name, layout):
    arguments = [
        "--mode", args.mode, "--model", args.model, "--size", str(args.size), "--batch", str(args.batch),
        "--dtype", dtype_name, "--layout", layout, "--threads", str(args.threads),
        "--warmup", str(args.warmup), "--steps", str(args.steps), "--channels", str(args.channels),
        "--classes", str(args.classes), "--width", repr(args.width), "--json",
    ]
    if args.flush_denormal:
        arguments.append("--flush-denormal")
    if args.stem:
        arguments += ["--stem", args.stem]
    if args.norm_groups:
        arguments += ["--norm-groups", str(args.norm_groups)]
    return arguments


# --------------------------------------------------------------------------- output


def readable(record):
    text = (
        f"pytorch {record['mode']} {record['model']}"
        + (f" (stem {record['stem']}, width {record['width']:g}, {record['channels']} ch, {record['classes']} classes)"
           if (record["width"], record["channels"], record["classes"]) != (1.0, 3, 1000) else "")
        + f" {record['size']}px batch {record['batch']} {record['dtype']} {record['layout']}, "
        f"{record['threads']} thread{'s' if record['threads'] != 1 else ''}: "
        f"{record['step_seconds_median'] * 1000:.1f} ms/step (median of {record['steps']}), "
        f"{record['images_per_second']:.2f} img/s, {record['gflops']:.1f} GFLOP/s, "
        f"peak RSS {record['peak_rss_bytes'] / 2**20:.0f} MiB"
    )
    if "final_loss" in record:
        text += f", loss {record['final_loss']:.3f}"
    return text


def emit(record, as_json):
    print(json.dumps(record) if as_json else readable(record), flush=True)


def check_parameters(args):
    """Print parameter counts (no forward pass); exit status 1 if a reference count differs."""
    failures = 0
    for model_id, expected in EXPECTED_PARAMETERS.items():
        count = parameter_count(build_model(model_id))
        ok = count == expected
        failures += not ok
        print(f"{model_id:<10} {count:>12,} parameters (expected {expected:,}) {'ok' if ok else 'MISMATCH'}")
    try:
        import torchvision

        for model_id in ("resnet18", "resnet50"):
            ours = {k: tuple(v.shape) for k, v in build_model(model_id).state_dict().items()}
            theirs = {k: tuple(v.shape) for k, v in getattr(torchvision.models, model_id)(weights=None).state_dict().items()}
            ok = ours == theirs
            failures += not ok
            print(f"{model_id:<10} state_dict names and shapes {'equal' if ok else 'DIFFER from'} torchvision's")
    except ImportError:
        print("torchvision not importable: state_dict comparison skipped")
    if (args.model, args.stem, args.width, args.channels, args.classes) != ("resnet50", None, 1.0, 3, 1000):
        model = build_model(args.model, args.stem, args.width, args.channels, args.classes)
        print(
            f"{args.model} stem {args.stem or model_spec(args.model)[1]} width {args.width:g} "
            f"{args.channels} ch {args.classes} classes: {parameter_count(model):,} parameters"
        )
    sys.exit(1 if failures else 0)


def parse_list(text, allowed, flag, aliases=None):
    values = []
    for value in (v.strip() for v in text.split(",")):
        if not value:
            continue
        value = (aliases or {}).get(value, value)
        if value not in allowed:
            raise SystemExit(f"{flag}: expected a comma-separated subset of {', '.join(allowed)}")
        if value not in values:
            values.append(value)
    if not values:
        raise SystemExit(f"{flag}: expected a comma-separated subset of {', '.join(allowed)}")
    return values


def main():
    parser = argparse.ArgumentParser(
        description="Time one ResNet training or inference step in PyTorch on the CPU (Hone's peer)."
    )
    parser.add_argument("--mode", choices=("train", "infer"), default="train", help="what one step is (default: train)")
    parser.add_argument("--model", default="resnet50", help="Hone model id: resnet18/26/34/50/101/152, with c or d (default: resnet50)")
    parser.add_argument("--size", type=int, default=224, help="image size in pixels (default: 224)")
    parser.add_argument("--batch", type=int, default=32, help="batch size (default: 32)")
    parser.add_argument("--dtype", default="f32", help="f32 or bf16 (autocast), or a comma list (default: f32)")
    parser.add_argument("--layout", default="best", help="nchw, channels_last or best (= channels_last), or a comma list (default: best)")
    parser.add_argument("--all-configs", action="store_true", help="all four: f32 and bf16, each nchw and channels_last")
    parser.add_argument("--in-process", action="store_true", help="run several configurations in this process, not one child each")
    parser.add_argument("--threads", type=int, default=2, help="torch.set_num_threads (default: 2)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed steps first (default: 3)")
    parser.add_argument("--steps", type=int, default=10, help="timed steps; the median is reported (default: 10)")
    parser.add_argument("--channels", type=int, default=3, help="input channels (default: 3)")
    parser.add_argument("--classes", type=int, default=1000, help="classifier outputs (default: 1000)")
    parser.add_argument("--stem", choices=STEMS, default=None, help="override the model id's stem (default: the id's)")
    parser.add_argument("--width", type=float, default=1.0, help="channel multiplier, stem included (default: 1.0)")
    parser.add_argument("--norm-groups", type=int, default=0,
                        help="nn.GroupNorm with this many groups instead of BatchNorm2d (default: 0, BatchNorm)")
    parser.add_argument("--flush-denormal", action="store_true",
                        help="torch.set_flush_denormal(True) (off by default, as in PyTorch)")
    parser.add_argument("--json", action="store_true", help="one JSON object per line instead of readable lines")
    parser.add_argument("--check-params", action="store_true", help="print and check parameter counts, then exit (no forward pass)")
    args = parser.parse_args()
    if min(args.size, args.batch, args.threads, args.steps, args.channels, args.classes) < 1 or args.warmup < 0:
        parser.error("--size, --batch, --threads, --steps, --channels and --classes must be positive, --warmup not negative")
    if not (args.width > 0 and math.isfinite(args.width)):
        parser.error("--width must be a positive number")
    model_spec(args.model)  # validates the id
    if args.norm_groups < 0:
        parser.error("--norm-groups must not be negative")
    global NORM_GROUPS
    NORM_GROUPS = args.norm_groups

    torch.set_num_threads(args.threads)
    if args.flush_denormal and not torch.set_flush_denormal(True):
        print("# torch.set_flush_denormal(True) is not supported on this CPU", file=sys.stderr)
    if args.check_params:
        check_parameters(args)

    if args.all_configs:
        dtypes, layouts = list(DTYPES), list(LAYOUTS)
    else:
        dtypes = parse_list(args.dtype, list(DTYPES), "--dtype")
        layouts = parse_list(args.layout, list(LAYOUTS), "--layout", {"best": "channels_last"})
    configurations = [(d, l) for d in dtypes for l in layouts]

    if len(configurations) == 1 or args.in_process:
        for dtype_name, layout in configurations:
            emit(measure(args, dtype_name, layout), args.json)
    else:
        for dtype_name, layout in configurations:
            emit(run_child(args, dtype_name, layout), args.json)


if __name__ == "__main__":
    main()
