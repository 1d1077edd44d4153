#!/usr/bin/python3
"""PyTorch CPU speed peer for Hone's convolution benchmark.

Enumerates every distinct convolution shape of torchvision's ResNet-50 at
224x224 (captured with forward hooks and deduplicated by input channels,
output channels, kernel, stride, padding, dilation, groups and input size,
counting how often each shape occurs), then times each one in PyTorch on the
CPU at the requested batch size, separately for

* ``forward``          -- y = conv(x, w)
* ``backward-data``    -- dL/dx from dL/dy (``aten::convolution_backward``
                          with output_mask = [True, False, False])
* ``backward-weights`` -- dL/dw from dL/dy and x (output_mask =
                          [False, True, False])

in float32 and bfloat16 (bf16 tensors directly, no autocast), all tensors in
channels_last memory format (PyTorch's fastest CPU layout, via oneDNN). Each
measurement is one warm-up call followed by the median of ``--repeats`` timed
calls.

Output is one JSON object per line on stdout, the same shape that
``hone bench convolutions`` prints::

    {"layer": "64->256 k1x1 s1 p0 56x56", "dtype": "f32", "pass": "forward",
     "gflops": 123.4, "seconds": 0.0123, "count": 3}

``layer`` is "<in>-><out> k<R>x<S> s<stride> p<padding> <H>x<W>" (with
" g<groups>" / " d<dilation>" appended when not 1; H x W is the input size),
``seconds`` is the median time of one call, ``gflops`` = FLOPs / seconds / 1e9
with FLOPs = 2 * N * K * OH * OW * (C / groups) * R * S (the same count for
all three passes), and ``count`` is how many ResNet-50 layers have that shape.
After the per-layer lines comes one line per (dtype, pass) with
``"layer": "total"``: ``seconds`` is the count-weighted sum of the times (the
time all selected ResNet-50 conv layers would take), ``gflops`` the
count-weighted FLOPs divided by that time and ``count`` the number of layers.
Progress and configuration go to stderr.

Run with Debian's Python (torch 1.13, torchvision 0.14) from the repository
root, e.g.::

    /usr/bin/python3 benchmarks/pytorch_conv_peer.py                # full run
    /usr/bin/python3 benchmarks/pytorch_conv_peer.py --layers 3 --repeats 1
    /usr/bin/python3 benchmarks/pytorch_conv_peer.py --list         # shapes only
"""

import argparse
import json
import statistics
import sys
import time
from collections import OrderedDict
from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision

DTYPES = OrderedDict([("f32", torch.float32), ("bf16", torch.bfloat16)])
PASSES = ("forward", "backward-data", "backward-weights")


