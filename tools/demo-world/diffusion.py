"""Demo world v2's diffusion recipe, shared by training, evaluation and export.

- Latent: the pixel-unshuffled image (48x16x16, lossless; models.PixelUnshuffleVAE), scaling 1.
- Noise schedule: diffusers' "squaredcos_cap_v2" (the improved-DDPM cosine schedule, betas capped
  at 0.999). Its last timestep has a signal-to-noise ratio of ~0, so the model learns to draw the
  whole scene — background included — from the caption alone, which is what a sampler starting
  from pure noise asks of it. v1's SD schedule (scaled_linear) left ~7% of the image in x_999 and
  was sampled with "leading" spacing; its backgrounds came out grey whatever the caption said.
- Prediction: the clean sample x0 (diffusers' prediction_type "sample"). The latent is raw
  pixels, 48 values per cell; a network asked for epsilon or v must reproduce the i.i.d. noise
  of every pixel to cancel it, and a small one leaves it in the image (a v-prediction pilot drew
  noise-covered pictures at 4 steps), while flat coloured shapes are easy to output directly
  (Li & He 2025, "Back to Basics: Let Denoising Generative Models Denoise", make the same case
  for pixel-space patches). x0 prediction also stays well-defined at SNR 0.
- Loss weight: on the x0 error, clamp(SNR, 1, 5) (Min-SNR-5, Hang et al. 2023, with a floor of 1
  so that the high-noise steps — where the layout is decided — are not weighted to nothing).
- Sampler: DDIM (eta 0) with "trailing" timesteps (999, 749, 499, 249 at 4 steps), as
  scheduler_config.json tells the app.
"""
import math

import numpy as np
import torch

T_TRAIN = 1000
MAX_BETA = 0.999
SNR_CAP, SNR_FLOOR = 5.0, 1.0
CAPTION_DROP = 0.1  # empty captions in training, for classifier-free guidance


def cosine_betas(n=T_TRAIN, max_beta=MAX_BETA):
    """diffusers' betas_for_alpha_bar(alpha_transform_type="cosine"), in float64."""
    def alpha_bar(t):
        return math.cos((t + 0.008) / 1.008 * math.pi / 2) ** 2
    return np.array([min(1 - alpha_bar((i + 1) / n) / alpha_bar(i / n), max_beta) for i in range(n)], dtype=np.float64)


def alphas_cumprod():
    return torch.from_numpy(np.cumprod(1.0 - cosine_betas())).float()


def noised(x0, ac, gen=None):
    """A training draw: uniform timesteps t, x_t = sqrt(a) x0 + sqrt(1 - a) noise, and the loss
    weight clamp(SNR, floor, cap) per row."""
    t = torch.randint(0, T_TRAIN, (x0.shape[0],), generator=gen)
    noise = torch.randn(x0.shape, generator=gen)
    a = ac[t].view(-1, 1, 1, 1)
    return t, a.sqrt() * x0 + (1 - a).sqrt() * noise, (a / (1 - a)).clamp(SNR_FLOOR, SNR_CAP)


def x0_loss(unet, x0, ids_ctx, ac, gen=None):
    """Weighted x0-prediction loss for a batch of clean latents x0 and their text context."""
    t, xt, w = noised(x0, ac, gen)
    return (w * (unet(xt, t, ids_ctx) - x0).pow(2)).mean()


def trailing_timesteps(steps):
    """diffusers' "trailing" spacing: np.round(np.arange(T, 0, -T / steps)) - 1."""
    return [int(round(t)) - 1 for t in np.arange(T_TRAIN, 0, -T_TRAIN / steps)][:steps]


@torch.no_grad()
def ddim_sample(unet, text, ids, vae, shape, sf=1.0, steps=4, guidance=1.0, seed=0, noise=None):
    """DDIM (eta 0), trailing spacing, x0 prediction, optional classifier-free guidance with the
    empty caption; returns uint8 images [B, 64, 64, 3]."""
    ac = alphas_cumprod()
    B = ids.shape[0]
    if noise is None:
        g = torch.Generator().manual_seed(seed)
        noise = torch.randn(B, *shape, generator=g)
    x = noise
    cond = text(ids)
    uncond = text(torch.zeros_like(ids)) if guidance != 1.0 else None
    ts = trailing_timesteps(steps)
    for i, t in enumerate(ts):
        tt = torch.full((B,), t, dtype=torch.long)
        if uncond is None:
            x0 = unet(x, tt, cond)
        else:
            x_u, x_c = unet(torch.cat([x, x]), torch.cat([tt, tt]), torch.cat([uncond, cond])).chunk(2)
            x0 = x_u + guidance * (x_c - x_u)
        a = ac[t]
        eps = (x - a.sqrt() * x0) / (1 - a).sqrt()
        ap = ac[ts[i + 1]] if i + 1 < len(ts) else torch.tensor(1.0)  # set_alpha_to_one: final step to x0
        x = ap.sqrt() * x0 + (1 - ap).sqrt() * eps
    img = vae.decode(x / sf)
    return ((img.clamp(-1, 1) + 1) * 127.5).round().byte().permute(0, 2, 3, 1).numpy()
