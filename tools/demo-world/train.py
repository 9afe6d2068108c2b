"""Train one stage of the demo world: vocab | vae | captioner | clip | diffusion.
Usage: train.py STAGE DATA_DIR WORK_DIR
Every stage runs a fixed number of steps (common.STEPS) over a deterministic data order, so a
rerun reproduces it; checkpoints every few minutes make an interrupted stage resume, and a stage
whose checkpoint says done is skipped."""
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import (PAD, SEED, STEPS, TEXT_LEN, Checkpointer, Log, Vocab, cosine_lr, epoch_order,
                    load_split, set_threads, to_pixels)
import models as M

# Model hyper-parameters, shared with export.py
CAP = dict(d=128, enc_layers=1, dec_layers=3, heads=4)
CLIP_DIM = 128
VAE_CH = (32, 64, 64)  # 3 levels: downsampling 2 ** (3 - 1) = 4, latents 4x16x16
UNET_CH = (32, 96, 128)
LATENT = (4, 16, 16)
TEXT_D = 128
MAX_CAP_TOKENS = 40


def run_loop(name, work, model, opt, total, lr, batch_fn, extra_state=None, ema=None):
    """Generic resumable loop: batch_fn(step) -> loss. `ema`: a copy of the model that tracks an
    exponential moving average of the weights (what the diffusion export uses)."""
    log = Log(name)
    ck = Checkpointer(os.path.join(work, f"{name}.pt"))
    st = ck.load()
    start, secs = 0, 0.0
    if st is not None:
        if st.get("done"):
            log("already done, skipping")
            return False
        model.load_state_dict(st["model"])
        opt.load_state_dict(st["opt"])
        if ema is not None:
            ema.load_state_dict(st["ema"])
        torch.set_rng_state(st["rng"])
        start, secs = st["step"], st.get("seconds", 0.0)
        log(f"resuming at step {start}/{total}")
    model.train()
    t0, avg = time.time(), None
    for step in range(start, total):
        for g in opt.param_groups:
            g["lr"] = cosine_lr(step, total, lr)
        loss = batch_fn(step)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        if ema is not None:
            d = min(0.995, (1 + step) / (10 + step))
            with torch.no_grad():
                for pe, pm in zip(ema.state_dict().values(), model.state_dict().values()):
                    pe.mul_(d).add_(pm.detach(), alpha=1 - d) if pe.dtype.is_floating_point else pe.copy_(pm)
        avg = loss.item() if avg is None else 0.98 * avg + 0.02 * loss.item()
        if step % 50 == 0 or step == total - 1:
            rate = (step + 1 - start) / (time.time() - t0)
            log(f"step {step}/{total} loss {avg:.4f} ({rate:.2f} steps/s, eta {(total - step) / rate / 60:.1f} min)")
        state = {"model": model.state_dict(), "opt": opt.state_dict(), "step": step + 1,
                 "seconds": secs + time.time() - t0}
        if ema is not None:
            state["ema"] = ema.state_dict()
        ck.save(state)
    # wall-clock training time over all resumed runs, for the README
    st = {"model": model.state_dict(), "opt": opt.state_dict(), "step": total, "done": True,
          "seconds": secs + time.time() - t0}
    if ema is not None:
        st["ema"] = ema.state_dict()
    if extra_state:
        st.update(extra_state())
    ck.save(st, force=True)
    log("done")
    return True


def batches(n, bs, step):
    spe = n // bs
    epoch, j = divmod(step, spe)
    return epoch, epoch_order(n, epoch)[j * bs:(j + 1) * bs]


def caption_choice(n, epoch):
    """Which of the 5 captions each image uses in an epoch (deterministic)."""
    return np.random.RandomState(SEED * 3 + epoch).randint(0, 5, n)


def stage_vocab(data, work):
    path = os.path.join(work, "vocab.json")
    if os.path.exists(path):
        return
    _, _, caps = load_split(data, "train", work)
    v = Vocab.build(caps)
    v.save(path)
    print(f"vocab: {len(v.itos)} words")


