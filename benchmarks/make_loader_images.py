#!/usr/bin/python3
"""Synthetic ImageNet-like JPEGs for the data loader benchmark.

Writes ``--count`` JPEG files (default 2000) into an ImageFolder layout,
``OUT/class0/00000.jpg`` ... ``OUT/class9/01999.jpg`` (image i goes to class
i mod 10), for ``hone bench loader`` and ``benchmarks/pytorch_loader_peer.py``
to decode and augment. Both sides read the same folder, so the comparison does
not depend on a data set being downloaded.

Why synthetic: no photographs ship with Hone, and generated pictures need no
download and come out the same everywhere. Why not flat: the cost of decoding a JPEG depends on how
many non-zero DCT coefficients it holds, i.e. on the image's detail. Flat
colour decodes far faster than a photo and white noise far slower, so each
picture here is built to have roughly the statistics of a photograph:

* a smooth background: a few linear colour gradients in random directions plus
  a coarse random colour field upscaled bicubically;
* 8-24 opaque or translucent ellipses, rectangles and polygons in random
  colours (objects with sharp edges);
* a "pink" luminance texture, whose amplitude spectrum falls off as
  1/f^0.8, close to the 1/f of natural images, and mild Gaussian noise
  (sensor noise);
* a slight Gaussian blur (lens softness).

Sizes vary like ImageNet's: about 70 % landscape (width 450-500, height
310-375) and 30 % portrait-ish (width 400-430, height 450-500). Files are
saved by PIL at quality 90, baseline (not progressive), 4:2:0 chroma
subsampling (PIL's defaults at that quality, given explicitly). A file is
typically 60-115 KB (about 85 KB on average); with PIL they decode at about
the same cost per pixel as photographs resized to 500x375 and saved the same
way.

Every image is drawn from its own generator seeded with (``--seed``, index),
so the output is deterministic, and an interrupted run resumes: files that
already exist are kept, and if all requested files exist nothing is written.

Run with Debian's Python (PIL and numpy), e.g.::

    /usr/bin/python3 benchmarks/make_loader_images.py                  # 2000 images, 1-2 min
    /usr/bin/python3 benchmarks/make_loader_images.py --count 200 --out /tmp/loader-200
"""

import argparse
import os
import sys
import time

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

CLASSES = 10
QUALITY = 90
DEFAULT_OUT = os.path.join("~", ".cache", "hone", "loader-bench")


def image_path(out, index):
    """Path of image ``index``: ``OUT/class<index mod 10>/<index:05d>.jpg``."""
    return os.path.join(out, "class%d" % (index % CLASSES), "%05d.jpg" % index)


def image_size(rng):
    """A (width, height) around 500x375, landscape or portrait like ImageNet."""
    if rng.random() < 0.7:
        return int(rng.integers(450, 501)), int(rng.integers(310, 376))
    return int(rng.integers(400, 431)), int(rng.integers(450, 501))


def random_colour(rng):
    """An RGB colour as a float array in [0, 255]."""
    return rng.uniform(0, 255, size=3)


def background(rng, width, height):
    """Smooth background: linear gradients plus an upscaled coarse colour field."""
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)
    image = np.zeros((height, width, 3), np.float32)
    gradients = int(rng.integers(2, 4))
    for _ in range(gradients):
        angle = rng.uniform(0, 2 * np.pi)
        t = x * np.cos(angle) + y * np.sin(angle)
        t = (t - t.min()) / (t.max() - t.min())
        start, end = random_colour(rng), random_colour(rng)
        image += start + (end - start) * t[..., None]
    image /= gradients
    coarse = rng.uniform(0, 255, size=(int(rng.integers(3, 7)), int(rng.integers(3, 7)), 3))
    field = Image.fromarray(coarse.astype(np.uint8)).resize((width, height), Image.BICUBIC)
    return 0.6 * image + 0.4 * np.asarray(field, np.float32)


