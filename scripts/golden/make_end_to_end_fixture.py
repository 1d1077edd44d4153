#!/usr/bin/python3
"""Generate the golden fixtures that Hone's EndToEndTests compare against.

Produces two files (overwriting them):

* ``Tests/EndToEndTests/Fixtures/end_to_end.safetensors`` -- a tiny
  ResNet-style network (stem, one stride-2 ResNet-D BasicBlock, one grouped /
  dilated identity BasicBlock, global average pool, linear head) with its
  parameters and buffers before a training step, a batch of inputs and labels,
  and the PyTorch reference for one training-mode forward/backward pass:
  logits, label-smoothed cross-entropy loss, every parameter gradient and the
  updated BatchNorm running statistics; plus the eval-mode logits of the
  original weights.
* ``Tests/EndToEndTests/Fixtures/losses.safetensors`` -- logits, hard labels
  and mixup-style soft targets with the values and logit-gradients of
  cross-entropy (hard, label-smoothed, soft targets) and binary cross-entropy
  with logits (soft and one-hot targets).

All inputs and parameters are drawn as float32 from a fixed seed and stored
as float32; every reference value is computed in float64 from those exact
float32 values and then rounded to float32. Running the script twice gives
byte-identical files (for a given PyTorch version, which is recorded in the
metadata).

The ``safetensors`` package is not needed: the format is written (and read
back for a round-trip check) with ``struct`` and ``json``.

PyTorch is only needed to regenerate the fixtures, never by Hone or its tests.
Run from the repository root with Debian's Python, which has torch 1.13::

    /usr/bin/python3 scripts/golden/make_end_to_end_fixture.py
"""

import argparse
import json
import struct
from collections import OrderedDict
from pathlib import Path

import torch
import torch.nn as nn
import torch.nn.functional as F

GENERATOR_PATH = "scripts/golden/make_end_to_end_fixture.py"
REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_OUTPUT_DIR = REPO_ROOT / "Tests" / "EndToEndTests" / "Fixtures"

SEED = 20240229
BATCH = 4
IMAGE_SIZE = 13
NUM_CLASSES = 10
LABEL_SMOOTHING = 0.1

# ---------------------------------------------------------------------------
# Minimal safetensors writer / reader
# ---------------------------------------------------------------------------

_DTYPE_TO_CODE = {torch.float32: "F32", torch.int64: "I64"}
_CODE_TO_DTYPE = {code: dtype for dtype, code in _DTYPE_TO_CODE.items()}
_CODE_TO_ITEMSIZE = {"F32": 4, "I64": 8}


def _tensor_bytes(tensor):
    """Little-endian raw bytes of a contiguous CPU float32/int64 tensor."""
    array = tensor.detach().cpu().contiguous().numpy()
    return array.astype(array.dtype.newbyteorder("<"), copy=False).tobytes()


def write_safetensors(path, tensors, metadata):
    """Write ``tensors`` (name -> float32/int64 tensor) to ``path``.

    Tensors are laid out in sorted name order; the JSON header is padded with
    spaces so that the data section starts at an 8-byte aligned offset.
    """
    header = {"__metadata__": dict(metadata)}
    chunks = []
    offset = 0
    for name in sorted(tensors):
        tensor = tensors[name]
        if tensor.dtype not in _DTYPE_TO_CODE:
            raise TypeError(f"{name}: unsupported dtype {tensor.dtype}")
        data = _tensor_bytes(tensor)
        header[name] = {
            "dtype": _DTYPE_TO_CODE[tensor.dtype],
            "shape": list(tensor.shape),
            "data_offsets": [offset, offset + len(data)],
        }
        chunks.append(data)
        offset += len(data)

    header_bytes = json.dumps(header, separators=(",", ":")).encode("utf-8")
    header_bytes += b" " * (-(8 + len(header_bytes)) % 8)
    with open(path, "wb") as handle:
        handle.write(struct.pack("<Q", len(header_bytes)))
        handle.write(header_bytes)
        for chunk in chunks:
            handle.write(chunk)


