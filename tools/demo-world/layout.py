"""The layout stages of the demo generator.

Why: the first pixel-diffusion run (stage "diffusion", a plain token transformer as text encoder)
learned backgrounds and colours within 1,700 steps but not *where* things are: on held-out
captions that name the main object's cell, the judge found it there in 5-15% of the pictures — no
better than chance — because the UNet had to learn to parse "in the top left" from the denoising
loss alone. SD's text encoder arrives pretrained on 400M image-text pairs; this world has none, so:

1. "slot-text": the generator's text encoder (models.SlotTextEncoder: token transformer + one slot
   per grid cell and one for the background) is pretrained to read the scene from the caption —
   each cell slot predicts whether an object is there and its colour, shape and size, the background
   slot the background — supervised by the scene records the dataset stores beside every caption.
   What a caption leaves open (a vague position, an unnamed colour) stays uncertain in the slots,
   and the generator's noise decides it.
2. "layout": the diffusion model with that encoder; its UNet starts from the "diffusion" stage's
   (which already draws backgrounds and coloured shapes), and the scene loss keeps the slots
   readable (weight SCENE_WEIGHT) while the denoising loss trains both. The UNet reads the slots two
   ways: by cross-attention, like every text token, and painted onto its 16x16 and 8x8 feature maps
   (models.UNetV2 slot_layout: each position gets its own cell's slot). Cross-attention alone
   learned nothing about places in 570 steps (the mean picture at t = 999 had faint blobs in all
   nine cells whatever the caption said); with the painted slots, 200 steps of the same model on
   t = 999 alone drew each caption's object in its own cell.
"""
import copy
import os

import numpy as np
import torch
import torch.nn.functional as F

import diffusion as D
import models as M
from common import SEED, STEPS, Vocab, load_split
import train as T

COLOURS = ["red", "green", "blue", "yellow", "purple", "orange", "white"]
SHAPES = ["circle", "square", "triangle", "diamond", "star"]
SIZES = ["small", "large"]
BACKGROUNDS = ["black", "grey", "sand", "navy"]
SCENE_WEIGHT = 0.1


def scene_targets(recs):
    """Per image: present [9] float, colour/shape/size [9] long (-100 where no object), background."""
    n = len(recs)
    present = torch.zeros(n, 9)
    colour, shape, size = (torch.full((n, 9), -100, dtype=torch.long) for _ in range(3))
    bg = torch.zeros(n, dtype=torch.long)
    for i, r in enumerate(recs):
        bg[i] = BACKGROUNDS.index(r["scene"]["background"])
        for o in r["scene"]["objects"]:
            k = o["y"] * 3 + o["x"]
            present[i, k] = 1
            colour[i, k], shape[i, k], size[i, k] = COLOURS.index(o["colour"]), SHAPES.index(o["shape"]), SIZES.index(o["size"])
    return present, colour, shape, size, bg


def scene_loss(head, slots, targets, rows=None):
    """Cross-entropy of the scene read from the slots; `rows` masks captions out (empty ones)."""
    return readout_loss(head(slots), targets, rows)


def readout_loss(readout, targets, rows=None):
    """Cross-entropy of a SceneHead readout (present, colour, shape, size, background) against
    scene_targets; `rows` masks rows out."""
    present, colour, shape, size, bg = readout
    tp, tc, ts, tz, tb = targets
    if rows is not None:
        keep = rows.float()
        tc, ts, tz = (torch.where(rows[:, None], t, torch.full_like(t, -100)) for t in (tc, ts, tz))
        pres = (F.binary_cross_entropy_with_logits(present, tp, reduction="none").mean(1) * keep).sum() / keep.sum().clamp(min=1)
        bgl = (F.cross_entropy(bg, tb, reduction="none") * keep).sum() / keep.sum().clamp(min=1)
    else:
        pres, bgl = F.binary_cross_entropy_with_logits(present, tp), F.cross_entropy(bg, tb)
    attr = sum(F.cross_entropy(p.reshape(-1, p.shape[-1]), t.reshape(-1), ignore_index=-100)
               for p, t in ((colour, tc), (shape, ts), (size, tz)) if (t != -100).any())
    return pres + bgl + attr