def stage_vae(data, work):
    u8, _, _ = load_split(data, "train", work)
    torch.manual_seed(SEED + 1)
    vae = M.VAE(VAE_CH)
    opt = torch.optim.AdamW(vae.parameters(), 2e-3, weight_decay=0.0)
    bs = 64

    def batch(step):
        _, idx = batches(len(u8), bs, step)
        x = to_pixels(u8[idx])
        mean, logvar = vae.encode(x)
        z = mean + torch.randn_like(mean) * (0.5 * logvar).exp()  # trained on samples: robust decoder
        rec = vae.decode(z)
        kl = 0.5 * (mean.pow(2) + logvar.exp() - 1 - logvar).mean()
        # + L1 on image gradients: MSE alone is happy with soft edges, and the judge (and people)
        # tell a star from a diamond by its edges
        edges = sum(F.l1_loss(rec.diff(dim=d), x.diff(dim=d)) for d in (2, 3))
        return F.mse_loss(rec, x) + 0.5 * F.l1_loss(rec, x) + 0.5 * edges + 1e-4 * kl

    def extra():
        # Latents of the whole train set (posterior means) + the scaling factor that gives them
        # unit variance, as SD's 0.18215 does for its VAE.
        vae.eval()
        with torch.no_grad():
            lat = torch.cat([vae.encode(to_pixels(u8[i:i + 500]))[0] for i in range(0, len(u8), 500)])
        sf = float(1.0 / lat.std())
        np.save(os.path.join(work, "latents.npy"), lat.numpy())
        return {"scaling_factor": sf}

    run_loop("vae", work, vae, opt, STEPS["vae"], 2e-3, batch, extra)


def stage_captioner(data, work):
    u8, _, caps = load_split(data, "train", work)
    vocab = Vocab.load(os.path.join(work, "vocab.json"))
    torch.manual_seed(SEED + 2)
    model = M.Captioner(len(vocab.itos), **CAP)
    opt = torch.optim.AdamW(model.parameters(), 1e-3, weight_decay=0.01)
    bs = 64
    enc = [[vocab.encode(c)[:MAX_CAP_TOKENS] for c in cs] for cs in caps]
    choice = {}

    def batch(step):
        epoch, idx = batches(len(u8), bs, step)
        if epoch not in choice:
            choice.clear()
            choice[epoch] = caption_choice(len(u8), epoch)
        seqs = [[PAD] + enc[i][choice[epoch][i]] + [PAD] for i in idx]  # start token, words, eos
        L = max(len(s) for s in seqs)
        ids = torch.full((len(seqs), L), PAD, dtype=torch.long)
        tgt = torch.full((len(seqs), L - 1), -100, dtype=torch.long)
        for r, s in enumerate(seqs):
            ids[r, : len(s)] = torch.tensor(s)
            tgt[r, : len(s) - 1] = torch.tensor(s[1:])
        logits = model(to_pixels(u8[idx]), ids[:, :-1])
        return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), tgt.reshape(-1), ignore_index=-100,
                               label_smoothing=0.1)

    run_loop("captioner", work, model, opt, STEPS["captioner"], 1e-3, batch)


def stage_clip(data, work):
    u8, _, caps = load_split(data, "train", work)
    vocab = Vocab.load(os.path.join(work, "vocab.json"))
    torch.manual_seed(SEED + 3)
    model = M.Clip(len(vocab.itos), CLIP_DIM)
    opt = torch.optim.AdamW(model.parameters(), 1e-3, weight_decay=0.01)
    bs = 128
    padded = [vocab.pad(cs) for cs in caps]  # [5, TEXT_LEN] per image
    choice = {}

    def batch(step):
        epoch, idx = batches(len(u8), bs, step)
        if epoch not in choice:
            choice.clear()
            choice[epoch] = caption_choice(len(u8), epoch + 1000)
        ids = torch.stack([padded[i][choice[epoch][i]] for i in idx])
        img = model.vision(to_pixels(u8[idx]))
        txt = model.text(ids)
        scale = model.logit_scale.clamp(max=np.log(100.0)).exp()
        logits = scale * img @ txt.t()
        lab = torch.arange(len(idx))
        return 0.5 * (F.cross_entropy(logits, lab) + F.cross_entropy(logits.t(), lab))

    run_loop("clip", work, model, opt, STEPS["clip"], 1e-3, batch)