def read_safetensors(path):
    """Read a file written by :func:`write_safetensors`.

    Returns ``(tensors, metadata)`` with tensors as an ordered dict in file
    order.
    """
    raw = Path(path).read_bytes()
    (header_length,) = struct.unpack_from("<Q", raw, 0)
    header = json.loads(raw[8 : 8 + header_length].decode("utf-8"))
    data = raw[8 + header_length :]
    metadata = header.pop("__metadata__", {})
    tensors = OrderedDict()
    end_of_previous = 0
    for name, entry in sorted(header.items(), key=lambda item: item[1]["data_offsets"]):
        begin, end = entry["data_offsets"]
        code = entry["dtype"]
        count = 1
        for dim in entry["shape"]:
            count *= dim
        assert begin == end_of_previous, f"{name}: gap or overlap in data section"
        assert end - begin == count * _CODE_TO_ITEMSIZE[code], f"{name}: size mismatch"
        dtype = _CODE_TO_DTYPE[code]
        flat = torch.frombuffer(bytearray(data[begin:end]), dtype=dtype) if count else torch.empty(0, dtype=dtype)
        tensors[name] = flat.reshape(entry["shape"])
        end_of_previous = end
    assert end_of_previous == len(data), "trailing bytes after the last tensor"
    return tensors, metadata


def write_and_verify(path, tensors, metadata):
    """Write a fixture, read it back and check that it round-trips exactly."""
    path.parent.mkdir(parents=True, exist_ok=True)
    write_safetensors(path, tensors, metadata)
    loaded, loaded_metadata = read_safetensors(path)
    assert loaded_metadata == metadata
    assert list(loaded) == sorted(tensors), "tensor order must be sorted by name"
    for name, tensor in tensors.items():
        assert loaded[name].dtype == tensor.dtype, name
        assert loaded[name].shape == tensor.shape, name
        assert torch.equal(loaded[name], tensor), name
    print(f"wrote {path} ({path.stat().st_size} bytes, {len(tensors)} tensors)")


def as_float32(tensor):
    return tensor.detach().to(torch.float32).contiguous().clone()


# ---------------------------------------------------------------------------
# The end-to-end network
# ---------------------------------------------------------------------------


class DownsampleBlock(nn.Module):
    """Stride-2 BasicBlock with a ResNet-D (avg-pool then 1x1 conv) shortcut."""

    def __init__(self, in_channels, out_channels):
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, out_channels, 3, stride=2, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(out_channels)
        self.conv2 = nn.Conv2d(out_channels, out_channels, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(out_channels)
        self.downsample = nn.Sequential(
            nn.AvgPool2d(2, stride=2, ceil_mode=True, count_include_pad=False),
            nn.Conv2d(in_channels, out_channels, 1, bias=False),
            nn.BatchNorm2d(out_channels),
        )

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return F.relu(out + self.downsample(x))


class GroupedDilatedBlock(nn.Module):
    """Identity BasicBlock whose first conv is grouped and second dilated."""

    def __init__(self, channels):
        super().__init__()
        self.conv1 = nn.Conv2d(channels, channels, 3, padding=1, groups=2, bias=False)
        self.bn1 = nn.BatchNorm2d(channels)
        self.conv2 = nn.Conv2d(channels, channels, 3, padding=2, dilation=2, bias=False)
        self.bn2 = nn.BatchNorm2d(channels)

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return F.relu(out + x)


class TinyResNet(nn.Module):
    def __init__(self, num_classes=NUM_CLASSES):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 8, 3, stride=1, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(8)
        self.maxpool = nn.MaxPool2d(3, stride=2, padding=1)
        self.layer1 = nn.Sequential(DownsampleBlock(8, 16))
        self.layer2 = nn.Sequential(GroupedDilatedBlock(16))
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(16, num_classes)

    def forward(self, x):
        x = self.maxpool(F.relu(self.bn1(self.conv1(x))))
        x = self.layer2(self.layer1(x))
        return self.fc(torch.flatten(self.avgpool(x), 1))


def initialise(model, generator):
    """Deterministic, non-trivial initialisation of every parameter and buffer."""

    def uniform(shape, low, high):
        return torch.rand(shape, generator=generator) * (high - low) + low

    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, (nn.Conv2d, nn.Linear)):
                fan_in = module.weight[0].numel()  # in_channels / groups * kh * kw
                std = (2.0 / fan_in) ** 0.5
                module.weight.copy_(torch.randn(module.weight.shape, generator=generator) * std)
                if module.bias is not None:
                    module.bias.copy_(uniform(module.bias.shape, -0.1, 0.1))
            elif isinstance(module, nn.BatchNorm2d):
                shape = module.weight.shape
                module.weight.copy_(uniform(shape, 0.5, 1.5))
                module.bias.copy_(uniform(shape, -0.2, 0.2))
                module.running_mean.copy_(uniform(shape, -0.1, 0.1))
                module.running_var.copy_(uniform(shape, 0.5, 1.5))
                module.num_batches_tracked.fill_(3)


