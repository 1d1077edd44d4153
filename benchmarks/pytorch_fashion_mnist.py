#!/usr/bin/python3
"""PyTorch CPU peer for Hone's Fashion-MNIST training recipe.

Trains the network a Hone recipe describes (default ``recipes/fashion-mnist.yaml``)
the way ``hone train`` does, so that the wall time to a final accuracy can be
compared between the two. The recipe YAML is read with the same keys and the same
defaults for absent keys as Hone's schema, and ``--set section.key=value``
overrides any of them (``--set schedule.epochs=1``), as ``hone train --set`` does.

What is reproduced:

* model -- ResNet-18 (or ResNet-34) of basic blocks, written out here: the
  ``small-image`` stem is a 3x3 stride-1 convolution (no bias) + BN + ReLU with no
  max pool (``classic`` is 7x7 stride 2 + BN + ReLU + 3x3/2 max pool, the default
  for ``stem: null``); ``width`` multiplies every channel count (stem 64, stages
  64/128/256/512) as ``max(1, floor(c * width + 0.5))``; the first block of each
  stage strides 1, 2, 2, 2 on its first 3x3 convolution and gets a projection
  shortcut (1x1 convolution with that stride, no bias, + BN) when the shape
  changes; global average pool, optional dropout (``dropout_rate``), a Linear layer
  to the 10 classes; one (grey) input channel. Convolutions start from
  Kaiming-normal (fan-out, ReLU), BN from weight 1 / bias 0, the Linear layer from
  PyTorch's default; ``zero_init_residual`` zeroes the last BN weight of each block.
* data -- the gzip IDX files in ``data.path``; the first ``train_limit`` /
  ``eval_limit`` images (0 = all); standardisation ``(x/255 - mean) / std`` with
  the per-channel mean and population standard deviation of the (limited)
  training set; training batches reshuffled every epoch, the last partial batch
  dropped. Training augmentation, in Hone's order: ``random_crop_padding`` zero
  pixels around the raw image and a random crop back to 28x28, a horizontal flip
  with p = 0.5 (``horizontal_flip``), then after standardisation random erasing
  with probability ``random_erasing`` (area 2-33 %, log-uniform aspect 0.3-3.3,
  up to ten tries, the rectangle strictly smaller than the image) filled per
  ``random_erasing_mode``: ``pixel`` a standard normal per pixel, ``rand`` one per
  channel, ``const`` zero. The augmentation works on whole batches of tensors
  (vectorised gathers and masks) on the training thread, so ``data.workers`` is
  ignored and the input pipeline costs little of the measured time. The random
  streams are PyTorch's, not Hone's, so crops and erasures differ image by image.
* optimizer -- SGD with ``momentum`` and ``nesterov``; peak lr = ``lr`` scaled to
  ``batch_size`` from ``lr_base_batch`` by ``lr_scaling`` (``linear``, ``sqrt`` or
  ``none``); ``weight_decay`` (coupled L2, as torch.optim.SGD) on every parameter,
  or with ``no_bias_decay`` only on convolution and Linear weights (tensors of
  rank > 1), not on biases or BN weights and biases.
* schedule -- per optimizer step, as Hone's ``LearningRateSchedule``: total =
  epochs x steps per epoch, warm-up = round(warmup_epochs x steps per epoch)
  steps rising linearly from ``warmup_start_lr`` (lr = start + (peak - start) t /
  warmup for 0-based step t), then the decay over the remaining steps. Supported
  decays: ``cosine`` (min + (peak - min)(1 + cos(pi t' / decay steps)) / 2 down to
  ``min_lr``, the recipe's), ``poly`` (``power``), ``step`` (``gamma`` every
  ``step_epochs``), ``multistep`` (``gamma`` at each of ``milestones`` epochs) and
  ``constant``.
* loss -- cross-entropy with ``label_smoothing`` (torch's built-in). The eval loss
  is plain cross-entropy, as Hone's.
* run -- ``threads`` (0 = every core, ``os.cpu_count()``) via
  torch.set_num_threads; ``precision: bf16`` runs forward and loss under
  ``torch.autocast("cpu", dtype=torch.bfloat16)`` with float32 master weights and
  optimizer state, ``f32`` runs plain float32; ``eval_every`` (the last epoch is
  always evaluated). ``checkpoint_every`` is ignored: nothing is saved.
* seed -- torch.manual_seed(seed) before the model is built; the shuffling and
  augmentation draw from their own torch.Generator seeded with the same seed.

Not supported (rejected with an error): ``norm: group``, ``stem: deep``,
``downsample: average-pool``, ``drop_path_rate`` > 0, models other than
resnet18/resnet34, data sets other than fashion-mnist. ``stride_in`` only
concerns bottleneck blocks and is ignored.

Evaluation covers every test image (batches of ``eval_batch_size``, the last one
partial) with BN in eval mode under torch.inference_mode (and the same autocast
for bf16); top-1 / top-5 count ties as Hone does (a class scoring the same as
the true one counts as above it only when its index is lower). Timing starts at
the first training step of epoch 0 (after loading the data and building the
model) and covers training and evaluation; ``images_per_second`` is the epoch's
training images over its training-loop time. Tensors are channels_last (PyTorch's
fastest CPU layout, oneDNN) unless ``--layout nchw``.

Output: one line per epoch and a final summary line on stdout. ``--csv FILE``
writes Hone's summary.csv columns
``epoch,train_loss,eval_loss,eval_top1,eval_top5,lr,images_per_second,wall_seconds``
(0-based epoch, accuracies in percent, lr of the epoch's last step, wall seconds
cumulative since the start of epoch 0; eval columns empty on epochs without
evaluation). ``--json`` prints a final JSON object as the last stdout line
(``--json FILE`` writes it to FILE instead)::

    {"peer": "pytorch", "recipe": "recipes/fashion-mnist.yaml", "epochs": 10,
     "final_top1": 93.1, "best_top1": 93.2, "final_top5": 99.9,
     "wall_seconds": 1234.5, "train_images_per_second": 567.8, "threads": 2,
     "precision": "bf16", "layout": "channels_last", "torch_version": "1.13.0"}

Run with Debian's Python (torch 1.13, PyYAML) from the repository root, e.g.::

    /usr/bin/python3 benchmarks/pytorch_fashion_mnist.py --csv /tmp/peer.csv --json
    /usr/bin/python3 benchmarks/pytorch_fashion_mnist.py recipes/fashion-mnist-long.yaml
    /usr/bin/python3 benchmarks/pytorch_fashion_mnist.py --set data.train_limit=512 \\
        --set data.eval_limit=500 --set schedule.epochs=1          # smoke test
"""

