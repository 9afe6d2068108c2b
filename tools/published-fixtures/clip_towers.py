"""CLIP text and vision towers (HF CLIPTextModel / CLIPVisionModel order: embeddings, pre-LN
blocks, final LayerNorm; text pooled at the eos position = argmax of the ids, vision pooled at
the class token), shared by the CLIP fixture and the diffusion text encoders."""
import torch
from torch import nn

import tiny_tokenizers as tok
from layers import Block, Dense, PatchEncoder, SparseVocab

CLIP_VOCAB = 49408
MAX_POSITIONS = 77


class TextTower(nn.Module):
    def __init__(self, d, heads, layers=1):
        super().__init__()
        vocab, _ = tok.clip()
        self.vocab = SparseVocab(CLIP_VOCAB, d, vocab.values())
        self.pos = nn.Parameter(torch.randn(MAX_POSITIONS, d) * 0.3)
        self.blocks = nn.ModuleList([Block(d, heads) for _ in range(layers)])
        self.ln = nn.LayerNorm(d)

    def forward(self, input_ids, attention_mask=None):
        ids = input_ids.to(torch.int64)  # int32 in the diffusers/Optimum SD exports
        x = self.vocab.embed(ids) + self.pos[: ids.shape[1]]
        for block in self.blocks:
            x, _ = block(x, causal=True, key_mask=attention_mask)
        hidden = self.ln(x)
        pooled = hidden[torch.arange(hidden.shape[0]), ids.argmax(-1)]
        return hidden, pooled


class VisionTower(nn.Module):
    def __init__(self, d, heads, image_size, patch):
        super().__init__()
        self.encoder = PatchEncoder(d, heads, image_size, patch)
        self.post_ln = nn.LayerNorm(d)

    def forward(self, pixel_values):
        hidden = self.encoder(pixel_values)
        return hidden, self.post_ln(hidden[:, 0])


class Projection(nn.Module):
    def __init__(self, d, proj):
        super().__init__()
        self.dense = Dense(d, proj)

    def forward(self, x):
        return x @ self.dense.weight  # CLIP projections have no bias
