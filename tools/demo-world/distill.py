"""Guidance distillation of the demo generator (Meng et al. 2023, "On Distillation of Guided
Diffusion Models", stage 1, without a guidance input): a student UNet learns to output in one
evaluation what the trained model gives with classifier-free guidance at scale GUIDANCE (two
evaluations: with the caption and with the empty one). The app's defaults then draw guided
pictures at 4 DDIM steps × 1 evaluation: 40 UNet evaluations for 10 candidates.

Half of the training timesteps are the ones the app's 4-step trailing sampler visits (999, 749,
499, 249), where the student's accuracy matters; the other half are uniform so other step counts
keep working. Empty captions (10%) are kept: for them the target is the unguided prediction.
Usage: train.py distill DATA_DIR WORK_DIR (after the layout stage)."""
import copy
import os

import torch

import diffusion as D
from common import STEPS, Vocab, load_split
import train as T
from layout import LayoutDiffusion

GUIDANCE = 3.0
FOCUS_STEPS = 4


def stage_distill(data, work):
    u8, _, caps = load_split(data, "train", work)
    vocab = Vocab.load(os.path.join(work, "vocab.json"))
    from export import stage_state
    found = stage_state(work, ("shapes", "layout"), snapshot=False)  # the latest finished stage teaches
    if found is None:
        raise SystemExit(f"{work}: neither the shapes nor the layout stage has finished")
    _, st = found
    teacher = LayoutDiffusion(len(vocab.itos))
    teacher.load_state_dict(st["ema"])
    teacher.eval().requires_grad_(False)
    student = copy.deepcopy(teacher).train().requires_grad_(True)
    opt = torch.optim.AdamW(student.parameters(), 2e-4, weight_decay=0.0)
    data_at = T.CaptionedBatches(u8, caps, vocab, caption_seed=3000, noise_seed=100019)
    ac = D.alphas_cumprod()
    focus = torch.tensor(D.trailing_timesteps(FOCUS_STEPS))

    def batch(step):
        idx, ids, drop, x0, gen = data_at(step)
        B = len(idx)
        uniform = torch.randint(0, D.T_TRAIN, (B,), generator=gen)
        on_grid = focus[torch.randint(0, FOCUS_STEPS, (B,), generator=gen)]
        t = torch.where(torch.rand(B, generator=gen) < 0.5, on_grid, uniform)
        noise = torch.randn(x0.shape, generator=gen)
        a = ac[t].view(-1, 1, 1, 1)
        xt = a.sqrt() * x0 + (1 - a).sqrt() * noise
        with torch.no_grad():
            cond = teacher.unet(xt, t, teacher.text(ids))
            uncond = teacher.unet(xt, t, teacher.text(torch.zeros_like(ids)))
            w = torch.where(drop, torch.zeros(B), torch.full((B,), GUIDANCE)).view(-1, 1, 1, 1)
            target = uncond + w * (cond - uncond) if GUIDANCE else cond
            target = torch.where(drop.view(-1, 1, 1, 1), uncond, target)
        weight = (a / (1 - a)).clamp(D.SNR_FLOOR, D.SNR_CAP)
        return (weight * (student.unet(xt, t, student.text(ids)) - target).pow(2)).mean()

    ema = copy.deepcopy(student)
    T.run_loop("distill", work, student, opt, STEPS["distill"], 2e-4, batch,
               lambda: {"scaling_factor": T.SCALING_FACTOR, "guidance": GUIDANCE}, ema,
               committed=T.DISTILL_CHECKPOINT, ema_decay=0.995)