import argparse
import copy
import gzip
import json
import math
import os
import struct
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import yaml

# Hone's schema: every recipe key with its default when the file leaves it out.
DEFAULTS = {
    "seed": 0,
    "model": {
        "name": "resnet18",
        "stem": None,
        "downsample": None,
        "stride_in": None,
        "norm": "batch",
        "norm_groups": 32,
        "zero_init_residual": False,
        "drop_path_rate": 0.0,
        "dropout_rate": 0.0,
        "width": 1.0,
    },
    "data": {
        "dataset": "fashion-mnist",
        "path": "/usr/share/datasets/fashion-mnist",
        "batch_size": 128,
        "eval_batch_size": 500,
        "random_crop_padding": 4,
        "horizontal_flip": True,
        "random_erasing": 0.0,
        "random_erasing_mode": "pixel",
        "workers": 1,
        "train_limit": 0,
        "eval_limit": 0,
    },
    "optimizer": {
        "name": "sgd",
        "lr": 0.1,
        "lr_base_batch": 256,
        "lr_scaling": "linear",
        "momentum": 0.9,
        "nesterov": True,
        "weight_decay": 5e-4,
        "no_bias_decay": True,
    },
    "schedule": {
        "epochs": 10,
        "warmup_epochs": 1.0,
        "warmup_start_lr": 0.0,
        "decay": "cosine",
        "min_lr": 0.0,
        "step_epochs": 30,
        "milestones": [30, 60, 80],
        "gamma": 0.1,
        "power": 2.0,
    },
    "loss": {"label_smoothing": 0.0},
    # run.convolution_algorithm is Hone's kernel choice; it is read and accepted but has no PyTorch
    # counterpart (PyTorch picks its own convolution algorithms).
    "run": {"threads": 0, "precision": "f32", "eval_every": 1, "checkpoint_every": 0, "convolution_algorithm": "direct"},
}

