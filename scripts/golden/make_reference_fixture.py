#!/usr/bin/python3
"""Writes Tests/TestSupportTests/Fixtures/reference_cases.json: PyTorch's float64 outputs for
the tricky cases Hone's naive reference ops (Sources/TestSupport) must reproduce.

Run with Debian's interpreter, which has torch:  /usr/bin/python3 scripts/golden/make_reference_fixture.py

Layout: {"torch_version": str, "cases": {name: {"tensors": {name: {"shape": [int], "values": [float]}},
"integers": {name: [int]}, "numbers": {name: float}}}}. Every input comes from a fixed seed,
so rerunning the script reproduces the file byte for byte on the same torch version.
"""

import json
import pathlib

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)

OUTPUT = pathlib.Path(__file__).resolve().parents[2] / "Tests/TestSupportTests/Fixtures/reference_cases.json"


def generator(seed):
    """A CPU generator with a fixed seed, one per case so cases do not shift one another."""
    return torch.Generator().manual_seed(seed)


def uniform(shape, seed, low=-1.0, high=1.0):
    return torch.rand(shape, generator=generator(seed)) * (high - low) + low


def normal(shape, seed, scale=1.0):
    return torch.randn(shape, generator=generator(seed)) * scale


def encode(tensor):
    tensor = tensor.detach().to(torch.float64).contiguous()
    return {"shape": list(tensor.shape), "values": [float(value) for value in tensor.reshape(-1).tolist()]}


def case(tensors, integers=None, numbers=None):
    return {
        "tensors": {name: encode(value) for name, value in tensors.items()},
        "integers": integers or {},
        "numbers": numbers or {},
    }


def convolution_case(seed, input_shape, weight_shape, stride, padding, dilation, groups, with_bias):
    """conv2d with the given (height, width) pairs for stride, padding and dilation."""
    x = uniform(input_shape, seed)
    weight = uniform(weight_shape, seed + 1)
    bias = uniform([weight_shape[0]], seed + 2) if with_bias else None
    output = F.conv2d(x, weight, bias, stride=stride, padding=padding, dilation=dilation, groups=groups)
    tensors = {"input": x, "weight": weight, "output": output}
    if bias is not None:
        tensors["bias"] = bias
    return case(tensors, integers={
        "stride": list(stride), "padding": list(padding), "dilation": list(dilation), "groups": [groups],
    })


def pooling_case(seed, input_shape, kind, kernel, stride, padding, ceil_mode, count_include_pad=True):
    x = normal(input_shape, seed)
    if kind == "max":
        output = F.max_pool2d(x, kernel, stride, padding, ceil_mode=ceil_mode)
    else:
        output = F.avg_pool2d(x, kernel, stride, padding, ceil_mode=ceil_mode, count_include_pad=count_include_pad)
    return case({"input": x, "output": output}, integers={
        "kernel": list(kernel), "stride": list(stride), "padding": list(padding),
        "ceil_mode": [int(ceil_mode)], "count_include_pad": [int(count_include_pad)],
    })


def batch_norm_training_case(seed):
    x = normal([4, 3, 5, 6], seed, scale=2.0) + 0.5
    scale = uniform([3], seed + 1, 0.5, 1.5)
    shift = uniform([3], seed + 2)
    running_mean = uniform([3], seed + 3)
    running_variance = uniform([3], seed + 4, 0.5, 2.0)
    momentum, epsilon = 0.1, 1e-5
    updated_mean, updated_variance = running_mean.clone(), running_variance.clone()
    output = F.batch_norm(x, updated_mean, updated_variance, scale, shift, training=True,
                          momentum=momentum, eps=epsilon)
    mean = x.mean(dim=(0, 2, 3))
    biased_variance = x.var(dim=(0, 2, 3), unbiased=False)
    return case({
        "input": x, "scale": scale, "shift": shift, "output": output,
        "mean": mean, "biased_variance": biased_variance,
        "running_mean": running_mean, "running_variance": running_variance,
        "updated_running_mean": updated_mean, "updated_running_variance": updated_variance,
    }, numbers={"momentum": momentum, "epsilon": epsilon})


def batch_norm_inference_case(seed):
    x = normal([3, 4, 3, 5], seed)
    scale = uniform([4], seed + 1, 0.5, 1.5)
    shift = uniform([4], seed + 2)
    mean = uniform([4], seed + 3)
    variance = uniform([4], seed + 4, 0.5, 2.0)
    epsilon = 1e-3
    output = F.batch_norm(x, mean, variance, scale, shift, training=False, eps=epsilon)
    return case({"input": x, "scale": scale, "shift": shift, "mean": mean, "variance": variance,
                 "output": output}, numbers={"epsilon": epsilon})


def group_norm_case(seed):
    x = normal([2, 6, 4, 5], seed, scale=3.0) - 1.0
    scale = uniform([6], seed + 1, 0.5, 1.5)
    shift = uniform([6], seed + 2)
    epsilon = 1e-5
    output = F.group_norm(x, 3, scale, shift, eps=epsilon)
    return case({"input": x, "scale": scale, "shift": shift, "output": output},
                integers={"groups": [3]}, numbers={"epsilon": epsilon})