@dataclass(frozen=True)
class ConvShape:
    in_channels: int
    out_channels: int
    kernel: tuple
    stride: tuple
    padding: tuple
    dilation: tuple
    groups: int
    height: int
    width: int

    @property
    def output_size(self):
        def out(size, k, s, p, d):
            return (size + 2 * p - d * (k - 1) - 1) // s + 1

        return (
            out(self.height, self.kernel[0], self.stride[0], self.padding[0], self.dilation[0]),
            out(self.width, self.kernel[1], self.stride[1], self.padding[1], self.dilation[1]),
        )

    def flops(self, batch):
        out_h, out_w = self.output_size
        macs = (
            batch
            * self.out_channels
            * out_h
            * out_w
            * (self.in_channels // self.groups)
            * self.kernel[0]
            * self.kernel[1]
        )
        return 2 * macs

    @property
    def name(self):
        def pair(values):
            return str(values[0]) if values[0] == values[1] else f"{values[0]}x{values[1]}"

        text = (
            f"{self.in_channels}->{self.out_channels} k{self.kernel[0]}x{self.kernel[1]} "
            f"s{pair(self.stride)} p{pair(self.padding)} {self.height}x{self.width}"
        )
        if self.groups != 1:
            text += f" g{self.groups}"
        if self.dilation != (1, 1):
            text += f" d{pair(self.dilation)}"
        return text


def resnet50_conv_shapes(image_size=224):
    """Distinct Conv2d shapes of ResNet-50, in first-use order, with counts."""
    model = torchvision.models.resnet50(weights=None).eval()
    counts = OrderedDict()

    def record(module, inputs, _output):
        _, _, height, width = inputs[0].shape
        shape = ConvShape(
            module.in_channels,
            module.out_channels,
            tuple(module.kernel_size),
            tuple(module.stride),
            tuple(module.padding),
            tuple(module.dilation),
            module.groups,
            height,
            width,
        )
        counts[shape] = counts.get(shape, 0) + 1

    handles = [m.register_forward_hook(record) for m in model.modules() if isinstance(m, nn.Conv2d)]
    with torch.no_grad():
        model(torch.zeros(1, 3, image_size, image_size))  # spatial sizes do not depend on batch
    for handle in handles:
        handle.remove()
    return counts


def make_operation(shape, batch, dtype, which, generator):
    """A zero-argument callable that performs exactly one pass for ``shape``."""

    def random(*size):
        tensor = torch.randn(*size, generator=generator).to(dtype)
        return tensor.contiguous(memory_format=torch.channels_last)

    out_h, out_w = shape.output_size
    x = random(batch, shape.in_channels, shape.height, shape.width)
    w = random(shape.out_channels, shape.in_channels // shape.groups, *shape.kernel)
    conv_args = (list(shape.stride), list(shape.padding), list(shape.dilation))

    if which == "forward":
        return lambda: F.conv2d(x, w, None, *conv_args, shape.groups)

    grad_output = random(batch, shape.out_channels, out_h, out_w)
    mask = [True, False, False] if which == "backward-data" else [False, True, False]

    def backward():
        return torch.ops.aten.convolution_backward(
            grad_output, x, w, None, *conv_args, False, [0, 0], shape.groups, mask
        )

    return backward


def time_operation(operation, repeats):
    """One warm-up call, then the median wall time of ``repeats`` calls."""
    with torch.no_grad():
        operation()
        samples = []
        for _ in range(repeats):
            start = time.perf_counter()
            operation()
            samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def parse_selection(text, available):
    """Parse "0,3,7-9" into sorted, 0-based indices into the distinct shapes."""
    indices = set()
    for part in filter(None, (piece.strip() for piece in text.split(","))):
        if "-" in part:
            first, last = (int(value) for value in part.split("-", 1))
            indices.update(range(first, last + 1))
        else:
            indices.add(int(part))
    bad = [index for index in indices if not 0 <= index < available]
    if bad:
        raise SystemExit(f"--select: indices {sorted(bad)} out of range 0..{available - 1}")
    return sorted(indices)


def parse_list(text, allowed, flag):
    values = [value.strip() for value in text.split(",") if value.strip()]
    unknown = [value for value in values if value not in allowed]
    if unknown or not values:
        raise SystemExit(f"{flag}: expected a comma-separated subset of {', '.join(allowed)}")
    return values


def emit(record):
    print(json.dumps(record), flush=True)


def main():
    parser = argparse.ArgumentParser(
        description="Time ResNet-50's convolution shapes in PyTorch (CPU) and print JSON lines."
    )
    parser.add_argument("--threads", type=int, default=2, help="torch.set_num_threads (default: 2)")
    parser.add_argument("--repeats", type=int, default=3, help="timed repeats per measurement; the median is reported (default: 3)")
    parser.add_argument("--batch", type=int, default=32, help="batch size N (default: 32)")
    parser.add_argument("--image-size", type=int, default=224, help="input resolution (default: 224)")
    parser.add_argument("--layers", type=int, default=None, metavar="K", help="only the first K distinct shapes")
    parser.add_argument("--select", default=None, metavar="LIST", help='only these distinct-shape indices, e.g. "0,3,7-9"')
    parser.add_argument("--dtypes", default="f32,bf16", help="comma-separated subset of f32,bf16 (default: both)")
    parser.add_argument("--passes", default=",".join(PASSES), help=f"comma-separated subset of {','.join(PASSES)} (default: all)")
    parser.add_argument("--list", action="store_true", help="print the distinct shapes with their indices and counts, then exit")
    args = parser.parse_args()
    if args.repeats < 1 or args.threads < 1 or args.batch < 1:
        parser.error("--repeats, --threads and --batch must be positive")

    torch.set_num_threads(args.threads)
    dtypes = parse_list(args.dtypes, list(DTYPES), "--dtypes")
    passes = parse_list(args.passes, list(PASSES), "--passes")

    counts = resnet50_conv_shapes(args.image_size)
    shapes = list(counts)
    if args.list:
        for index, shape in enumerate(shapes):
            emit({"index": index, "layer": shape.name, "count": counts[shape], "gflop": shape.flops(args.batch) / 1e9})
        return

    if args.select is not None:
        shapes = [shapes[index] for index in parse_selection(args.select, len(shapes))]
    if args.layers is not None:
        shapes = shapes[: args.layers]

    print(
        f"# torch {torch.__version__}, threads {torch.get_num_threads()}, batch {args.batch}, "
        f"repeats {args.repeats}, {len(shapes)} of {len(counts)} distinct shapes "
        f"({sum(counts[s] for s in shapes)} of {sum(counts.values())} conv layers), "
        f"mkldnn {torch.backends.mkldnn.is_available()}",
        file=sys.stderr,
    )

    generator = torch.Generator().manual_seed(0)
    totals = OrderedDict(((d, p), [0.0, 0.0]) for d in dtypes for p in passes)  # [flops, seconds]
    for shape in shapes:
        flops = shape.flops(args.batch)
        for dtype_name in dtypes:
            for which in passes:
                operation = make_operation(shape, args.batch, DTYPES[dtype_name], which, generator)
                seconds = time_operation(operation, args.repeats)
                del operation
                emit(
                    {
                        "layer": shape.name,
                        "dtype": dtype_name,
                        "pass": which,
                        "gflops": flops / seconds / 1e9,
                        "seconds": seconds,
                        "count": counts[shape],
                    }
                )
                totals[(dtype_name, which)][0] += counts[shape] * flops
                totals[(dtype_name, which)][1] += counts[shape] * seconds

    layer_count = sum(counts[shape] for shape in shapes)
    for (dtype_name, which), (flops, seconds) in totals.items():
        emit(
            {
                "layer": "total",
                "dtype": dtype_name,
                "pass": which,
                "gflops": flops / seconds / 1e9 if seconds > 0 else 0.0,
                "seconds": seconds,
                "count": layer_count,
            }
        )


if __name__ == "__main__":
    main()