CHOICES = {
    "model.stem": (None, "classic", "deep", "small-image"),
    "model.downsample": (None, "convolution", "average-pool"),
    "model.stride_in": (None, "first", "middle"),
    "model.norm": ("batch", "group"),
    "data.dataset": ("fashion-mnist",),
    "data.random_erasing_mode": ("const", "rand", "pixel"),
    "optimizer.name": ("sgd",),
    "optimizer.lr_scaling": ("linear", "sqrt", "none"),
    "schedule.decay": ("constant", "cosine", "step", "multistep", "poly"),
    "run.precision": ("f32", "bf16"),
    "run.convolution_algorithm": ("direct", "auto"),
}

STAGE_BLOCKS = {"resnet18": (2, 2, 2, 2), "resnet34": (3, 4, 6, 3)}
ERASE_AREA = (0.02, 1.0 / 3)
ERASE_ASPECT = (0.3, 1 / 0.3)
ERASE_TRIES = 10


# ---------------------------------------------------------------------------
# Recipe


def coerce(key, value, default):
    """`value` converted to the type of `default` (the schema's type for `key`)."""
    if key in CHOICES:
        if value is not None and not isinstance(value, str):
            value = str(value)
        if value not in CHOICES[key]:
            allowed = ", ".join("null" if c is None else c for c in CHOICES[key])
            raise SystemExit(f"{key}: {value!r} is not one of {allowed}")
        return value
    if isinstance(default, bool):
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("true", "false"):
            return value.lower() == "true"
        raise SystemExit(f"{key}: expected true or false, got {value!r}")
    if isinstance(default, int):
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise SystemExit(f"{key}: expected an integer, got {value!r}") from None
        if isinstance(value, bool) or number != int(number):
            raise SystemExit(f"{key}: expected an integer, got {value!r}")
        return int(number)
    if isinstance(default, float):
        try:
            if isinstance(value, bool):
                raise ValueError
            return float(value)
        except (TypeError, ValueError):
            raise SystemExit(f"{key}: expected a number, got {value!r}") from None
    if isinstance(default, list):
        if not isinstance(value, list):
            raise SystemExit(f"{key}: expected a list, got {value!r}")
        return [coerce(key + "[]", item, 0) for item in value]
    if value is None or not isinstance(value, (str, int, float)):
        raise SystemExit(f"{key}: expected text, got {value!r}")
    return str(value)


def set_key(recipe, dotted, value):
    """Stores `value` at the dotted key, which must be one of the schema's."""
    parts = dotted.split(".")
    if len(parts) == 1 and parts[0] in DEFAULTS and not isinstance(DEFAULTS[parts[0]], dict):
        recipe[parts[0]] = coerce(dotted, value, DEFAULTS[parts[0]])
        return
    if len(parts) != 2 or parts[0] not in DEFAULTS or not isinstance(DEFAULTS[parts[0]], dict) \
            or parts[1] not in DEFAULTS[parts[0]]:
        raise SystemExit(f"unknown recipe key {dotted!r}")
    recipe[parts[0]][parts[1]] = coerce(dotted, value, DEFAULTS[parts[0]][parts[1]])


