"""A scene reader: a small CNN that reads a 64x64 picture's scene (per grid cell: is there an object,
its colour, shape and size; the background), trained on the real training images only.

Why it exists: the layout run's generator drew backgrounds (98%), colours and places (86-89%) but
its shapes stayed ragged blobs (colour + shape 31.5% with the judge, 16 sampling steps no better
than 4, so the model did not know shapes rather than failing to sample them). The x0 loss is a mean
squared error over all pixels; a star and a disc of the same colour differ in a few dozen edge
pixels out of 4096, so the denoising loss barely tells them apart. The "shapes" stage
(shapes.py) adds this reader as a frozen perceptual loss on the generator's x0 prediction — the
same idea as LPIPS or a feature-matching loss, with features that are about this world's scenes.
It is a training tool only (not exported); the judge that scores the generator stays evaluate.py's
pixel rule, which this network never sees.

Usage: train.py reader DATA_DIR WORK_DIR"""
import os

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

import models as M
from common import SEED, STEPS, load_split, set_threads, to_pixels
import train as T
from layout import readout_loss, scene_targets

NOISE_MAX = 0.25  # training augmentation: Gaussian pixel noise up to this sigma (pixels in [-1, 1])


class SceneReader(nn.Module):
    """Convolutions at 64, 32 and 16 pixels, then each grid cell's features pooled (mean and max
    over the 16x16 positions whose centre lies in the cell) into M.SceneHead's readout."""

    def __init__(self, width=(24, 48, 96), d=128):
        super().__init__()
        a, b, c = width

        def block(cin, cout, stride):
            return nn.Sequential(nn.Conv2d(cin, cout, 3, stride, 1), nn.GroupNorm(8, cout), nn.SiLU())

        self.features = nn.Sequential(block(3, a, 1), block(a, b, 2), block(b, b, 1),
                                      block(b, c, 2), block(c, c, 1))
        self.register_buffer("cells", M.cell_map(16), persistent=False)  # [256, 9]
        self.to_slot = nn.Linear(2 * c, d)
        self.to_bg = nn.Linear(2 * c, d)
        self.head = M.SceneHead(d)

    def forward(self, pixels):
        f = self.features(pixels).flatten(2).transpose(1, 2)  # [B, 256, C]
        share = self.cells / self.cells.sum(0, keepdim=True)
        mean = torch.einsum("bpc,pk->bkc", f, share)
        peak = (f[:, :, None, :] + (self.cells[None, :, :, None] - 1) * 1e4).amax(1)  # [B, 9, C]
        cells = self.to_slot(torch.cat([mean, peak], -1))
        whole = self.to_bg(torch.cat([f.mean(1), f.amax(1)], -1))
        return self.head(torch.cat([cells, whole[:, None]], 1))


def noisy(px, gen):
    sigma = torch.rand(px.shape[0], 1, 1, 1, generator=gen) * NOISE_MAX
    return px + sigma * torch.randn(px.shape, generator=gen)


def accuracy(reader, u8, recs, bs=250):
    """Share of objects whose cell, colour and shape the reader gets right; background share."""
    reader.eval()
    present, colour, shape, _, bg = scene_targets(recs)
    hit = tot = bg_hit = 0
    with torch.no_grad():
        for i in range(0, len(u8), bs):
            p, c, s, _, b = reader(to_pixels(u8[i:i + bs]))
            obj = present[i:i + bs] > 0
            ok = (p > 0) & (c.argmax(-1) == colour[i:i + bs]) & (s.argmax(-1) == shape[i:i + bs])
            hit += int((ok & obj).sum())
            tot += int(obj.sum())
            bg_hit += int((b.argmax(-1) == bg[i:i + bs]).sum())
    reader.train()
    return hit / tot, bg_hit / len(u8)


def stage_reader(data, work):
    u8, recs, _ = load_split(data, "train", work)
    torch.manual_seed(SEED + 7)
    reader = SceneReader()
    targets = scene_targets(recs)
    opt = torch.optim.AdamW(reader.parameters(), 2e-3, weight_decay=0.01)
    bs = 64

    def batch(step):
        _, idx = T.batches(len(u8), bs, step)
        gen = torch.Generator().manual_seed(SEED * 100057 + step)
        idx_t = torch.from_numpy(idx)
        return readout_loss(reader(noisy(to_pixels(u8[idx]), gen)), [t[idx_t] for t in targets])

    def record():
        tu8, trecs, _ = load_split(data, "test", work)
        objects, background = accuracy(reader, tu8, trecs)
        print(f"reader on the test split: object cell+colour+shape {objects:.3f}, background {background:.3f}", flush=True)
        return {"test_object_accuracy": objects, "test_background_accuracy": background}

    T.run_loop("reader", work, reader, opt, STEPS["reader"], 2e-3, batch, record,
               committed=T.READER_CHECKPOINT, warmup=True)


def load_reader(work):
    st = torch.load(os.path.join(work, "reader.pt"))
    if not st.get("done"):
        raise SystemExit(f"{os.path.join(work, 'reader.pt')}: the reader stage has not finished")
    reader = SceneReader()
    reader.load_state_dict({k: v.float() for k, v in st["model"].items()})
    return reader.eval().requires_grad_(False)


if __name__ == "__main__":  # a check of a trained reader: python3 scene_reader.py DATA WORK
    import sys
    set_threads()
    tu8, trecs, _ = load_split(sys.argv[1], "test", sys.argv[2])
    print(accuracy(load_reader(sys.argv[2]), tu8, trecs))
