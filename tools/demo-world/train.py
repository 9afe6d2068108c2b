"""Train one stage of the demo world: vocab | captioner | clip | diffusion.
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
from common import (PAD, SEED, STEPS, TEXT_LEN, TINY, Checkpointer, Log, Vocab, cosine_lr, epoch_order,
                    load_split, set_threads, to_pixels)
import diffusion as D
import models as M

# Model hyper-parameters, shared with export.py
CAP = dict(d=128, enc_layers=1, dec_layers=3, heads=4)
CLIP_DIM = 128
PIXEL_FACTOR = 4  # the generator's latent: 64x64x3 pixel-unshuffled by 4 = 48x16x16 (lossless)
LATENT = (3 * PIXEL_FACTOR ** 2, 64 // PIXEL_FACTOR, 64 // PIXEL_FACTOR)
SCALING_FACTOR = 1.0  # pixels are already in [-1, 1]
UNET_CH = (64, 128, 160)
# Weights-only fp16 checkpoint of the generator, committed so that a clean checkout resumes
# training where the last working day stopped (build/ does not survive between sessions).
# A smoke test (DEMO_TINY) never reads or writes them. One per stage: the base diffusion run, the
# layout run (layout.py), the scene reader (scene_reader.py), the shapes run (shapes.py), the
# guidance-distilled student (distill.py).
_CHECKPOINTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "checkpoints")
def _checkpoint(env, name):
    return "" if TINY else os.environ.get(env, os.path.join(_CHECKPOINTS, name))
BASE_CHECKPOINT = _checkpoint("DEMO_BASE_CHECKPOINT", "generator-base.pt")
GENERATOR_CHECKPOINT = _checkpoint("DEMO_GENERATOR_CHECKPOINT", "generator.pt")
DISTILL_CHECKPOINT = _checkpoint("DEMO_DISTILL_CHECKPOINT", "generator-distilled.pt")
SHAPES_CHECKPOINT = _checkpoint("DEMO_SHAPES_CHECKPOINT", "generator-shapes.pt")
READER_CHECKPOINT = _checkpoint("DEMO_READER_CHECKPOINT", "reader.pt")
CLIP_RECON_CHECKPOINT = _checkpoint("DEMO_CLIP_RECON_CHECKPOINT", "clip-recon.pt")
# The base run follows a 4000-step cosine schedule but stops here: it only has to teach the UNet to
# draw backgrounds and coloured shapes before the layout stage takes over (layout.py says why).
DIFFUSION_STOP = 1850
TEXT_D = 128
MAX_CAP_TOKENS = 40


def load_committed(path):
    """The committed weights-only checkpoint (fp16 model + EMA, step), or None."""
    if not path or not os.path.exists(path):
        return None
    st = torch.load(path)
    f32 = lambda sd: {k: v.float() if v.is_floating_point() else v for k, v in sd.items()}
    return {"model": f32(st["model"]), "ema": f32(st["ema"]), "step": st["step"], "seconds": st["seconds"],
            "done": st.get("done", False), "extra": st.get("extra", {})}


def save_committed(path, state):
    """fp16 weights of model and EMA, no optimiser state: small enough to commit (the optimiser's
    moments are rebuilt in a few hundred steps after a resume)."""
    half = lambda sd: {k: v.half() if v.is_floating_point() else v for k, v in sd.items()}
    os.makedirs(os.path.dirname(path), exist_ok=True)
    torch.save({"model": half(state["model"]), "ema": half(state.get("ema", state["model"])), "step": state["step"],
                "seconds": state["seconds"], "done": state.get("done", False), "extra": state.get("extra", {})},
               path + ".tmp")
    os.replace(path + ".tmp", path)


def run_loop(name, work, model, opt, total, lr, batch_fn, extra_state=None, ema=None, committed=None,
             ema_decay=0.995, stop=None, warmup=False):
    """Generic resumable loop: batch_fn(step) -> loss. `ema`: a copy of the model that tracks an
    exponential moving average of the weights (what the diffusion export uses). `committed`: a
    weights-only checkpoint kept in the repository, resumed from when build/ has nothing newer.
    `stop`: end (done) at this step of a `total`-step learning-rate schedule. `warmup`: warm the
    learning rate up over the first 200 steps (for a stage that starts from trained weights)."""
    end = min(stop or total, total)
    log = Log(name)
    ck = Checkpointer(os.path.join(work, f"{name}.pt"))
    st = ck.load()
    kept = load_committed(committed)
    if kept is not None and (st is None or kept["step"] > st["step"]):
        if kept["done"] and kept["step"] >= end:
            st = dict(kept, opt=None, done=True)
            st.update(kept["extra"])
            ck.save(st, force=True)  # build/ gets the finished weights (export reads them there)
            log("committed checkpoint is done, skipping")
            return False
        log(f"resuming from the committed weights-only checkpoint at step {kept['step']} (fresh optimiser state)")
        st = dict(kept, opt=None)
    start, secs = 0, 0.0
    if st is not None:
        if st.get("done"):
            log("already done, skipping")
            return False
        model.load_state_dict(st["model"])
        if st.get("opt") is not None:
            opt.load_state_dict(st["opt"])
        if ema is not None:
            ema.load_state_dict(st["ema"])
        if "rng" in st:
            torch.set_rng_state(st["rng"])
        start, secs = st["step"], st.get("seconds", 0.0)
        log(f"resuming at step {start}/{total}")
    model.train()
    t0, avg = time.time(), None
    last_commit = time.time()
    # after a resume (no optimiser state in a committed checkpoint), warm the learning rate up again
    rewarm = warmup or start > 0
    for step in range(start, end):
        for g in opt.param_groups:
            g["lr"] = cosine_lr(step, total, lr) * (min(1.0, (step - start + 1) / 200) if rewarm else 1.0)
        loss = batch_fn(step)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        if ema is not None:
            d = min(ema_decay, (1 + step) / (10 + step))
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
        if committed and time.time() - last_commit > 900:
            save_committed(committed, state)
            last_commit = time.time()
    # wall-clock training time over all resumed runs, for the README
    st = {"model": model.state_dict(), "opt": opt.state_dict(), "step": end, "done": True,
          "seconds": secs + time.time() - t0}
    if ema is not None:
        st["ema"] = ema.state_dict()
    extra = extra_state() if extra_state else {}
    st.update(extra)
    ck.save(st, force=True)
    if committed:
        save_committed(committed, dict(st, extra=extra))
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


class BaseDiffusion(torch.nn.Module):
    """Text encoder + UNet of the base run (the autoencoder is PixelUnshuffleVAE: no weights); the
    exported generator is layout.LayoutDiffusion, whose UNet starts from this one's."""

    def __init__(self, vocab_size):
        super().__init__()
        self.text = M.TextTransformer(vocab_size, TEXT_D, layers=2, heads=4, max_len=TEXT_LEN)
        self.unet = M.UNetV2(TEXT_D, UNET_CH, LATENT[0], LATENT[1])