def load_recipe(path, overrides):
    """The recipe at `path` over Hone's defaults, then the `key=value` overrides."""
    with open(path, encoding="utf-8") as handle:
        document = yaml.safe_load(handle) or {}
    if not isinstance(document, dict):
        raise SystemExit(f"{path}: expected a mapping at the top level")
    recipe = copy.deepcopy(DEFAULTS)
    for key, value in document.items():
        if isinstance(value, dict):
            for inner, inner_value in value.items():
                set_key(recipe, f"{key}.{inner}", inner_value)
        else:
            set_key(recipe, str(key), value)
    for override in overrides:
        key, separator, text = override.partition("=")
        if not separator:
            raise SystemExit(f"--set {override!r}: expected key=value")
        set_key(recipe, key.strip(), yaml.safe_load(text) if text.strip() else "")
    return recipe


def check_supported(recipe):
    model = recipe["model"]
    problems = []
    if model["name"] not in STAGE_BLOCKS:
        problems.append(f"model.name {model['name']!r} (only {', '.join(STAGE_BLOCKS)})")
    if model["stem"] == "deep":
        problems.append("model.stem deep")
    if model["downsample"] == "average-pool":
        problems.append("model.downsample average-pool")
    if model["norm"] != "batch":
        problems.append(f"model.norm {model['norm']}")
    if model["drop_path_rate"] > 0:
        problems.append("model.drop_path_rate > 0")
    if problems:
        raise SystemExit("not supported by this peer: " + "; ".join(problems))
    if recipe["data"]["batch_size"] < 1 or recipe["data"]["eval_batch_size"] < 1 or recipe["schedule"]["epochs"] < 1:
        raise SystemExit("data.batch_size, data.eval_batch_size and schedule.epochs must be at least 1")


# ---------------------------------------------------------------------------
# Data


def read_idx(path):
    """A gzip IDX file as a uint8 numpy array of its stated shape."""
    with gzip.open(path, "rb") as handle:
        payload = handle.read()
    zero, kind, rank = struct.unpack_from(">HBB", payload, 0)
    if zero != 0 or kind != 0x08:
        raise SystemExit(f"{path}: not an unsigned-byte IDX file")
    shape = struct.unpack_from(">" + "I" * rank, payload, 4)
    offset = 4 + 4 * rank
    return np.frombuffer(payload, dtype=np.uint8, count=int(np.prod(shape)), offset=offset).reshape(shape)


def load_split(directory, prefix, limit):
    """(uint8 images [N, 1, 28, 28], int64 labels [N]), the first `limit` when limit > 0."""
    images = read_idx(os.path.join(directory, f"{prefix}-images-idx3-ubyte.gz"))
    labels = read_idx(os.path.join(directory, f"{prefix}-labels-idx1-ubyte.gz"))
    if limit > 0:
        images, labels = images[:limit], labels[:limit]
    images = torch.from_numpy(images.copy()).unsqueeze(1)
    return images, torch.from_numpy(labels.astype(np.int64))


def channel_statistics(images):
    """Per-channel mean and population std of x/255 over every pixel, in float64 from byte counts."""
    mean, std = [], []
    for channel in range(images.shape[1]):
        counts = torch.bincount(images[:, channel].reshape(-1).long(), minlength=256).double()
        values = torch.arange(256, dtype=torch.float64) / 255
        total = counts.sum()
        channel_mean = (counts * values).sum() / total
        variance = max(0.0, float((counts * values * values).sum() / total - channel_mean ** 2))
        mean.append(float(channel_mean))
        std.append(math.sqrt(variance))
    shape = (1, len(mean), 1, 1)
    return (torch.tensor(mean, dtype=torch.float32).view(shape),
            torch.tensor(std, dtype=torch.float32).view(shape))


def standardise(images, mean, std):
    return (images.float() / 255 - mean) / std


def crop_and_flip(images, padding, flip, generator):
    """Zero-pad by `padding`, crop back at a random offset, mirror half the images; whole batch at once."""
    count, channels, height, width = images.shape
    rows = torch.arange(height).expand(count, height)
    columns = torch.arange(width).expand(count, width)
    source = images
    if padding > 0:
        source = F.pad(images, (padding, padding, padding, padding))
        rows = rows + torch.randint(0, 2 * padding + 1, (count, 1), generator=generator)
        columns = columns + torch.randint(0, 2 * padding + 1, (count, 1), generator=generator)
    if flip:
        mirrored = torch.rand(count, generator=generator) < 0.5
        columns = torch.where(mirrored[:, None], columns.flip(1), columns)
    batch = torch.arange(count)[:, None, None]
    # Advanced indices separated by a slice put their dimensions first: [N, H, W, C].
    gathered = source[batch, :, rows[:, :, None], columns[:, None, :]]
    return gathered.permute(0, 3, 1, 2)


