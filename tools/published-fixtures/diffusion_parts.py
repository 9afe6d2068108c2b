"""Tiny Stable Diffusion components, cheap at 64×64 latents yet with every input reaching the
output: the UNet adds a timestep embedding (sinusoidal → MLP), the pooled text conditioning and,
for LCM, timestep_cond (the guidance embedding) to a few small convolutions."""
import math

import torch
import torch.nn.functional as F
from torch import nn

from clip_towers import TextTower
from layers import Dense

LATENT_CHANNELS, TEXT_DIM, CH = 4, 8, 8


class UNet(nn.Module):
    def __init__(self, time_cond_dim=None):
        super().__init__()
        self.conv_in = nn.Conv2d(LATENT_CHANNELS, CH, 3, padding=1)
        self.time1, self.time2 = Dense(CH, CH), Dense(CH, CH)
        self.text = Dense(TEXT_DIM, CH)
        self.cond = Dense(time_cond_dim, CH) if time_cond_dim else None
        self.conv_mid = nn.Conv2d(CH, CH, 3, padding=1)
        self.conv_out = nn.Conv2d(CH, LATENT_CHANNELS, 3, padding=1)

    def time_embedding(self, timestep):
        half = CH // 2
        freqs = torch.exp(-math.log(10000.0) * torch.arange(half, dtype=torch.float32) / half)
        args = timestep.to(torch.float32).reshape(-1, 1) * freqs
        return torch.cat([torch.sin(args), torch.cos(args)], dim=-1)

    def forward(self, sample, timestep, encoder_hidden_states, timestep_cond=None):
        emb = self.time1(self.time_embedding(timestep))
        if self.cond is not None:
            emb = emb + self.cond(timestep_cond)
        emb = self.time2(F.silu(emb)) + self.text(encoder_hidden_states.mean(dim=1))
        h = F.silu(self.conv_in(sample) + emb[:, :, None, None])
        h = F.silu(self.conv_mid(h))
        return self.conv_out(h)


class VaeDecoder(nn.Module):
    """latent [B,4,h,w] → image [B,3,8h,8w] in about [-1, 1]."""

    def __init__(self):
        super().__init__()
        self.conv_in = nn.Conv2d(LATENT_CHANNELS, CH, 3, padding=1)
        self.ups = nn.ModuleList([nn.Conv2d(CH, CH, 3, padding=1) for _ in range(3)])
        self.conv_out = nn.Conv2d(CH, 3, 3, padding=1)

    def forward(self, latent_sample):
        h = F.silu(self.conv_in(latent_sample))
        for conv in self.ups:
            h = F.silu(conv(F.interpolate(h, scale_factor=2.0, mode="nearest")))
        return torch.tanh(self.conv_out(h))


class VaeEncoder(nn.Module):
    """image → latent_dist.sample(): mean + std·noise, as the diffusers converter and Optimum
    (2023) export it (RandomNormalLike in the graph). logvar is biased far negative so the
    noise is ~1e-3 and outputs compare closely across dtypes."""

    def __init__(self):
        super().__init__()
        self.downs = nn.ModuleList([nn.Conv2d(3 if i == 0 else CH, CH, 3, stride=2, padding=1) for i in range(3)])
        self.moments = nn.Conv2d(CH, 2 * LATENT_CHANNELS, 3, padding=1)
        with torch.no_grad():
            self.moments.bias[LATENT_CHANNELS:] = -14.0

    def forward(self, sample):
        h = sample
        for conv in self.downs:
            h = F.silu(conv(h))
        mean, logvar = torch.chunk(self.moments(h), 2, dim=1)
        return mean + torch.exp(0.5 * logvar) * torch.randn_like(mean)


class TextEncoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.tower = TextTower(TEXT_DIM, 2)

    def forward(self, input_ids):
        return self.tower(input_ids)


class SafetyChecker(nn.Module):
    """clip_input [B,3,224,224] and images [B,H,W,3] → out_images (flagged ones zeroed),
    has_nsfw_concepts bool [B] (StableDiffusionSafetyChecker.forward_onnx)."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, CH, 32, stride=32)
        self.score = Dense(CH, 1)

    def forward(self, clip_input, images):
        pooled = self.conv(clip_input).mean(dim=(2, 3))
        flagged = self.score(pooled)[:, 0] > 3.0
        keep = (~flagged).to(images.dtype)[:, None, None, None]
        return images * keep, flagged