def make_end_to_end_fixture():
    generator = torch.Generator().manual_seed(SEED)
    model = TinyResNet()
    initialise(model, generator)
    model.train()
    inputs = torch.randn(BATCH, 3, IMAGE_SIZE, IMAGE_SIZE, generator=generator)
    labels = torch.randint(0, NUM_CLASSES, (BATCH,), generator=generator, dtype=torch.int64)

    tensors = {}
    for name, value in model.state_dict().items():
        tensors[name] = value.clone() if value.dtype == torch.int64 else as_float32(value)
    tensors["input"] = as_float32(inputs)
    tensors["labels"] = labels.clone()

    # Reference: training-mode forward + backward in float64, computed from
    # exactly the float32 values stored above.
    reference = TinyResNet()
    reference.load_state_dict(model.state_dict())
    reference.double().train()
    criterion = nn.CrossEntropyLoss(label_smoothing=LABEL_SMOOTHING)
    logits = reference(inputs.double())
    loss = criterion(logits, labels)
    loss.backward()

    tensors["expected.logits"] = as_float32(logits)
    tensors["expected.loss"] = as_float32(loss.reshape(1))
    for name, parameter in reference.named_parameters():
        tensors[f"expected.grad.{name}"] = as_float32(parameter.grad)
    for name, buffer in reference.named_buffers():
        if name.endswith("num_batches_tracked"):
            tensors[f"expected.running.{name}"] = buffer.clone()
        else:
            tensors[f"expected.running.{name}"] = as_float32(buffer)

    # Eval mode with the original (pre-step) weights and running statistics.
    evaluator = TinyResNet()
    evaluator.load_state_dict(model.state_dict())
    evaluator.double().eval()
    with torch.no_grad():
        tensors["expected.eval_logits"] = as_float32(evaluator(inputs.double()))

    # Sanity checks on the semantics the Swift side must reproduce.
    assert logits.shape == (BATCH, NUM_CLASSES)
    for name, buffer in reference.named_buffers():
        if name.endswith("num_batches_tracked"):
            assert int(buffer) == 4, name
    assert set(n for n, _ in model.named_parameters()) == {
        n[len("expected.grad.") :] for n in tensors if n.startswith("expected.grad.")
    }

    metadata = {
        "generator": GENERATOR_PATH,
        "torch": str(torch.__version__),
        "description": (
            "Tiny ResNet-style net (torchvision state_dict names): conv1 3->8 k3 s1 p1, bn1, relu, "
            "maxpool k3 s2 p1; layer1.0 stride-2 BasicBlock 8->16 with ResNet-D shortcut "
            "(downsample.0 AvgPool2d(2, 2, ceil_mode=True, count_include_pad=False), "
            "downsample.1 conv 1x1, downsample.2 bn); layer2.0 identity BasicBlock 16->16 "
            "(conv1 groups=2, conv2 padding=2 dilation=2); global avg pool; fc 16->10. "
            "BatchNorm eps=1e-5 momentum=0.1. Input [4,3,13,13], labels [4]. One training-mode "
            "forward/backward with CrossEntropyLoss(label_smoothing=0.1, mean); reference computed "
            "in float64 from the stored float32 values and stored as float32. expected.grad.* = "
            "d loss / d parameter; expected.running.* = BN buffers after the forward (momentum 0.1, "
            "unbiased batch variance); expected.eval_logits = eval mode with the pre-step state."
        ),
        "seed": str(SEED),
        "label_smoothing": str(LABEL_SMOOTHING),
        "bn_eps": "1e-05",
        "bn_momentum": "0.1",
    }
    return tensors, metadata