def random_erasing(images, probability, mode, generator):
    """Random erasing of standardised images, one rectangle per chosen image; whole batch at once."""
    count, channels, height, width = images.shape
    chosen = torch.rand(count, generator=generator, dtype=torch.float64) < probability
    area = height * width
    low_aspect, high_aspect = math.log(ERASE_ASPECT[0]), math.log(ERASE_ASPECT[1])
    target = area * (ERASE_AREA[0] + (ERASE_AREA[1] - ERASE_AREA[0])
                     * torch.rand(count, ERASE_TRIES, generator=generator, dtype=torch.float64))
    aspect = torch.exp(low_aspect + (high_aspect - low_aspect)
                       * torch.rand(count, ERASE_TRIES, generator=generator, dtype=torch.float64))
    heights = torch.round(torch.sqrt(target * aspect)).long()
    widths = torch.round(torch.sqrt(target / aspect)).long()
    fits = (heights < height) & (widths < width)
    first = fits.int().argmax(dim=1, keepdim=True)  # the first try that fits
    chosen &= fits.any(dim=1)
    heights = heights.gather(1, first).squeeze(1)
    widths = widths.gather(1, first).squeeze(1)
    top = (torch.rand(count, generator=generator, dtype=torch.float64) * (height - heights + 1)).long()
    left = (torch.rand(count, generator=generator, dtype=torch.float64) * (width - widths + 1)).long()
    row = torch.arange(height)[None, :]
    column = torch.arange(width)[None, :]
    in_rows = (row >= top[:, None]) & (row < (top + heights)[:, None]) & chosen[:, None]
    in_columns = (column >= left[:, None]) & (column < (left + widths)[:, None])
    mask = in_rows[:, None, :, None] & in_columns[:, None, None, :]
    if mode == "pixel":
        fill = torch.randn(images.shape, generator=generator)
    elif mode == "rand":
        fill = torch.randn(count, channels, 1, 1, generator=generator)
    else:
        fill = torch.zeros(())
    return torch.where(mask, fill, images)


def training_batches(images, labels, data, mean, std, generator, memory_format):
    """One epoch of shuffled, augmented, standardised batches; the last partial batch is dropped."""
    batch_size = data["batch_size"]
    order = torch.randperm(images.shape[0], generator=generator)
    for start in range(0, images.shape[0] - batch_size + 1, batch_size):
        index = order[start:start + batch_size]
        batch = images[index]
        if data["random_crop_padding"] > 0 or data["horizontal_flip"]:
            batch = crop_and_flip(batch, data["random_crop_padding"], data["horizontal_flip"], generator)
        batch = standardise(batch, mean, std)
        if data["random_erasing"] > 0:
            batch = random_erasing(batch, data["random_erasing"], data["random_erasing_mode"], generator)
        yield batch.contiguous(memory_format=memory_format), labels[index]


# ---------------------------------------------------------------------------
# Model


def scaled(channels, width):
    return max(1, int(math.floor(channels * width + 0.5)))


