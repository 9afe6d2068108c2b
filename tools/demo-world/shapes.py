"""The "shapes" stage of the demo generator: the layout model trained on, with two changes to
its loss that are about what it still could not draw — shapes (layout.py's model: colour + shape
31.5% with the judge at 4 and at 16 sampling steps alike, backgrounds 98%, places 89%).

1. Foreground weighting: the x0 error of pixels that belong to an object (farther than
   FG_THRESHOLD from the image's background colour) counts 1 + FG_WEIGHT times. Objects cover a
   few percent of a picture; with a plain mean the loss is mostly about flat background, which
   the model already gets right.
2. A perceptual loss from a frozen scene reader (scene_reader.py, trained on real images only):
   the reader's cross-entropy on the picture the UNet predicts (x0, decoded by the lossless pixel
   "VAE"), against the scene record of the image being denoised. It tells the UNet which pixels
   make a star a star, which the mean squared error hardly does.
Both extra terms are scaled by min(SNR, 1), so they act where the noisy input already fixes where
things are (t below ~500 on the cosine schedule) and fade out towards t = 999. A first run
applied them at every noise level: within 200 steps the pictures filled with copies of the objects
in every cell (object count right 61% → 28%). The reason: a weight that depends on the target
biases the best guess — where the model cannot yet know whether a cell holds the object, an error on
object pixels costs 5× and painting object colour there "on the chance" pays, and the reader's
"is there an object here" term pays the same hedge. Where x_t already determines the image there is
no such bet to make.
The slot readout loss of the layout stage stays. Usage: train.py shapes DATA_DIR WORK_DIR."""
import copy
import os

import torch
import torch.nn.functional as F

import diffusion as D
from common import STEPS, Vocab, load_split
import train as T
from layout import SCENE_WEIGHT, LayoutDiffusion, readout_rows, scene_loss, scene_targets
from scene_facts import BACKGROUND_RGB
from layout import BACKGROUNDS
from scene_reader import load_reader

FG_WEIGHT = 4.0
FG_THRESHOLD = 24  # max RGB channel difference from the background colour (objects differ by far more)
READER_WEIGHT = 0.1
LR = 5e-4


def foreground_masks(u8, recs):
    """[N, 64, 64] bool: pixels that differ from the image's background colour."""
    bg = torch.tensor([BACKGROUND_RGB[r["scene"]["background"]] for r in recs], dtype=torch.int16)
    out = torch.empty(u8.shape[:3], dtype=torch.bool)
    for i in range(0, len(u8), 1000):
        px = torch.from_numpy(u8[i:i + 1000]).to(torch.int16)
        out[i:i + 1000] = (px - bg[i:i + 1000, None, None, :]).abs().amax(-1) > FG_THRESHOLD
    return out


def stage_shapes(data, work):
    u8, recs, caps = load_split(data, "train", work)
    vocab = Vocab.load(os.path.join(work, "vocab.json"))
    model = LayoutDiffusion(len(vocab.itos))
    fresh = not os.path.exists(os.path.join(work, "shapes.pt")) and not (T.SHAPES_CHECKPOINT and os.path.exists(T.SHAPES_CHECKPOINT))
    if fresh:  # start from the finished layout run's EMA weights
        st = torch.load(os.path.join(work, "layout.pt"))
        if not st.get("done"):
            raise SystemExit(f"{os.path.join(work, 'layout.pt')}: the layout stage has not finished")
        model.load_state_dict(st["ema"])
    reader = []  # loaded at the first step: a finished stage resumed from its checkpoint needs none
    opt = torch.optim.AdamW(model.parameters(), LR, weight_decay=0.01)
    targets = scene_targets(recs)
    fg = foreground_masks(u8, recs)
    data_at = T.CaptionedBatches(u8, caps, vocab, caption_seed=5000, noise_seed=100069)
    ac = D.alphas_cumprod()
    assert BACKGROUNDS == list(BACKGROUND_RGB)

    def batch(step):
        idx, ids, drop, x0, gen = data_at(step)
        idx_t = torch.from_numpy(idx)
        ctx = model.text(ids)
        t, xt, w = D.noised(x0, ac, gen)
        pred = model.unet(xt, t, ctx)
        ramp = (ac[t] / (1 - ac[t])).clamp(max=1.0)  # SNR up to 1: both extra terms fade out at high noise
        weight = 1 + FG_WEIGHT * ramp.view(-1, 1, 1, 1) * data_at.vae.encode(fg[idx_t][:, None].float().expand(-1, 3, -1, -1))[0]
        loss = (w * weight * (pred - x0).pow(2)).mean() / weight.mean()  # a weighted mean over pixels
        scene = [tt[idx_t] for tt in targets]
        loss = loss + SCENE_WEIGHT * scene_loss(model.head, ctx[:, :model.text.n_slots], scene, rows=~drop)
        if not reader:
            reader.append(load_reader(work))
        read = reader[0](data_at.vae.decode(pred / T.SCALING_FACTOR).clamp(-1.5, 1.5))
        return loss + READER_WEIGHT * (ramp * readout_rows(read, scene)).mean()

    ema = copy.deepcopy(model)
    T.run_loop("shapes", work, model, opt, STEPS["shapes"], LR, batch, lambda: {"scaling_factor": T.SCALING_FACTOR},
               ema, committed=T.SHAPES_CHECKPOINT, ema_decay=0.995, warmup=True)