# ---------------------------------------------------------------------------
# The loss fixture
# ---------------------------------------------------------------------------


def _value_and_grad(loss_fn, logits32, target):
    """Loss value and d loss / d logits, both in float64."""
    logits = logits32.double().requires_grad_(True)
    value = loss_fn(logits, target)
    (grad,) = torch.autograd.grad(value, logits)
    return value.reshape(1), grad


def make_loss_fixture():
    generator = torch.Generator().manual_seed(SEED + 1)
    rows, classes = 5, 7
    logits = torch.randn(rows, classes, generator=generator) * 2.0
    labels = torch.randint(0, classes, (rows,), generator=generator, dtype=torch.int64)

    # Mixup-style soft targets: lam * onehot(y) + (1 - lam) * onehot(y[perm]),
    # with one lam per batch as in the mixup paper. Each row sums to one.
    mix_lambda = 0.7
    permutation = torch.randperm(rows, generator=generator)
    onehot = F.one_hot(labels, classes).to(torch.float32)
    soft = mix_lambda * onehot + (1.0 - mix_lambda) * onehot[permutation]
    assert torch.allclose(soft.sum(dim=1), torch.ones(rows))

    tensors = {
        "logits": as_float32(logits),
        "labels": labels.clone(),
        "targets.soft": as_float32(soft),
        "targets.onehot": as_float32(onehot),
    }
    cases = {
        "ce.hard": (nn.CrossEntropyLoss(), labels),
        "ce.smooth0.1": (nn.CrossEntropyLoss(label_smoothing=0.1), labels),
        "ce.soft": (nn.CrossEntropyLoss(), soft.double()),
        "bce.soft": (nn.BCEWithLogitsLoss(), soft.double()),
        "bce.hard": (nn.BCEWithLogitsLoss(), onehot.double()),
    }
    for name, (loss_fn, target) in cases.items():
        value, grad = _value_and_grad(loss_fn, tensors["logits"], target)
        tensors[name] = as_float32(value)
        tensors[f"{name}.grad"] = as_float32(grad)

    metadata = {
        "generator": GENERATOR_PATH,
        "torch": str(torch.__version__),
        "description": (
            "logits [5,7] float32, labels [5] int64, targets.soft [5,7] = 0.7*onehot(labels) + "
            "0.3*onehot(labels[perm]) (mixup, rows sum to 1), targets.onehot [5,7]. Values [1] "
            "and d/dlogits [5,7] computed in float64, stored float32: ce.hard = "
            "CrossEntropyLoss() (mean over rows); ce.smooth0.1 = CrossEntropyLoss(label_smoothing=0.1); "
            "ce.soft = CrossEntropyLoss() with probability targets targets.soft; bce.soft = "
            "BCEWithLogitsLoss() (mean over all 35 elements) vs targets.soft; bce.hard = "
            "BCEWithLogitsLoss() vs targets.onehot."
        ),
        "seed": str(SEED + 1),
        "mixup_lambda": str(mix_lambda),
        "mixup_permutation": json.dumps(permutation.tolist()),
    }
    return tensors, metadata


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--output-dir",
        type=Path,
        default=DEFAULT_OUTPUT_DIR,
        help="directory for the .safetensors files (default: %(default)s)",
    )
    args = parser.parse_args()

    # Single-threaded, deterministic kernels: identical bytes on every run.
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)

    tensors, metadata = make_end_to_end_fixture()
    write_and_verify(args.output_dir / "end_to_end.safetensors", tensors, metadata)
    tensors, metadata = make_loss_fixture()
    write_and_verify(args.output_dir / "losses.safetensors", tensors, metadata)


if __name__ == "__main__":
    main()