def pixel_vae():
    return M.PixelUnshuffleVAE(PIXEL_FACTOR)


def load_clip_text(transformer, work):
    """Starts a TextTransformer from the contrastively trained CLIP text tower (same architecture),
    as SD starts from CLIP's: the conditioning already separates colours, shapes and places from
    step 0. False when there is no CLIP checkpoint."""
    clip_path = os.path.join(work, "clip.pt")
    if not os.path.exists(clip_path):
        return False
    clip = torch.load(clip_path)["model"]
    transformer.load_state_dict({k[len("text.enc."):]: v for k, v in clip.items() if k.startswith("text.enc.")})
    return True


class CaptionedBatches:
    """The diffusion stages' batches: images in the seeded epoch order, one caption each (chosen per
    epoch from `caption_seed`), 10% of captions dropped for classifier-free guidance, and the clean
    latents. Noise, timesteps and drops come from a generator seeded by the step number alone, so a
    resumed run draws exactly what an uninterrupted one would have."""

    def __init__(self, u8, captions, vocab, caption_seed, noise_seed, bs=64):
        self.u8, self.padded, self.bs = u8, [vocab.pad(cs) for cs in captions], bs
        self.caption_seed, self.noise_seed = caption_seed, noise_seed
        self.vae, self.choice = pixel_vae(), {}

    def __call__(self, step):
        """(image indices, token ids, dropped rows, x0 latents, the step's torch.Generator)."""
        epoch, idx = batches(len(self.u8), self.bs, step)
        if epoch not in self.choice:
            self.choice.clear()
            self.choice[epoch] = caption_choice(len(self.u8), epoch + self.caption_seed)
        gen = torch.Generator().manual_seed(SEED * self.noise_seed + step)
        ids = torch.stack([self.padded[i][self.choice[epoch][i]] for i in idx])
        drop = torch.rand(len(idx), generator=gen) < D.CAPTION_DROP
        ids[drop] = PAD
        x0 = self.vae.encode(to_pixels(self.u8[idx]))[0] * SCALING_FACTOR
        return idx, ids, drop, x0, gen


def stage_diffusion(data, work):
    u8, _, caps = load_split(data, "train", work)
    vocab = Vocab.load(os.path.join(work, "vocab.json"))
    torch.manual_seed(SEED + 4)
    model = BaseDiffusion(len(vocab.itos))
    # (Only for a run from step 0: a resumed one loads all its weights from its checkpoint.)
    resuming = (BASE_CHECKPOINT and os.path.exists(BASE_CHECKPOINT)) or os.path.exists(os.path.join(work, "diffusion.pt"))
    if not load_clip_text(model.text, work) and not resuming:
        raise SystemExit(f"{os.path.join(work, 'clip.pt')} is missing: train the clip stage first (the generator's text encoder starts from it)")
    opt = torch.optim.AdamW(model.parameters(), 1e-3, weight_decay=0.01)
    data_at = CaptionedBatches(u8, caps, vocab, caption_seed=2000, noise_seed=100003)
    ac = D.alphas_cumprod()

    def batch(step):
        _, ids, _, x0, gen = data_at(step)
        return D.x0_loss(model.unet, x0, model.text(ids), ac, gen)

    import copy
    ema = copy.deepcopy(model)
    run_loop("diffusion", work, model, opt, STEPS["diffusion"], 1e-3, batch, lambda: {"scaling_factor": SCALING_FACTOR},
             ema, committed=BASE_CHECKPOINT, ema_decay=0.999, stop=DIFFUSION_STOP)


if __name__ == "__main__":
    set_threads()
    stage, data, work = sys.argv[1:4]
    os.makedirs(work, exist_ok=True)
    from distill import stage_distill
    from layout import stage_layout, stage_slot_text
    from clip_recon import stage_clip_recon
    from scene_reader import stage_reader
    from shapes import stage_shapes
    {"vocab": stage_vocab, "captioner": stage_captioner, "clip": stage_clip, "diffusion": stage_diffusion,
     "slot-text": stage_slot_text, "layout": stage_layout,
     "reader": stage_reader, "shapes": stage_shapes, "distill": stage_distill,
     "clip-recon": stage_clip_recon}[stage](data, work)