class BasicBlock(nn.Module):
    def __init__(self, in_channels, out_channels, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, out_channels, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(out_channels)
        self.conv2 = nn.Conv2d(out_channels, out_channels, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(out_channels)
        self.shortcut = None
        if stride != 1 or in_channels != out_channels:
            self.shortcut = nn.Sequential(
                nn.Conv2d(in_channels, out_channels, 1, stride, 0, bias=False), nn.BatchNorm2d(out_channels))

    def forward(self, x):
        identity = x if self.shortcut is None else self.shortcut(x)
        y = F.relu(self.bn1(self.conv1(x)), inplace=True)
        y = self.bn2(self.conv2(y))
        return F.relu(y + identity, inplace=True)


class ResNet(nn.Module):
    def __init__(self, blocks, stem, width, zero_init_residual, dropout, in_channels=1, classes=10):
        super().__init__()
        stem_channels = scaled(64, width)
        if stem == "small-image":
            layers = [nn.Conv2d(in_channels, stem_channels, 3, 1, 1, bias=False)]
        else:  # classic
            layers = [nn.Conv2d(in_channels, stem_channels, 7, 2, 3, bias=False)]
        layers += [nn.BatchNorm2d(stem_channels), nn.ReLU(inplace=True)]
        if stem != "small-image":
            layers.append(nn.MaxPool2d(3, 2, 1))
        self.stem = nn.Sequential(*layers)
        stages = []
        channels = stem_channels
        for stage, (base, count) in enumerate(zip((64, 128, 256, 512), blocks)):
            out_channels = scaled(base, width)
            stage_blocks = []
            for index in range(count):
                stride = 2 if stage > 0 and index == 0 else 1
                stage_blocks.append(BasicBlock(channels, out_channels, stride))
                channels = out_channels
            stages.append(nn.Sequential(*stage_blocks))
        self.stages = nn.Sequential(*stages)
        self.dropout = nn.Dropout(dropout) if dropout > 0 else nn.Identity()
        self.fc = nn.Linear(channels, classes)

        for module in self.modules():
            if isinstance(module, nn.Conv2d):
                nn.init.kaiming_normal_(module.weight, mode="fan_out", nonlinearity="relu")
            elif isinstance(module, nn.BatchNorm2d):
                nn.init.ones_(module.weight)
                nn.init.zeros_(module.bias)
        if zero_init_residual:
            for module in self.modules():
                if isinstance(module, BasicBlock):
                    nn.init.zeros_(module.bn2.weight)

    def forward(self, x):
        x = self.stages(self.stem(x))
        x = torch.flatten(F.adaptive_avg_pool2d(x, 1), 1)
        return self.fc(self.dropout(x))


# ---------------------------------------------------------------------------
# Optimisation


def peak_learning_rate(optimizer, batch_size):
    ratio = batch_size / optimizer["lr_base_batch"]
    if optimizer["lr_scaling"] == "linear":
        return optimizer["lr"] * ratio
    if optimizer["lr_scaling"] == "sqrt":
        return optimizer["lr"] * math.sqrt(ratio)
    return optimizer["lr"]


def make_schedule(schedule, peak, steps_per_epoch):
    """The learning rate of 0-based optimizer step t, as Hone's LearningRateSchedule."""
    total = schedule["epochs"] * steps_per_epoch
    warmup = min(int(math.floor(schedule["warmup_epochs"] * steps_per_epoch + 0.5)), total)
    start, minimum, decay = schedule["warmup_start_lr"], schedule["min_lr"], schedule["decay"]
    milestones = [epoch * steps_per_epoch for epoch in schedule["milestones"]]

    def learning_rate(step):
        step = min(step, total - 1)
        if step < warmup:
            return start + (peak - start) * step / warmup
        elapsed = step - warmup
        decay_steps = total - warmup
        if decay == "cosine":
            return minimum + (peak - minimum) * (1 + math.cos(math.pi * elapsed / decay_steps)) / 2
        if decay == "poly":
            return minimum + (peak - minimum) * (1 - elapsed / decay_steps) ** schedule["power"]
        if decay == "step":
            return peak * schedule["gamma"] ** (elapsed // (schedule["step_epochs"] * steps_per_epoch))
        if decay == "multistep":
            return peak * schedule["gamma"] ** sum(1 for milestone in milestones if milestone <= step)
        return peak

    return learning_rate


def make_optimizer(model, optimizer, peak):
    decayed = [p for p in model.parameters() if p.ndim > 1] if optimizer["no_bias_decay"] else list(model.parameters())
    exempt = [p for p in model.parameters() if p.ndim <= 1] if optimizer["no_bias_decay"] else []
    groups = [{"params": decayed, "weight_decay": optimizer["weight_decay"]}]
    if exempt:
        groups.append({"params": exempt, "weight_decay": 0.0})
    momentum = optimizer["momentum"]
    return torch.optim.SGD(groups, lr=peak, momentum=momentum, nesterov=optimizer["nesterov"] and momentum > 0)


def autocast(precision):
    return torch.autocast("cpu", dtype=torch.bfloat16, enabled=precision == "bf16")


def evaluate(model, images, labels, data, mean, std, precision, memory_format):
    """(plain cross-entropy loss, top-1 %, top-5 %) over every evaluation image."""
    model.eval()
    loss_sum, top1, top5 = 0.0, 0, 0
    with torch.inference_mode():
        for start in range(0, images.shape[0], data["eval_batch_size"]):
            batch = standardise(images[start:start + data["eval_batch_size"]], mean, std)
            truth = labels[start:start + data["eval_batch_size"]]
            with autocast(precision):
                logits = model(batch.contiguous(memory_format=memory_format))
            logits = logits.float()
            loss_sum += float(F.cross_entropy(logits, truth, reduction="sum"))
            score = logits.gather(1, truth[:, None])
            classes = torch.arange(logits.shape[1])[None, :]
            higher = ((logits > score) | ((logits == score) & (classes < truth[:, None]))).sum(1)
            top1 += int((higher == 0).sum())
            top5 += int((higher < min(5, logits.shape[1])).sum())
    model.train()
    count = images.shape[0]
    return loss_sum / count, 100.0 * top1 / count, 100.0 * top5 / count


# ---------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(
        description="Train a Hone Fashion-MNIST recipe in PyTorch on the CPU and time it.")
    parser.add_argument("recipe", nargs="?", default="recipes/fashion-mnist.yaml",
                        help="recipe YAML (default: recipes/fashion-mnist.yaml)")
    parser.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE",
                        help="override a recipe key, e.g. schedule.epochs=1 (repeatable)")
    parser.add_argument("--layout", choices=("channels_last", "nchw"), default="channels_last",
                        help="memory format of activations and weights (default: channels_last)")
    parser.add_argument("--csv", metavar="FILE", help="write per-epoch rows in Hone's summary.csv columns")
    parser.add_argument("--json", nargs="?", const="-", metavar="FILE",
                        help="print a final JSON summary as the last stdout line, or write it to FILE")
    args = parser.parse_args()

    recipe = load_recipe(args.recipe, args.overrides)
    check_supported(recipe)
    model_cfg, data, opt_cfg, sched_cfg = recipe["model"], recipe["data"], recipe["optimizer"], recipe["schedule"]
    precision = recipe["run"]["precision"]
    memory_format = torch.channels_last if args.layout == "channels_last" else torch.contiguous_format
    torch.set_num_threads(recipe["run"]["threads"] or os.cpu_count())

    train_images, train_labels = load_split(data["path"], "train", data["train_limit"])
    eval_images, eval_labels = load_split(data["path"], "t10k", data["eval_limit"])
    mean, std = channel_statistics(train_images)
    steps_per_epoch = train_images.shape[0] // data["batch_size"]
    if steps_per_epoch == 0:
        raise SystemExit(f"{train_images.shape[0]} training images make no full batch of {data['batch_size']}")

    torch.manual_seed(recipe["seed"])
    model = ResNet(STAGE_BLOCKS[model_cfg["name"]], model_cfg["stem"] or "classic", model_cfg["width"],
                   model_cfg["zero_init_residual"], model_cfg["dropout_rate"])
    model = model.to(memory_format=memory_format).train()
    data_generator = torch.Generator().manual_seed(recipe["seed"])
    peak = peak_learning_rate(opt_cfg, data["batch_size"])
    optimizer = make_optimizer(model, opt_cfg, peak)
    learning_rate = make_schedule(sched_cfg, peak, steps_per_epoch)
    criterion = nn.CrossEntropyLoss(label_smoothing=recipe["loss"]["label_smoothing"])

    epochs = sched_cfg["epochs"]
    parameters = sum(p.numel() for p in model.parameters())
    print(f"# torch {torch.__version__}, {torch.get_num_threads()} threads, {precision}, {args.layout}; "
          f"{model_cfg['name']} width {model_cfg['width']:g}: {parameters} parameters; "
          f"{train_images.shape[0]} training / {eval_images.shape[0]} evaluation images; "
          f"mean {mean.flatten().tolist()[0]:.4f} std {std.flatten().tolist()[0]:.4f}; "
          f"batch {data['batch_size']}, {steps_per_epoch} steps per epoch, peak lr {peak:.5g}", flush=True)

    csv = None
    if args.csv:
        csv = open(args.csv, "w", encoding="utf-8")
        csv.write("epoch,train_loss,eval_loss,eval_top1,eval_top5,lr,images_per_second,wall_seconds\n")
        csv.flush()

    step = 0
    train_seconds = 0.0
    train_images_seen = 0
    final, best_top1 = None, None
    run_start = time.perf_counter()
    for epoch in range(epochs):
        epoch_start = time.perf_counter()
        loss_sum = torch.zeros((), dtype=torch.float64)
        images_this_epoch = 0
        for batch, truth in training_batches(train_images, train_labels, data, mean, std, data_generator,
                                             memory_format):
            rate = learning_rate(step)
            for group in optimizer.param_groups:
                group["lr"] = rate
            with autocast(precision):
                loss = criterion(model(batch), truth)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            loss_sum += loss.detach().double()
            step += 1
            images_this_epoch += batch.shape[0]
        epoch_train_seconds = time.perf_counter() - epoch_start
        train_seconds += epoch_train_seconds
        train_images_seen += images_this_epoch
        images_per_second = images_this_epoch / max(epoch_train_seconds, 1e-9)
        train_loss = float(loss_sum) / steps_per_epoch

        evaluation = None
        if epoch + 1 == epochs or (epoch + 1) % recipe["run"]["eval_every"] == 0:
            evaluation = evaluate(model, eval_images, eval_labels, data, mean, std, precision, memory_format)
            final = evaluation
            best_top1 = evaluation[1] if best_top1 is None else max(best_top1, evaluation[1])
        wall = time.perf_counter() - run_start
        last_rate = learning_rate(max(step - 1, 0))

        line = f"epoch {epoch + 1}/{epochs}  train loss {train_loss:.4f}  {images_per_second:.0f} img/s"
        if evaluation:
            line += f"  eval loss {evaluation[0]:.4f}  top-1 {evaluation[1]:.2f}%  top-5 {evaluation[2]:.2f}%"
        print(line + f"  lr {last_rate:.5g}  ({wall:.1f} s)", flush=True)
        if csv:
            eval_columns = "{:.6f},{:.4f},{:.4f}".format(*evaluation) if evaluation else ",,"
            csv.write(f"{epoch},{train_loss:.6f},{eval_columns},{last_rate:.8f},{images_per_second:.1f},{wall:.1f}\n")
            csv.flush()
    wall = time.perf_counter() - run_start
    if csv:
        csv.close()

    summary = {
        "peer": "pytorch",
        "recipe": args.recipe,
        "epochs": epochs,
        "final_top1": final[1],
        "best_top1": best_top1,
        "final_top5": final[2],
        "wall_seconds": round(wall, 3),
        "train_images_per_second": round(train_images_seen / max(train_seconds, 1e-9), 2),
        "threads": torch.get_num_threads(),
        "precision": precision,
        "layout": args.layout,
        "torch_version": torch.__version__,
    }
    print(f"final: top-1 {final[1]:.2f}% (best {best_top1:.2f}%), top-5 {final[2]:.2f}%, "
          f"{wall:.1f} s, {summary['train_images_per_second']:.0f} training img/s", flush=True)
    if args.json == "-":
        print(json.dumps(summary), flush=True)
    elif args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            handle.write(json.dumps(summary) + "\n")


if __name__ == "__main__":
    main()