def readout_rows(readout, targets):
    """readout_loss per row ([B]): present + background + the mean attribute cross-entropy over the
    row's objects, so each row can get its own weight."""
    present, colour, shape, size, bg = readout
    tp, tc, ts, tz, tb = targets
    per_row = F.binary_cross_entropy_with_logits(present, tp, reduction="none").mean(1) + F.cross_entropy(bg, tb, reduction="none")
    for p, t in ((colour, tc), (shape, ts), (size, tz)):
        ce = F.cross_entropy(p.transpose(1, 2), t.clamp(min=0), reduction="none")  # [B, 9]
        valid = (t != -100).float()
        per_row = per_row + (ce * valid).sum(1) / valid.sum(1).clamp(min=1)
    return per_row


class SlotText(torch.nn.Module):
    def __init__(self, vocab_size):
        super().__init__()
        self.text = M.SlotTextEncoder(vocab_size, T.TEXT_D, layers=2, heads=4, max_len=T.TEXT_LEN)
        self.head = M.SceneHead(T.TEXT_D)


def stage_slot_text(data, work):
    _, recs, caps = load_split(data, "train", work)
    vocab = Vocab.load(os.path.join(work, "vocab.json"))
    torch.manual_seed(SEED + 5)
    model = SlotText(len(vocab.itos))
    T.load_clip_text(model.text.enc, work)  # the token transformer starts from the CLIP text tower, as before
    padded = torch.stack([vocab.pad(cs) for cs in caps])  # [N, 5, L]
    targets = scene_targets(recs)
    opt = torch.optim.AdamW(model.parameters(), 2e-3, weight_decay=0.01)
    bs = 256

    def batch(step):
        epoch, idx = T.batches(len(recs), bs, step)
        which = torch.from_numpy(np.random.RandomState(SEED + 11 * step).randint(0, 5, len(idx)))
        idx_t = torch.from_numpy(idx)
        ids = padded[idx_t, which]
        h = model.text.enc(ids)
        return scene_loss(model.head, model.text.slots(ids, h), [t[idx_t] for t in targets])

    T.run_loop("slot-text", work, model, opt, STEPS["slot-text"], 2e-3, batch)


class LayoutDiffusion(SlotText):
    """The exported generator: slot text encoder + UNet (+ the training-only scene head)."""

    def __init__(self, vocab_size):
        super().__init__(vocab_size)
        self.unet = M.UNetV2(T.TEXT_D, T.UNET_CH, T.LATENT[0], T.LATENT[1], slot_layout=True)


def stage_layout(data, work):
    u8, recs, caps = load_split(data, "train", work)
    vocab = Vocab.load(os.path.join(work, "vocab.json"))
    torch.manual_seed(SEED + 6)
    model = LayoutDiffusion(len(vocab.itos))
    fresh = not os.path.exists(os.path.join(work, "layout.pt")) and not (T.GENERATOR_CHECKPOINT and os.path.exists(T.GENERATOR_CHECKPOINT))
    if fresh:  # start: the slot encoder as pretrained, the UNet from the base diffusion run
        slot = torch.load(os.path.join(work, "slot-text.pt"))["model"]
        model.text.load_state_dict({k[len("text."):]: v for k, v in slot.items() if k.startswith("text.")})
        model.head.load_state_dict({k[len("head."):]: v for k, v in slot.items() if k.startswith("head.")})
        base = torch.load(os.path.join(work, "diffusion.pt"))
        missing, unexpected = model.unet.load_state_dict(
            {k[len("unet."):]: v for k, v in base["ema"].items() if k.startswith("unet.")}, strict=False)
        assert not unexpected and all(k.startswith(("slot", "bg")) for k in missing), (missing, unexpected)
    opt = torch.optim.AdamW(model.parameters(), 1e-3, weight_decay=0.01)
    targets = scene_targets(recs)
    data_at = T.CaptionedBatches(u8, caps, vocab, caption_seed=4000, noise_seed=100043)
    ac = D.alphas_cumprod()

    def batch(step):
        idx, ids, drop, x0, gen = data_at(step)
        ctx = model.text(ids)
        idx_t = torch.from_numpy(idx)
        aux = scene_loss(model.head, ctx[:, :model.text.n_slots], [t[idx_t] for t in targets], rows=~drop)
        return D.x0_loss(model.unet, x0, ctx, ac, gen) + SCENE_WEIGHT * aux

    ema = copy.deepcopy(model)
    T.run_loop("layout", work, model, opt, STEPS["layout"], 1e-3, batch, lambda: {"scaling_factor": T.SCALING_FACTOR},
               ema, committed=T.GENERATOR_CHECKPOINT, ema_decay=0.999)