def ddpm_alphas_cumprod():
    """scaled_linear betas, beta_start 0.00085, beta_end 0.012, 1000 steps (SD's schedule)."""
    betas = torch.linspace(0.00085 ** 0.5, 0.012 ** 0.5, 1000, dtype=torch.float64) ** 2
    return torch.cumprod(1.0 - betas, 0).float()


class Diffusion(torch.nn.Module):
    def __init__(self, vocab_size):
        super().__init__()
        self.text = M.TextTransformer(vocab_size, TEXT_D, layers=2, heads=4, max_len=TEXT_LEN)
        self.unet = M.UNet(TEXT_D, UNET_CH)


def stage_diffusion(data, work):
    _, _, caps = load_split(data, "train", work)
    vocab = Vocab.load(os.path.join(work, "vocab.json"))
    vae_st = torch.load(os.path.join(work, "vae.pt"))
    sf = vae_st["scaling_factor"]
    lat = torch.from_numpy(np.load(os.path.join(work, "latents.npy"))) * sf
    torch.manual_seed(SEED + 4)
    model = Diffusion(len(vocab.itos))
    # The text encoder starts from the contrastively trained CLIP text tower (same architecture),
    # as SD starts from CLIP's: the UNet gets a conditioning that already separates colours,
    # shapes and places from step 0 instead of learning it jointly from the denoising loss.
    clip = torch.load(os.path.join(work, "clip.pt"))["model"]
    model.text.load_state_dict({k[len("text.enc."):]: v for k, v in clip.items() if k.startswith("text.enc.")})
    opt = torch.optim.AdamW(model.parameters(), 1e-3, weight_decay=0.01)
    bs = 64
    padded = [vocab.pad(cs) for cs in caps]
    ac = ddpm_alphas_cumprod()
    choice = {}

    def batch(step):
        epoch, idx = batches(len(lat), bs, step)
        if epoch not in choice:
            choice.clear()
            choice[epoch] = caption_choice(len(lat), epoch + 2000)
        ids = torch.stack([padded[i][choice[epoch][i]] for i in idx])
        drop = torch.rand(len(idx)) < 0.1  # classifier-free guidance: ~10% empty captions
        ids[drop] = PAD
        x0 = lat[idx]
        t = torch.randint(0, 1000, (len(idx),))
        noise = torch.randn_like(x0)
        a = ac[t].view(-1, 1, 1, 1)
        xt = a.sqrt() * x0 + (1 - a).sqrt() * noise
        # Min-SNR-5 loss weighting (Hang et al. 2023) for epsilon prediction: min(SNR, 5) / SNR.
        # Stops the many nearly-noise-free timesteps from dominating; converges several times faster.
        snr = a / (1 - a)
        w = snr.clamp(max=5.0) / snr
        return (w * (model.unet(xt, t, model.text(ids)) - noise).pow(2)).mean()

    import copy
    ema = copy.deepcopy(model)
    run_loop("diffusion", work, model, opt, STEPS["diffusion"], 1.5e-3, batch, lambda: {"scaling_factor": sf}, ema)


if __name__ == "__main__":
    set_threads()
    stage, data, work = sys.argv[1:4]
    os.makedirs(work, exist_ok=True)
    {"vocab": stage_vocab, "vae": stage_vae, "captioner": stage_captioner, "clip": stage_clip,
     "diffusion": stage_diffusion}[stage](data, work)
