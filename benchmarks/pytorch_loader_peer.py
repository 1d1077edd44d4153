#!/usr/bin/python3
"""PyTorch peer for Hone's data loader benchmark: images/s per core.

Times the per-image work of an ImageNet training data loader, "decode the
JPEG + RandomResizedCrop(224) + RandomHorizontalFlip + convert to float +
Normalize (ImageNet mean and standard deviation)", on ONE thread, over the
JPEGs written by ``benchmarks/make_loader_images.py``. A DataLoader spreads
exactly this work over its worker processes, one image per worker at a time,
so images/s on one thread is the loader's speed per core. Two configurations
are timed and reported separately:

* ``pil`` -- the classic path: ``PIL.Image.open(path).convert("RGB")``, then
  torchvision's ``RandomResizedCrop(224)`` (bilinear, done by PIL, which
  always antialiases), ``RandomHorizontalFlip``, ``ToTensor`` and
  ``Normalize``.
* ``tensor`` -- torchvision's fastest CPU path in this version: the file's
  bytes (``torchvision.io.read_file``), ``torchvision.io.decode_jpeg`` (mode
  RGB, libjpeg) to a uint8 tensor, then on that tensor
  ``RandomResizedCrop(224, antialias=True)``, ``RandomHorizontalFlip``,
  ``ConvertImageDtype(torch.float32)`` and ``Normalize``. torchvision 0.14 has
  no ``transforms.v2`` (it arrived in 0.15); these v1 tensor transforms are
  what v2 runs on plain tensors.

Method: read every file once so the page cache holds them, warm up each
configuration on 50 images, then time ``--repeats`` passes over the files
(all, or the first ``--limit`` in generation order) and report the median as
images/s and ms per image. The random crops and flips are re-seeded before
every pass, so the passes do the same work. Besides wall time the process's
CPU time is measured: ``cpu/wall`` at most 1.0 confirms that one thread did
the work, and well under 1.0 means other processes took the core (a shared
machine; a busy sibling hyper-thread slows it without showing there). After
the runs the script also counts the operating-system threads of its process
(``/proc/self/task``), which should be 1.

Output: a short table on stdout; with ``--json`` one JSON object per
configuration on stdout instead (and the table on stderr), with ``config``,
``images_per_second``, ``ms_per_image``, ``images``, ``repeats``,
``threads`` (1, from ``torch.get_num_threads()``), ``cpu_per_wall``,
``process_threads``, ``torch_version``, ``torchvision_version``
and ``pil_version``.

Hone's own figure comes from ``hone bench loader`` over the same folder; the
ratio is taken against the faster of the two configurations here.

Run with Debian's Python (torch 1.13, torchvision 0.14), e.g.::

    /usr/bin/python3 benchmarks/make_loader_images.py           # once: 2000 JPEGs
    /usr/bin/python3 benchmarks/pytorch_loader_peer.py          # all of them, 3 passes
    /usr/bin/python3 benchmarks/pytorch_loader_peer.py --limit 200 --repeats 1 --json
"""

import os

# Intra-op thread pools are sized when torch is imported: fix them to one
# thread first, then torch.set_num_threads(1) below makes sure.
for _variable in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
    os.environ[_variable] = "1"

import argparse
import json
import statistics
import sys
import time

import PIL
import torch
import torchvision
from PIL import Image
from torchvision import transforms
from torchvision.io import ImageReadMode, decode_jpeg, read_file

IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)
CROP = 224
WARMUP_IMAGES = 50
SEED = 0
DEFAULT_DATA = os.path.join("~", ".cache", "hone", "loader-bench")
V2_NOTE = ("torchvision %s has no transforms.v2 (it arrived in 0.15); the tensor "
           "configuration uses the v1 tensor transforms, which are what v2 runs on tensors")


def pil_pipeline():
    """The classic chain: PIL decode, PIL crop-resize and flip, ToTensor, Normalize."""
    augment = transforms.Compose([
        transforms.RandomResizedCrop(CROP),
        transforms.RandomHorizontalFlip(),
        transforms.ToTensor(),
        transforms.Normalize(IMAGENET_MEAN, IMAGENET_STD),
    ])
    return lambda path: augment(Image.open(path).convert("RGB"))


def tensor_pipeline():
    """The tensor chain: decode_jpeg to uint8, tensor crop-resize and flip, float, Normalize."""
    augment = transforms.Compose([
        transforms.RandomResizedCrop(CROP, antialias=True),
        transforms.RandomHorizontalFlip(),
        transforms.ConvertImageDtype(torch.float32),
        transforms.Normalize(IMAGENET_MEAN, IMAGENET_STD),
    ])
    return lambda path: augment(decode_jpeg(read_file(path), mode=ImageReadMode.RGB))


CONFIGS = {
    "pil": ("PIL decode + PIL RandomResizedCrop/flip + ToTensor + Normalize", pil_pipeline),
    "tensor": ("read_file + decode_jpeg + tensor RandomResizedCrop(antialias)/flip"
               " + ConvertImageDtype + Normalize", tensor_pipeline),
}


