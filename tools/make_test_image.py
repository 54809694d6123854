#!/usr/bin/python3
"""Generate a deterministic, photo-like synthetic test image.

    /usr/bin/python3 tools/make_test_image.py --out x.png [--size WxH] [--seed N]

The project ships no downloaded photos, so tests and demos use this: a sky
gradient, a textured ground, soft lighting, a few shapes and a striped,
shaded "object" in the middle, plus mild sensor noise. The output depends only
on --size and --seed (numpy's PCG64 generator, no clock, no font files), so
the same command gives the same bytes on every run. The format follows the
file extension: .png (lossless) or .jpg/.jpeg (quality 92, no subsampling
change, so bytes are stable for a given Pillow version).

Uses Debian's python3-numpy and python3-pil.
"""
import argparse
import sys

import numpy as np
from PIL import Image, ImageDraw, ImageFilter


def parse_size(text):
    """'640x480' -> (640, 480); both sides in 8..8192."""
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"size must be WxH, not {text!r}")
    if not (8 <= w <= 8192 and 8 <= h <= 8192):
        raise argparse.ArgumentTypeError("each side must be within 8..8192")
    return w, h


def background(rng, w, h):
    """Sky gradient above a horizon, textured ground below, as float RGB."""
    y = np.linspace(0.0, 1.0, h)[:, None]
    x = np.linspace(0.0, 1.0, w)[None, :]
    horizon = 0.45 + 0.1 * rng.random()
    sky_top = np.array([0.25, 0.45, 0.85]) + 0.1 * rng.random(3)
    sky_low = np.array([0.80, 0.85, 0.95])
    t = np.clip(y / horizon, 0.0, 1.0)[..., None]
    sky = sky_top * (1 - t) + sky_low * t
    ground_col = np.array([0.35, 0.45, 0.20]) + 0.1 * rng.random(3)
    # Ground texture: a few sinusoids of random phase, darker far away.
    tex = np.zeros((h, w))
    for _ in range(6):
        fx, fy = rng.uniform(4, 40, size=2)
        ph = rng.uniform(0, 2 * np.pi)
        tex += np.sin(2 * np.pi * (fx * x + fy * y) + ph)
    tex = 0.5 + tex / 12.0
    depth = np.clip((y - horizon) / (1 - horizon), 0.0, 1.0)
    ground = ground_col * (0.6 + 0.4 * depth)[..., None] * (0.8 + 0.4 * tex)[..., None]
    img = np.where((y < horizon)[..., None], sky * np.ones((1, w, 1)), ground)
    return img, horizon


def draw_shapes(rng, img, horizon):
    """Hills, a sun and a central striped object with shading, via PIL."""
    h, w, _ = img.shape
    pil = Image.fromarray((np.clip(img, 0, 1) * 255).astype(np.uint8))
    d = ImageDraw.Draw(pil)
    hy = int(horizon * h)
    for _ in range(3):  # distant hills on the horizon
        cx, r = rng.uniform(0, w), rng.uniform(0.15, 0.4) * w
        col = tuple(int(v) for v in rng.uniform(60, 120, 3))
        d.ellipse([cx - r, hy - r * 0.35, cx + r, hy + r * 0.35], fill=col)
    sx, sy, sr = w * rng.uniform(0.65, 0.9), h * 0.15, min(w, h) * 0.07
    d.ellipse([sx - sr, sy - sr, sx + sr, sy + sr], fill=(255, 240, 200))
    # The object: an ellipse with stripes, then a vertical shading ramp.
    ox, oy = w * rng.uniform(0.35, 0.65), h * rng.uniform(0.55, 0.7)
    rx, ry = w * 0.22, h * 0.18
    mask = Image.new("L", (w, h), 0)
    ImageDraw.Draw(mask).ellipse([ox - rx, oy - ry, ox + rx, oy + ry], fill=255)
    body = Image.new("RGB", (w, h), tuple(int(v) for v in rng.uniform(120, 220, 3)))
    bd = ImageDraw.Draw(body)
    stripe = max(2, int(rx / 6))
    dark = tuple(int(v) for v in rng.uniform(20, 80, 3))
    for sxp in range(int(ox - rx), int(ox + rx), 2 * stripe):
        bd.polygon([(sxp, oy - ry), (sxp + stripe, oy - ry),
                    (sxp + stripe + ry * 0.3, oy + ry), (sxp + ry * 0.3, oy + ry)],
                   fill=dark)
    pil.paste(body, (0, 0), mask.filter(ImageFilter.GaussianBlur(1.5)))
    return np.asarray(pil).astype(np.float64) / 255.0, (ox, oy, rx, ry)


def lighting(rng, img, obj):
    """Shade the object from above-left, vignette the frame, add noise."""
    h, w, _ = img.shape
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float64)
    ox, oy, rx, ry = obj
    inside = ((xx - ox) / rx) ** 2 + ((yy - oy) / ry) ** 2
    shade = np.where(inside < 1, 1.1 - 0.5 * ((yy - (oy - ry)) / (2 * ry)), 1.0)
    vign = 1.0 - 0.35 * (((xx / w) - 0.5) ** 2 + ((yy / h) - 0.5) ** 2) * 2
    out = img * (shade * vign)[..., None]
    out += rng.normal(0.0, 0.015, size=out.shape)
    return np.clip(out, 0.0, 1.0)


def make_image(w, h, seed):
    """The whole picture as a PIL RGB image."""
    rng = np.random.Generator(np.random.PCG64(seed))
    img, horizon = background(rng, w, h)
    img, obj = draw_shapes(rng, img, horizon)
    img = lighting(rng, img, obj)
    return Image.fromarray(np.round(img * 255).astype(np.uint8), "RGB")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", required=True, help="output .png, .jpg or .jpeg")
    ap.add_argument("--size", type=parse_size, default=(320, 240), help="WxH (320x240)")
    ap.add_argument("--seed", type=int, default=1, help="random seed (1)")
    a = ap.parse_args(argv)
    ext = a.out.lower().rsplit(".", 1)[-1]
    if ext not in ("png", "jpg", "jpeg"):
        ap.error("--out must end in .png, .jpg or .jpeg")
    if a.seed < 0:
        ap.error("--seed must be >= 0")
    img = make_image(a.size[0], a.size[1], a.seed)
    if ext == "png":
        img.save(a.out, "PNG", optimize=False)
    else:
        img.save(a.out, "JPEG", quality=92)
    return 0


if __name__ == "__main__":
    sys.exit(main())
