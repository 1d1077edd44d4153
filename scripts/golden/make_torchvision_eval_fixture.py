#!/usr/bin/python3
"""Builds the torchvision-weights evaluation fixture for TorchvisionWeightsTests.

Run with Debian's /usr/bin/python3 (torch 1.13, torchvision 0.14, numpy):

    /usr/bin/python3 scripts/golden/make_torchvision_eval_fixture.py

Writes, under Tests/TrainingTests/Fixtures/:

* torchvision_resnet18_small.safetensors: the state dictionary of a ResNet-18 with
  torchvision's module names (conv1, bn1, layerN.M.{conv1,bn1,conv2,bn2},
  layerN.0.downsample.{0,1}, fc) at a quarter width (16-32-64-128 channels) and
  Hone's small-image stem (3x3 stride-1 conv1, no max pool), one input channel,
  ten classes; randomly initialised with a fixed seed so the net is not trivial.
* torchvision_resnet18_small_eval.json: what PyTorch (float64, eval mode) gets on
  the first 200 Fashion-MNIST test images standardised with the training split's
  per-channel mean and population deviation, exactly as Hone's loader does.

The block is written here rather than taken from torchvision because torchvision's
constructor cannot narrow BasicBlock widths; its semantics are torchvision's:
stride on conv1, a 1x1-conv + BN downsample when the stride or width changes,
ReLU after bn1, ReLU after the residual add.
"""

import gzip
import json
import os
import struct

import numpy as np
import torch
import torch.nn as nn

SEED = 20240611
DATA = "/usr/share/datasets/fashion-mnist"
EVAL_IMAGES = 200
FIT_IMAGES = 2000
FIT_STEPS = 300
WIDTHS = (16, 32, 64, 128)
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "Tests", "TrainingTests", "Fixtures")