def list_images(data):
    """The JPEGs under ``data/<class>/``, in generation order (by file name, then class)."""
    paths = []
    for label in sorted(os.listdir(data)):
        folder = os.path.join(data, label)
        if os.path.isdir(folder):
            paths += [os.path.join(folder, name) for name in os.listdir(folder)
                      if name.lower().endswith((".jpg", ".jpeg"))]
    return sorted(paths, key=lambda path: (os.path.basename(path), path))


def use_one_thread():
    """Restrict torch to one thread and return the thread count torch reports."""
    torch.set_num_threads(1)
    torch.set_num_interop_threads(1)
    return torch.get_num_threads()


def read_all(paths):
    """Read every file once so that timed passes hit the page cache, not the disk."""
    for path in paths:
        with open(path, "rb") as handle:
            handle.read()


def process_threads():
    """How many operating-system threads this process has (Linux), or None if unknown."""
    tasks = "/proc/self/task"
    return len(os.listdir(tasks)) if os.path.isdir(tasks) else None


def run_pass(pipeline, paths):
    """Run ``pipeline`` on every path; return (wall seconds, CPU seconds of this process)."""
    torch.manual_seed(SEED)
    wall, cpu = time.perf_counter(), time.process_time()
    for path in paths:
        pipeline(path)
    return time.perf_counter() - wall, time.process_time() - cpu


def measure(name, paths, repeats):
    """Warm up, time ``repeats`` passes of configuration ``name``; return its result record."""
    description, make_pipeline = CONFIGS[name]
    pipeline = make_pipeline()
    run_pass(pipeline, [paths[i % len(paths)] for i in range(WARMUP_IMAGES)])
    passes = [run_pass(pipeline, paths) for _ in range(repeats)]
    wall = statistics.median(seconds for seconds, _ in passes)
    cpu = statistics.median(seconds for _, seconds in passes)
    return {
        "config": name,
        "description": description,
        "images_per_second": round(len(paths) / wall, 2),
        "ms_per_image": round(1000 * wall / len(paths), 3),
        "images": len(paths),
        "repeats": repeats,
        "threads": torch.get_num_threads(),
        "cpu_per_wall": round(cpu / wall, 3),
        "process_threads": process_threads(),
        "torch_version": torch.__version__,
        "torchvision_version": torchvision.__version__,
        "pil_version": PIL.__version__,
    }


def print_table(results, data, threads, stream):
    """Print the human-readable report to ``stream``."""
    first = results[0]
    print("PyTorch loader peer: %d images from %s, median of %d pass(es), "
          "torch.get_num_threads() = %d, threads in the process: %s"
          % (first["images"], data, first["repeats"], threads, process_threads()),
          file=stream)
    print("torch %s, torchvision %s, PIL %s"
          % (first["torch_version"], first["torchvision_version"], first["pil_version"]),
          file=stream)
    print("note: " + V2_NOTE % first["torchvision_version"], file=stream)
    print("%-8s %10s %10s %9s  %s" % ("config", "images/s", "ms/image", "cpu/wall", "chain"),
          file=stream)
    for result in results:
        print("%-8s %10.1f %10.3f %9.2f  %s"
              % (result["config"], result["images_per_second"], result["ms_per_image"],
                 result["cpu_per_wall"], result["description"]), file=stream)
    fastest = max(results, key=lambda result: result["images_per_second"])
    print("fastest: %s (compare Hone's `hone bench loader` on the same folder with this)"
          % fastest["config"], file=stream)


def main():
    """Parse the options, pin one thread, time both configurations and report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", default=DEFAULT_DATA,
                        help="ImageFolder of JPEGs (default %(default)s)")
    parser.add_argument("--limit", type=int, help="time only the first N images (default: all)")
    parser.add_argument("--repeats", type=int, default=3,
                        help="timed passes; the median is reported (default %(default)s)")
    parser.add_argument("--json", action="store_true",
                        help="one JSON object per configuration on stdout (table on stderr)")
    args = parser.parse_args()
    if args.repeats < 1 or (args.limit is not None and args.limit < 1):
        parser.error("--repeats and --limit must be at least 1")

    threads = use_one_thread()
    if threads != 1:
        sys.exit("torch.get_num_threads() is %d, not 1" % threads)
    data = os.path.expanduser(args.data)
    if not os.path.isdir(data):
        sys.exit("%s does not exist: run benchmarks/make_loader_images.py first" % data)
    paths = list_images(data)[:args.limit]
    if not paths:
        sys.exit("no JPEGs in %s/<class>/: run benchmarks/make_loader_images.py first" % data)
    read_all(paths)

    results = [measure(name, paths, args.repeats) for name in CONFIGS]
    print_table(results, data, threads, sys.stderr if args.json else sys.stdout)
    if args.json:
        for result in results:
            print(json.dumps(result))


if __name__ == "__main__":
    main()
