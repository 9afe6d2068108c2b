"""Stage "clip-recon": the demo CLIP's image tower fine-tuned on the generator's reconstructions.

Why: the round trip ranks candidate captions by how close each caption's reconstruction is to the
source image. The demo CLIP was trained on clean renders and captions only; it never saw a
reconstruction, and on the generator's pictures it ranks no better than a plain pixel similarity
(both +16.5% over the sampling mean; resources/demo/README.md). Issue 14 names training the
embedder on reconstructions a fair fix. Here, for training images:
- the positive: the reconstruction of one of the image's own reference captions;
- a hard negative: the reconstruction of that caption with one colour or shape word swapped for
  another ("a red star" -> "a blue star"), i.e. the near-miss a sampled candidate makes;
- the other images' reconstructions in the batch.
The loss is InfoNCE from each source image to those reconstructions, plus the original image-text
InfoNCE so the text tower (the text embedder of verify-images) stays aligned. Usage: train.py
clip-recon DATA_DIR WORK_DIR (needs clip.pt and a finished generator stage).

Measured (session 6, 300 steps on 4000 images, 2.6 min plus 12 min of reconstructions): it did not
rank candidates better (resources/demo/README.md), so export.py does not read its checkpoint and the
shipped CLIP is the original."""
import os
import re

import numpy as np
import torch
import torch.nn.functional as F

import diffusion as D
import models as M
from common import SEED, STEPS, Vocab, load_split, to_pixels
import train as T

IMAGES = int(os.environ.get("DEMO_CLIP_RECON_IMAGES", "4000"))  # training images given reconstructions (two each: the caption and its near miss)
COLOURS = ["red", "green", "blue", "yellow", "purple", "orange", "white"]
SHAPES = ["circle", "square", "triangle", "diamond", "star", "disc", "ball", "box", "block"]
LR = 2e-4


def near_miss(caption, rng):
    """The caption with one colour (else shape) word replaced by another, or None."""
    words = re.findall(r"\w+|\W+", caption)
    for vocab in (COLOURS, SHAPES):
        spots = [k for k, w in enumerate(words) if w.lower() in vocab]
        if spots:
            k = spots[rng.randint(len(spots))]
            words[k] = rng.choice([w for w in vocab if w != words[k].lower()])
            return "".join(words)
    return None


def reconstructions(work, u8, caps, vocab):
    """[IMAGES, 2, 64, 64, 3] uint8 (caption, near miss), the chosen captions and whether each has a
    near miss (without one, the second picture is unused), cached in WORK_DIR."""
    path = os.path.join(work, f"clip-recon-{IMAGES}.npz")
    if os.path.exists(path):
        z = np.load(path)
        return z["recon"], [str(c) for c in z["captions"]], z["missed"]
    from export import load_generator
    diff, vae, sf, gvocab = load_generator(work)
    rng = np.random.RandomState(SEED + 13)
    picked = [caps[i][rng.randint(len(caps[i]))] for i in range(IMAGES)]
    misses = [near_miss(c, rng) or c for c in picked]
    out = np.zeros((IMAGES, 2, 64, 64, 3), np.uint8)
    for s in range(0, IMAGES, 50):
        texts = picked[s:s + 50] + misses[s:s + 50]
        n = len(texts) // 2
        imgs = D.ddim_sample(diff.unet, diff.text, gvocab.pad(texts), vae, T.LATENT, sf, steps=4, guidance=1.0, seed=SEED + s)
        out[s:s + n, 0], out[s:s + n, 1] = imgs[:n], imgs[n:]
        if s % 500 == 0:
            print(f"reconstructions {s}/{IMAGES}", flush=True)
    np.savez(path + ".tmp.npz", recon=out, captions=np.array(picked), missed=np.array([m != c for m, c in zip(misses, picked)]))
    os.replace(path + ".tmp.npz", path)
    return out, picked, np.array([m != c for m, c in zip(misses, picked)])


def stage_clip_recon(data, work):
    u8, _, caps = load_split(data, "train", work)
    vocab = Vocab.load(os.path.join(work, "vocab.json"))
    model = M.Clip(len(vocab.itos), T.CLIP_DIM)
    if not os.path.exists(os.path.join(work, "clip-recon.pt")):
        model.load_state_dict(torch.load(os.path.join(work, "clip.pt"))["model"])
    recon, picked, missed = reconstructions(work, u8, caps, vocab)
    missed = torch.from_numpy(missed)
    ids_all = vocab.pad(picked)
    opt = torch.optim.AdamW(model.parameters(), LR, weight_decay=0.01)
    bs = 96

    def batch(step):
        _, idx = T.batches(IMAGES, bs, step)
        real = model.vision(to_pixels(u8[idx]))
        pos = model.vision(to_pixels(recon[idx, 0]))
        neg = model.vision(to_pixels(recon[idx, 1]))
        txt = model.text(ids_all[torch.from_numpy(idx)])
        scale = model.logit_scale.clamp(max=np.log(100.0)).exp()
        lab = torch.arange(len(idx))
        text_loss = 0.5 * (F.cross_entropy(scale * real @ txt.t(), lab) + F.cross_entropy(scale * txt @ real.t(), lab))
        recon_logits = scale * real @ torch.cat([pos, neg]).t()  # [B, 2B]: own reconstruction first
        recon_logits[:, len(idx):] = recon_logits[:, len(idx):].masked_fill(~missed[torch.from_numpy(idx)][None, :], float("-inf"))
        return text_loss + F.cross_entropy(recon_logits, lab)

    T.run_loop("clip-recon", work, model, opt, STEPS["clip-recon"], LR, batch, committed=T.CLIP_RECON_CHECKPOINT, warmup=True)