class BasicBlock(nn.Module):
    def __init__(self, inplanes, planes, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(inplanes, planes, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = nn.Conv2d(planes, planes, 3, stride=1, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.downsample = None
        if stride != 1 or inplanes != planes:
            self.downsample = nn.Sequential(
                nn.Conv2d(inplanes, planes, 1, stride=stride, bias=False), nn.BatchNorm2d(planes))

    def forward(self, x):
        identity = x if self.downsample is None else self.downsample(x)
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return self.relu(out + identity)


class SmallResNet18(nn.Module):
    def __init__(self, in_channels=1, num_classes=10, widths=WIDTHS):
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, widths[0], 3, stride=1, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(widths[0])
        self.relu = nn.ReLU(inplace=True)
        inplanes = widths[0]
        for index, planes in enumerate(widths):
            stride = 1 if index == 0 else 2
            layer = nn.Sequential(BasicBlock(inplanes, planes, stride), BasicBlock(planes, planes, 1))
            setattr(self, "layer%d" % (index + 1), layer)
            inplanes = planes
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(inplanes, num_classes)

    def forward(self, x):
        x = self.relu(self.bn1(self.conv1(x)))
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        return self.fc(torch.flatten(self.avgpool(x), 1))


def initialise(model):
    for module in model.modules():
        if isinstance(module, nn.Conv2d):
            nn.init.kaiming_normal_(module.weight, mode="fan_out", nonlinearity="relu")
        elif isinstance(module, nn.BatchNorm2d):
            with torch.no_grad():
                module.weight.uniform_(0.5, 1.5)
                module.bias.uniform_(-0.2, 0.2)
                module.running_mean.uniform_(-0.2, 0.2)
                module.running_var.uniform_(0.5, 2.0)
                module.num_batches_tracked.fill_(7)
        # nn.Linear starts from PyTorch's default initialisation (then fit_classifier).


def write_safetensors(path, tensors, metadata):
    dtypes = {torch.float32: "F32", torch.int64: "I64"}
    header = {"__metadata__": metadata}
    blobs = []
    offset = 0
    for name in sorted(tensors):
        tensor = tensors[name].detach().cpu().contiguous()
        data = tensor.numpy().astype(tensor.numpy().dtype.newbyteorder("<"), copy=False).tobytes()
        header[name] = {"dtype": dtypes[tensor.dtype], "shape": list(tensor.shape),
                        "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    encoded = json.dumps(header, separators=(",", ":")).encode("utf-8")
    encoded += b" " * ((8 - len(encoded) % 8) % 8)
    with open(path, "wb") as file:
        file.write(struct.pack("<Q", len(encoded)))
        file.write(encoded)
        for blob in blobs:
            file.write(blob)


def read_idx(path):
    with gzip.open(path, "rb") as file:
        raw = file.read()
    magic = struct.unpack(">I", raw[:4])[0]
    dims = magic & 0xFF
    assert magic >> 8 == 0x08, "expected unsigned-byte IDX data in %s" % path
    shape = struct.unpack(">" + "I" * dims, raw[4:4 + 4 * dims])
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def statistics(train):
    """Hone's ChannelStatistics.measure and its loader's per-byte table, for one channel.

    Population statistics over every training pixel scaled to [0, 1], in Float64 from
    exact byte counts; the table is Float((Float(b) / 255 - mean_f32) / std_f32), all
    in float32, exactly as Hone's BatchAssembler computes it.
    """
    counts = np.bincount(train.reshape(-1), minlength=256).astype(np.float64)
    values = np.arange(256, dtype=np.float64) / 255
    pixels = float(train.size)
    mean = float((counts * values).sum() / pixels)
    variance = max(0.0, float((counts * values * values).sum() / pixels) - mean * mean)
    std = variance ** 0.5
    mean32, std32 = np.float32(mean), np.float32(std)
    table = (np.arange(256, dtype=np.float32) / np.float32(255) - mean32) / std32
    assert table.dtype == np.float32
    return mean, std, table


def fit_classifier(model, images, labels):
    """Fits only fc, on frozen eval-mode features, so predictions depend on the image.

    With random convolutions and BN statistics the pooled features share one large
    positive component, and a random fc predicts the same class for every image;
    a few full-batch Adam steps on fc alone make the argmax vary (and beat chance)
    while the convolutions and BN parameters and buffers keep their random values.
    """
    with torch.no_grad():
        x = model.relu(model.bn1(model.conv1(images)))
        x = model.layer4(model.layer3(model.layer2(model.layer1(x))))
        features = torch.flatten(model.avgpool(x), 1)
    optimizer = torch.optim.Adam(model.fc.parameters(), lr=0.01)
    for _ in range(FIT_STEPS):
        optimizer.zero_grad()
        nn.functional.cross_entropy(model.fc(features), labels).backward()
        optimizer.step()


def main():
    torch.manual_seed(SEED)
    model = SmallResNet18()
    initialise(model)
    model.eval()

    train = read_idx(os.path.join(DATA, "train-images-idx3-ubyte.gz"))
    train_labels = read_idx(os.path.join(DATA, "train-labels-idx1-ubyte.gz")).astype(np.int64)
    # Hone's data.eval_limit takes EVAL_IMAGES test images evenly spaced over the set: image k * N // EVAL_IMAGES.
    all_test = read_idx(os.path.join(DATA, "t10k-images-idx3-ubyte.gz"))
    chosen = np.arange(EVAL_IMAGES) * len(all_test) // EVAL_IMAGES
    test = all_test[chosen]
    labels = read_idx(os.path.join(DATA, "t10k-labels-idx1-ubyte.gz"))[chosen].astype(np.int64)
    mean, std, table = statistics(train)
    mean32, std32 = np.float32(mean), np.float32(std)
    fit_classifier(model, torch.from_numpy(table[train[:FIT_IMAGES]]).unsqueeze(1),
                   torch.from_numpy(train_labels[:FIT_IMAGES]))

    os.makedirs(OUT, exist_ok=True)
    state = model.state_dict()
    write_safetensors(os.path.join(OUT, "torchvision_resnet18_small.safetensors"), state,
                      {"format": "pt", "source": "scripts/golden/make_torchvision_eval_fixture.py",
                       "seed": str(SEED)})

    inputs = torch.from_numpy(table[test].astype(np.float64)).unsqueeze(1)  # N x 1 x 28 x 28

    reference = SmallResNet18().double()
    reference.load_state_dict({k: (v.double() if v.is_floating_point() else v) for k, v in state.items()})
    reference.eval()
    with torch.no_grad():
        logits = reference(inputs)
    targets = torch.from_numpy(labels)
    loss = float(nn.functional.cross_entropy(logits, targets))
    predictions = logits.argmax(dim=1)
    top5 = logits.topk(5, dim=1).indices
    top1_correct = int((predictions == targets).sum())
    top5_correct = int((top5 == targets.unsqueeze(1)).any(dim=1).sum())

    # The smallest gap between the best and second-best logit: how robust the argmax is.
    ordered = logits.sort(dim=1, descending=True).values
    margin = float((ordered[:, 0] - ordered[:, 1]).min())
    top5_margin = float((ordered[:, 4] - ordered[:, 5]).min())

    result = {
        "images": EVAL_IMAGES,
        "mean": [mean], "std": [std],
        "mean_f32": [float(mean32)], "std_f32": [float(std32)],
        "top1": 100.0 * top1_correct / EVAL_IMAGES,
        "top5": 100.0 * top5_correct / EVAL_IMAGES,
        "top1_correct": top1_correct, "top5_correct": top5_correct,
        "loss": loss,
        "min_top1_margin": margin,
        "min_top5_margin": top5_margin,
        "labels": labels.tolist(),
        "predictions": predictions.tolist(),
    }
    with open(os.path.join(OUT, "torchvision_resnet18_small_eval.json"), "w") as file:
        json.dump(result, file, indent=1)
        file.write("\n")
    print("mean %.8f std %.8f top1 %.2f top5 %.2f loss %.6f min margin %.3g"
          % (mean, std, result["top1"], result["top5"], loss, margin))


if __name__ == "__main__":
    main()