def cross_entropy_label_smoothing_case(seed):
    logits = normal([5, 7], seed, scale=3.0).requires_grad_(True)
    labels = torch.randint(0, 7, [5], generator=generator(seed + 1))
    smoothing = 0.1
    loss = F.cross_entropy(logits, labels, label_smoothing=smoothing)
    (gradient,) = torch.autograd.grad(loss, logits)
    return case({"logits": logits, "loss": loss.reshape(1), "gradient": gradient},
                integers={"labels": labels.tolist()}, numbers={"label_smoothing": smoothing})


def cross_entropy_soft_targets_case(seed):
    logits = normal([4, 6], seed, scale=3.0).requires_grad_(True)
    targets = torch.softmax(normal([4, 6], seed + 1, scale=2.0), dim=1)
    loss = F.cross_entropy(logits, targets)
    (gradient,) = torch.autograd.grad(loss, logits)
    return case({"logits": logits, "targets": targets, "loss": loss.reshape(1), "gradient": gradient})


def binary_cross_entropy_case(seed):
    logits = normal([3, 5], seed, scale=4.0)
    logits[0, 0], logits[0, 1], logits[1, 0] = 60.0, -60.0, 0.0
    logits.requires_grad_(True)
    targets = uniform([3, 5], seed + 1, 0.0, 1.0)
    targets[0, 0], targets[0, 1] = 0.0, 1.0
    loss = F.binary_cross_entropy_with_logits(logits, targets)
    (gradient,) = torch.autograd.grad(loss, logits)
    return case({"logits": logits, "targets": targets, "loss": loss.reshape(1), "gradient": gradient})


def linear_case(seed):
    x = uniform([3, 5], seed)
    weight = uniform([4, 5], seed + 1)
    bias = uniform([4], seed + 2)
    return case({"input": x, "weight": weight, "bias": bias, "output": F.linear(x, weight, bias)})


def main():
    cases = {
        "convolution_strided_dilated_grouped": convolution_case(
            100, [2, 4, 9, 11], [6, 2, 3, 3], stride=(2, 2), padding=(1, 1), dilation=(2, 2), groups=2,
            with_bias=True),
        "convolution_anisotropic": convolution_case(
            110, [1, 3, 7, 6], [4, 3, 2, 3], stride=(2, 1), padding=(1, 2), dilation=(1, 2), groups=1,
            with_bias=False),
        "max_pool_3_2_1": pooling_case(200, [2, 3, 7, 7], "max", (3, 3), (2, 2), (1, 1), ceil_mode=False),
        "max_pool_ceil_mode": pooling_case(210, [1, 2, 8, 6], "max", (3, 3), (2, 2), (0, 1), ceil_mode=True),
        "max_pool_ceil_mode_trimmed": pooling_case(220, [1, 2, 5, 5], "max", (2, 2), (2, 2), (1, 1),
                                                   ceil_mode=True),
        "average_pool_ceil_past_padding_include": pooling_case(
            300, [1, 2, 8, 6], "average", (3, 3), (2, 2), (1, 1), ceil_mode=True, count_include_pad=True),
        "average_pool_ceil_past_padding_exclude": pooling_case(
            300, [1, 2, 8, 6], "average", (3, 3), (2, 2), (1, 1), ceil_mode=True, count_include_pad=False),
        "average_pool_ceil_odd_include": pooling_case(
            310, [2, 2, 7, 7], "average", (2, 2), (2, 2), (0, 0), ceil_mode=True, count_include_pad=True),
        "average_pool_ceil_odd_exclude": pooling_case(
            310, [2, 2, 7, 7], "average", (2, 2), (2, 2), (0, 0), ceil_mode=True, count_include_pad=False),
        "average_pool_ceil_trimmed_include": pooling_case(
            320, [1, 1, 5, 5], "average", (2, 2), (2, 2), (1, 1), ceil_mode=True, count_include_pad=True),
        "average_pool_ceil_trimmed_exclude": pooling_case(
            320, [1, 1, 5, 5], "average", (2, 2), (2, 2), (1, 1), ceil_mode=True, count_include_pad=False),
        "average_pool_anisotropic_include": pooling_case(
            330, [1, 2, 7, 5], "average", (3, 2), (2, 1), (1, 1), ceil_mode=False, count_include_pad=True),
        "batch_norm_training": batch_norm_training_case(400),
        "batch_norm_inference": batch_norm_inference_case(410),
        "group_norm": group_norm_case(500),
        "cross_entropy_label_smoothing": cross_entropy_label_smoothing_case(600),
        "cross_entropy_soft_targets": cross_entropy_soft_targets_case(610),
        "binary_cross_entropy_with_logits": binary_cross_entropy_case(620),
        "linear": linear_case(700),
    }
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    document = {"torch_version": torch.__version__, "cases": cases}
    OUTPUT.write_text(json.dumps(document, sort_keys=True, separators=(",", ":")) + "\n")
    print(f"wrote {OUTPUT} ({OUTPUT.stat().st_size} bytes, {len(cases)} cases)")


if __name__ == "__main__":
    main()