def draw_shapes(rng, picture):
    """Composite random ellipses, rectangles and polygons onto ``picture`` (RGB)."""
    width, height = picture.size
    overlay = Image.new("RGBA", picture.size)
    draw = ImageDraw.Draw(overlay)
    for _ in range(int(rng.integers(8, 25))):
        colour = tuple(int(c) for c in random_colour(rng)) + (int(rng.integers(120, 256)),)
        cx, cy = rng.uniform(0, width), rng.uniform(0, height)
        rx, ry = rng.uniform(10, width / 3), rng.uniform(10, height / 3)
        kind = rng.integers(3)
        if kind == 0:
            draw.ellipse([cx - rx, cy - ry, cx + rx, cy + ry], fill=colour)
        elif kind == 1:
            draw.rectangle([cx - rx, cy - ry, cx + rx, cy + ry], fill=colour)
        else:
            angles = np.sort(rng.uniform(0, 2 * np.pi, size=int(rng.integers(3, 8))))
            points = [(cx + rx * np.cos(a), cy + ry * np.sin(a)) for a in angles]
            draw.polygon(points, fill=colour)
    return Image.alpha_composite(picture.convert("RGBA"), overlay).convert("RGB")


def pink_noise(rng, width, height, exponent=0.8):
    """A zero-mean, unit-variance field whose amplitude spectrum falls off as 1/f^exponent."""
    white = np.fft.rfft2(rng.standard_normal((height, width)))
    fy = np.fft.fftfreq(height)[:, None]
    fx = np.fft.rfftfreq(width)[None, :]
    frequency = np.sqrt(fx * fx + fy * fy)
    frequency[0, 0] = 1.0
    field = np.fft.irfft2(white / frequency**exponent, s=(height, width))
    field -= field.mean()
    return (field / field.std()).astype(np.float32)


def make_image(seed, index):
    """Synthesise image ``index`` of the set with ``seed`` as a PIL RGB image."""
    rng = np.random.default_rng([seed, index])
    width, height = image_size(rng)
    picture = Image.fromarray(background(rng, width, height).astype(np.uint8))
    pixels = np.asarray(draw_shapes(rng, picture), np.float32)
    pixels += rng.uniform(20, 40) * pink_noise(rng, width, height)[..., None]
    pixels += rng.normal(0, 4, size=pixels.shape).astype(np.float32)
    picture = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
    return picture.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 0.5)))


def save_jpeg(picture, path):
    """Save as a baseline 4:2:0 JPEG at quality 90, atomically (temporary file, then rename)."""
    temporary = path + ".tmp"
    picture.save(temporary, "JPEG", quality=QUALITY, subsampling=2, progressive=False)
    os.replace(temporary, path)


def main():
    """Parse the options and write the images that are missing."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=DEFAULT_OUT, help="output folder (default %(default)s)")
    parser.add_argument("--count", type=int, default=2000, help="number of images (default %(default)s)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the set (default %(default)s)")
    args = parser.parse_args()
    if args.count < 1:
        parser.error("--count must be at least 1")
    out = os.path.expanduser(args.out)

    missing = [i for i in range(args.count) if not os.path.exists(image_path(out, i))]
    if not missing:
        print("%s already has the %d requested images; nothing to do" % (out, args.count))
        return
    for label in range(min(CLASSES, args.count)):
        os.makedirs(os.path.join(out, "class%d" % label), exist_ok=True)
    start = time.perf_counter()
    total_bytes = 0
    for done, index in enumerate(missing, 1):
        path = image_path(out, index)
        save_jpeg(make_image(args.seed, index), path)
        total_bytes += os.path.getsize(path)
        if done % 200 == 0:
            print("  %d / %d" % (done, len(missing)), file=sys.stderr)
    print("wrote %d images to %s (%d were already there): %.0f KB on average, %.1f s"
          % (len(missing), out, args.count - len(missing),
             total_bytes / len(missing) / 1024, time.perf_counter() - start))


if __name__ == "__main__":
    main()
