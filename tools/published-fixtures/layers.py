"""Tiny PyTorch building blocks exported with torch.onnx.export. Weights are stored the way
the graph uses them (x @ W), so MatMul weights are initializers the 8-bit quantizer can take,
without constant folding (which would expand the vocabulary mask into a large constant)."""
import math

import torch
from torch import nn

NEG = -1e4  # a mask value that survives float16 (finfo(float32).min would become -inf)


class Dense(nn.Module):
    def __init__(self, d_in, d_out, scale=1.0):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(d_in, d_out) * scale / math.sqrt(d_in))
        self.bias = nn.Parameter(torch.randn(d_out) * 0.1)

    def forward(self, x):
        return x @ self.weight + self.bias


def gelu(x):
    # GPT-2's tanh approximation, written out so every opset/runtime runs it.
    return 0.5 * x * (1.0 + torch.tanh(0.7978845608 * (x + 0.044715 * x * x * x)))


class Attention(nn.Module):
    """Multi-head attention; `past` (key, value) [B, H, P, hd] is concatenated before the new
    positions and `causal` masks keys after each query's absolute position."""

    def __init__(self, d, heads, d_kv=None):
        super().__init__()
        self.heads, self.hd = heads, d // heads
        self.q, self.o = Dense(d, d), Dense(d, d)
        self.k, self.v = Dense(d_kv or d, d), Dense(d_kv or d, d)

    def split(self, x):
        return x.reshape(x.shape[0], x.shape[1], self.heads, self.hd).transpose(1, 2)

    def forward(self, x, kv_source, past=None, causal=False, key_mask=None):
        q, k, v = self.split(self.q(x)), self.split(self.k(kv_source)), self.split(self.v(kv_source))
        if past is not None:
            k = torch.cat([past[0], k], dim=2)
            v = torch.cat([past[1], v], dim=2)
        scores = q @ k.transpose(2, 3) / math.sqrt(self.hd)
        if causal:
            total, new = k.shape[2], q.shape[2]
            query_pos = torch.arange(new).unsqueeze(1) + (total - new)
            key_pos = torch.arange(total).unsqueeze(0)
            scores = scores + (key_pos > query_pos).to(scores.dtype) * NEG
        if key_mask is not None:  # attention_mask [B, T]: 0 hides a key (padding)
            scores = scores + (1.0 - key_mask.to(scores.dtype))[:, None, None, :] * NEG
        out = torch.softmax(scores, dim=-1) @ v
        out = out.transpose(1, 2).reshape(x.shape[0], x.shape[1], self.heads * self.hd)
        return self.o(out), (k, v)


class Block(nn.Module):
    """Pre-norm transformer block (GPT-2/ViT/CLIP order) with optional cross-attention."""

    def __init__(self, d, heads, cross=False, d_enc=None):
        super().__init__()
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.attn = Attention(d, heads)
        self.cross = Attention(d, heads, d_enc) if cross else None
        self.ln_cross = nn.LayerNorm(d) if cross else None
        self.fc, self.proj = Dense(d, 2 * d), Dense(2 * d, d)

    def forward(self, x, encoder=None, past=None, causal=False, key_mask=None):
        h = self.ln1(x)
        a, present = self.attn(h, h, past, causal, key_mask)
        x = x + a
        if self.cross is not None:
            c, _ = self.cross(self.ln_cross(x), encoder)
            x = x + c
        x = x + self.proj(gelu(self.fc(self.ln2(x))))
        return x, present


class SparseVocab(nn.Module):
    """Token embedding and tied output head for a large vocabulary of which only a few ids are
    real tokens in the tiny tokenizer. The [vocab, d] table is factorised as
    E[id] = low[id mod 256] + high[id div 256], so a 50257-token GPT-2 vocabulary costs a few kB;
    logits are h·E[id] plus a mask (-1e4) on ids the tokenizer does not have, built from
    per-block and per-offset vectors. Graph I/O (ids in, [.., vocab] logits out) is unchanged."""

    def __init__(self, vocab_size, d, valid_ids, scale=1.0, bonus=None):
        super().__init__()
        self.vocab_size = vocab_size
        blocks = (vocab_size + 255) // 256
        self.low = nn.Parameter(torch.randn(256, d) * scale)
        self.high = nn.Parameter(torch.randn(blocks, d) * scale * 0.5)
        valid = torch.zeros(blocks * 256, dtype=torch.bool)
        valid[list(valid_ids)] = True
        valid = valid.reshape(blocks, 256)
        block_bias = torch.where(valid.any(1), 0.0, NEG)
        partial = [b for b in range(blocks) if valid[b].any() and not valid[b].all()]
        onehot = torch.zeros(len(partial), blocks)
        offset_bias = torch.zeros(len(partial), 256)
        for row, b in enumerate(partial):
            onehot[row, b] = 1.0
            offset_bias[row] = torch.where(valid[b], 0.0, NEG)
        for id_, value in (bonus or {}).items():  # e.g. a nudge towards eos so greedy decoding stops
            b, o = divmod(id_, 256)
            row = partial.index(b)
            offset_bias[row, o] += value
        self.block_bias = nn.Parameter(block_bias.unsqueeze(1), requires_grad=False)
        self.block_onehot = nn.Parameter(onehot.t().contiguous(), requires_grad=False)
        self.offset_bias = nn.Parameter(offset_bias, requires_grad=False)

    def embed(self, ids):
        return self.low[torch.remainder(ids, 256)] + self.high[torch.div(ids, 256, rounding_mode="floor")]

    def logits(self, h):
        per_offset = h @ self.low.t()
        per_block = h @ self.high.t()
        bias = self.block_bias + self.block_onehot @ self.offset_bias
        full = per_block.unsqueeze(-1) + per_offset.unsqueeze(-2) + bias
        full = full.reshape(h.shape[0], h.shape[1], -1)
        return full[:, :, : self.vocab_size]


class PatchEncoder(nn.Module):
    """ViT-style image encoder: patch Conv, class token, position embeddings, blocks, LayerNorm."""

    def __init__(self, d, heads, image_size, patch, layers=1, channels=3):
        super().__init__()
        self.patch = nn.Conv2d(channels, d, patch, stride=patch)
        self.cls = nn.Parameter(torch.randn(1, 1, d))
        self.pos = nn.Parameter(torch.randn(1, (image_size // patch) ** 2 + 1, d) * 0.5)
        self.blocks = nn.ModuleList([Block(d, heads) for _ in range(layers)])
        self.ln = nn.LayerNorm(d)

    def forward(self, pixel_values):
        x = self.patch(pixel_values).flatten(2).transpose(1, 2)
        x = torch.cat([self.cls.expand(x.shape[0], -1, -1), x], dim=1) + self.pos
        for block in self.blocks:
            x, _ = block(x)
        return self.ln(x)
