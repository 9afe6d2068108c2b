"""Tiny models of the demo world. Every forward() here is written so that torch.onnx.export
(tracing, opset 17) gives a graph with the public tensor names; shapes that vary at inference
(batch, sequence length, past length) are always read from tensors, never from Python ints."""
import math
import torch
import torch.nn as nn
import torch.nn.functional as F


# ----------------------------------------------------------------------------- shared pieces
class MHA(nn.Module):
    """Plain multi-head attention (no fused kernels: torch 1.13 exports these ops cleanly)."""

    def __init__(self, d, heads, d_kv=None):
        super().__init__()
        self.h, self.hd = heads, d // heads
        self.q = nn.Linear(d, d)
        self.kv = nn.Linear(d_kv or d, 2 * d)
        self.o = nn.Linear(d, d)

    def split(self, x):  # [B,T,d] -> [B,h,T,hd]
        return x.reshape(x.shape[0], x.shape[1], self.h, self.hd).transpose(1, 2)

    def attend(self, q, k, v, mask=None):
        att = (q @ k.transpose(-1, -2)) * (1.0 / math.sqrt(self.hd))
        if mask is not None:
            att = att.masked_fill(~mask, -1e9)  # finite: a fully masked row stays NaN-free
        y = att.softmax(-1) @ v
        return self.o(y.transpose(1, 2).reshape(q.shape[0], q.shape[2], self.h * self.hd))

    def forward(self, x, ctx=None):
        ctx = x if ctx is None else ctx
        k, v = self.kv(ctx).chunk(2, -1)
        return self.attend(self.split(self.q(x)), self.split(k), self.split(v))


class Block(nn.Module):
    """Pre-norm transformer encoder block (bidirectional)."""

    def __init__(self, d, heads):
        super().__init__()
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.att = MHA(d, heads)
        self.ff = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))

    def forward(self, x):
        x = x + self.att(self.ln1(x))
        return x + self.ff(self.ln2(x))


def conv_bn(cin, cout, stride):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, stride, 1, bias=False), nn.BatchNorm2d(cout), nn.GELU())


class ConvTrunk(nn.Module):
    """64x64 image -> [B, C, 4, 4] grid. Cheap: ~25M MACs. A 4x4 grid keeps *where* things are
    (the scene uses a 3x3 position grid), which both the captioner and the embedder need."""

    def __init__(self, c=(32, 64, 128, 192)):
        super().__init__()
        self.net = nn.Sequential(
            conv_bn(3, c[0], 2),      # 32x32
            conv_bn(c[0], c[1], 2),   # 16x16
            conv_bn(c[1], c[1], 1),
            conv_bn(c[1], c[2], 2),   # 8x8
            conv_bn(c[2], c[2], 1),
            conv_bn(c[2], c[3], 2),   # 4x4
        )

    def forward(self, x):
        return self.net(x)


# ----------------------------------------------------------------------------- captioner
class CaptionEncoder(nn.Module):
    """pixel_values [B,3,64,64] (normalised) -> last_hidden_state [B,16,d]."""

    def __init__(self, d=192, layers=1, heads=4):
        super().__init__()
        self.trunk = ConvTrunk((24, 48, 96, d))
        self.pos = nn.Parameter(torch.zeros(1, 16, d))
        self.blocks = nn.ModuleList([Block(d, heads) for _ in range(layers)])
        self.ln = nn.LayerNorm(d)

    def forward(self, pixel_values):
        x = self.trunk(pixel_values).flatten(2).transpose(1, 2) + self.pos
        for b in self.blocks:
            x = b(x)
        return self.ln(x)


class DecoderLayer(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.h, self.hd = heads, d // heads
        self.ln1, self.ln2, self.ln3 = nn.LayerNorm(d), nn.LayerNorm(d), nn.LayerNorm(d)
        self.qkv = nn.Linear(d, 3 * d)
        self.self_o = nn.Linear(d, d)
        self.cross = MHA(d, heads)
        self.ff = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))
        self.drop = nn.Dropout(0.1)

    def forward(self, x, enc, past_k, past_v, mask):
        B, T, d = x.shape
        q, k, v = self.qkv(self.ln1(x)).chunk(3, -1)
        q, k, v = (t.reshape(B, T, self.h, self.hd).transpose(1, 2) for t in (q, k, v))
        # The cache: past (possibly zero-length) followed by this call's keys/values.
        k = torch.cat([past_k, k], 2)
        v = torch.cat([past_v, v], 2)
        att = (q @ k.transpose(-1, -2)) * (1.0 / math.sqrt(self.hd))
        att = att.masked_fill(~mask, -1e9).softmax(-1)
        y = (att @ v).transpose(1, 2).reshape(B, T, d)
        x = x + self.drop(self.self_o(y))
        x = x + self.drop(self.cross(self.ln2(x), enc))
        x = x + self.drop(self.ff(self.ln3(x)))
        return x, k, v


class CaptionDecoder(nn.Module):
    """GPT-2-like decoder with cross-attention; the position offset is the past length, read from
    the past tensor's shape, so step-by-step cached decoding equals one full pass."""

    def __init__(self, vocab, d=192, layers=3, heads=4, max_len=48):
        super().__init__()
        self.d, self.h, self.nl, self.max_len = d, heads, layers, max_len
        self.tok = nn.Embedding(vocab, d)
        self.pos = nn.Embedding(max_len, d)
        self.layers = nn.ModuleList([DecoderLayer(d, heads) for _ in range(layers)])
        self.ln = nn.LayerNorm(d)
        self.head = nn.Linear(d, vocab, bias=False)
        self.head.weight = self.tok.weight  # tied, like GPT-2
        nn.init.normal_(self.tok.weight, std=0.02)  # small init: tied logits start near uniform
        nn.init.normal_(self.pos.weight, std=0.02)

    def empty_past(self, batch):
        z = torch.zeros(batch, self.h, 0, self.d // self.h)
        return [(z, z) for _ in range(self.nl)]

    def forward(self, input_ids, encoder_hidden_states, past):
        T = input_ids.shape[1]
        P = past[0][0].shape[2]
        pos = torch.arange(T) + P
        x = self.tok(input_ids) + self.pos(pos)[None]
        # query i (absolute P+i) sees keys 0..P+i
        mask = torch.arange(P + T)[None, :] <= pos[:, None]
        presents = []
        for layer, (pk, pv) in zip(self.layers, past):
            x, k, v = layer(x, encoder_hidden_states, pk, pv, mask)
            presents.append((k, v))
        return self.head(self.ln(x)), presents


class Captioner(nn.Module):
    def __init__(self, vocab, d=192, enc_layers=1, dec_layers=3, heads=4):
        super().__init__()
        self.encoder = CaptionEncoder(d, enc_layers, heads)
        self.decoder = CaptionDecoder(vocab, d, dec_layers, heads)

    def forward(self, pixel_values, input_ids):
        enc = self.encoder(pixel_values)
        logits, _ = self.decoder(input_ids, enc, self.decoder.empty_past(input_ids.shape[0]))
        return logits


# ----------------------------------------------------------------------------- CLIP-style embedders
class ClipVision(nn.Module):
    """Flatten the 4x4 grid (instead of pooling) so that the embedding keeps positions."""

    def __init__(self, dim=128):
        super().__init__()
        self.trunk = ConvTrunk((24, 48, 96, 96))
        self.proj = nn.Sequential(nn.Flatten(), nn.Linear(96 * 16, 512), nn.GELU(), nn.Linear(512, dim))

    def forward(self, pixel_values):
        return F.normalize(self.proj(self.trunk(pixel_values)), dim=-1)


class TextTransformer(nn.Module):
    """Small bidirectional transformer over word ids (pad id 0 = <|endoftext|>)."""

    def __init__(self, vocab, d=128, layers=2, heads=4, max_len=32):
        super().__init__()
        self.tok = nn.Embedding(vocab, d)
        nn.init.normal_(self.tok.weight, std=0.02)
        self.pos = nn.Parameter(torch.zeros(1, max_len, d))
        nn.init.normal_(self.pos, std=0.02)
        self.blocks = nn.ModuleList([Block(d, heads) for _ in range(layers)])
        self.ln = nn.LayerNorm(d)

    def forward(self, input_ids):
        x = self.tok(input_ids) + self.pos[:, : input_ids.shape[1]]
        for b in self.blocks:
            x = b(x)
        return self.ln(x)


class ClipText(nn.Module):
    def __init__(self, vocab, dim=128, d=128):
        super().__init__()
        self.enc = TextTransformer(vocab, d)
        self.proj = nn.Linear(d, dim)

    def forward(self, input_ids):
        h = self.enc(input_ids)
        # mean over real tokens: independent of how much padding the caller adds
        m = (input_ids != 0).to(h.dtype).unsqueeze(-1)
        pooled = (h * m).sum(1) / m.sum(1).clamp(min=1.0)
        return F.normalize(self.proj(pooled), dim=-1)


class Clip(nn.Module):
    def __init__(self, vocab, dim=128):
        super().__init__()
        self.vision = ClipVision(dim)
        self.text = ClipText(vocab, dim)
        self.logit_scale = nn.Parameter(torch.tensor(math.log(1 / 0.07)))


# ----------------------------------------------------------------------------- generator building blocks
def gn(c):
    return nn.GroupNorm(8, c)


class Res(nn.Module):
    def __init__(self, cin, cout, temb=0):
        super().__init__()
        self.n1, self.c1 = gn(cin), nn.Conv2d(cin, cout, 3, 1, 1)
        self.n2, self.c2 = gn(cout), nn.Conv2d(cout, cout, 3, 1, 1)
        self.t = nn.Linear(temb, cout) if temb else None
        self.skip = nn.Conv2d(cin, cout, 1) if cin != cout else nn.Identity()

    def forward(self, x, t=None):
        h = self.c1(F.silu(self.n1(x)))
        if self.t is not None:
            h = h + self.t(t)[:, :, None, None]
        h = self.c2(F.silu(self.n2(h)))
        return self.skip(x) + h


class VaeEncoderExport(nn.Module):
    """latent_sample = the encoder's latent (for an AutoencoderKL the posterior mean; SD pipelines
    scale it by scaling_factor)."""

    def __init__(self, vae):
        super().__init__()
        self.vae = vae

    def forward(self, sample):
        return self.vae.encode(sample)[0]


class VaeDecoderExport(nn.Module):
    def __init__(self, vae):
        super().__init__()
        self.vae = vae

    def forward(self, latent_sample):
        return self.vae.decode(latent_sample)


class CrossAttnBlock(nn.Module):
    def __init__(self, c, d_text, heads=4):
        super().__init__()
        self.n = gn(c)
        self.ln1, self.ln2, self.ln3 = nn.LayerNorm(c), nn.LayerNorm(c), nn.LayerNorm(c)
        self.self_att = MHA(c, heads)
        self.cross = MHA(c, heads, d_text)
        self.ff = nn.Sequential(nn.Linear(c, 2 * c), nn.GELU(), nn.Linear(2 * c, c))

    def forward(self, x, ctx):
        B, C, H, W = x.shape
        h = self.n(x).flatten(2).transpose(1, 2)
        h = h + self.self_att(self.ln1(h))
        h = h + self.cross(self.ln2(h), ctx)
        h = h + self.ff(self.ln3(h))
        return x + h.transpose(1, 2).reshape(B, C, H, W)


def timestep_embedding(t, dim):
    half = dim // 2
    freqs = torch.exp(-math.log(10000.0) * torch.arange(half, dtype=torch.float32) / half)
    a = t.to(torch.float32)[:, None] * freqs[None]
    return torch.cat([a.cos(), a.sin()], -1)


class UNetExport(nn.Module):
    def __init__(self, unet):
        super().__init__()
        self.unet = unet

    def forward(self, sample, timestep, encoder_hidden_states):
        t = timestep.reshape(-1).expand(sample.shape[0])
        return self.unet(sample, t, encoder_hidden_states)


# ----------------------------------------------------------------------------- generator (demo world v2)
class PixelUnshuffleVAE(nn.Module):
    """The lossless "autoencoder" of demo world v2: space-to-depth by `factor` (64x64x3 ->
    48x16x16 for 4) and back. It has no weights and loses nothing, so every pixel the judge or the
    embedder needs survives the latent round trip (v1's learned VAE capped the shape score at 71%).
    The ONNX files keep SD's vae_encoder / vae_decoder names and tensors, so the pipeline that runs
    it is the one that runs a real AutoencoderKL."""

    def __init__(self, factor=4):
        super().__init__()
        self.factor = factor

    def encode(self, x):
        return F.pixel_unshuffle(x, self.factor), None

    def decode(self, z):
        return F.pixel_shuffle(z, self.factor)


class CrossOnlyBlock(nn.Module):
    """Cross-attention to the text without self-attention: at 16x16 (256 cells) self-attention
    doubled the UNet's training step on 2 cores, while the text is what this level needs."""

    def __init__(self, c, d_text, heads=4):
        super().__init__()
        self.n, self.ln = gn(c), nn.LayerNorm(c)
        self.cross = MHA(c, heads, d_text)

    def forward(self, x, ctx):
        B, C, H, W = x.shape
        h = self.n(x).flatten(2).transpose(1, 2)
        h = self.cross(self.ln(h), ctx)
        return x + h.transpose(1, 2).reshape(B, C, H, W)


class UNetV2(nn.Module):
    """Denoiser for the 48x16x16 pixel-unshuffled latent: three levels (16x16, 8x8, 4x4) with
    cross-attention at every level, so the text reaches full latent resolution (where a 12-pixel
    star is 3x3 cells), and a learned absolute position map added at the input, because captions
    name places ("top left") and attention alone does not know where a cell is."""

    def __init__(self, d_text=128, ch=(64, 128, 192), zc=48, size=16, heads=4, slot_layout=False):
        super().__init__()
        c0, c1, c2 = ch
        self.slot_layout = slot_layout
        if slot_layout:
            # The scene slots of SlotTextEncoder (the first 10 of encoder_hidden_states: 9 cells in
            # reading order, then the background) painted onto the feature maps: every position gets
            # the slot of the grid cell it lies in, and the background slot. Zero-initialised, so a
            # UNet trained without them starts out unchanged.
            self.register_buffer("cells16", cell_map(size), persistent=False)
            self.register_buffer("cells8", cell_map(size // 2), persistent=False)
            self.slot16, self.bg16 = nn.Linear(d_text, c0), nn.Linear(d_text, c0)
            self.slot8, self.bg8 = nn.Linear(d_text, c0), nn.Linear(d_text, c0)
            for layer in (self.slot16, self.bg16, self.slot8, self.bg8):
                nn.init.zeros_(layer.weight)
                nn.init.zeros_(layer.bias)
        te = 4 * c0
        self.c0 = c0
        self.temb = nn.Sequential(nn.Linear(c0, te), nn.SiLU(), nn.Linear(te, te))
        self.inp = nn.Conv2d(zc, c0, 3, 1, 1)
        self.pos = nn.Parameter(torch.zeros(1, c0, size, size))
        nn.init.normal_(self.pos, std=0.02)
        self.d0 = Res(c0, c0, te)
        self.a0 = CrossOnlyBlock(c0, d_text, heads)
        self.down0 = nn.Conv2d(c0, c0, 3, 2, 1)
        self.d1 = Res(c0, c1, te)
        self.a1 = CrossAttnBlock(c1, d_text, heads)
        self.down1 = nn.Conv2d(c1, c1, 3, 2, 1)
        self.d2 = Res(c1, c2, te)
        self.a2 = CrossAttnBlock(c2, d_text, heads)
        self.m = Res(c2, c2, te)
        self.am = CrossAttnBlock(c2, d_text, heads)
        self.u2 = Res(c2 + c2, c2, te)
        self.ua2 = CrossAttnBlock(c2, d_text, heads)
        self.up2 = nn.Conv2d(c2, c1, 3, 1, 1)
        self.u1 = Res(c1 + c1, c1, te)
        self.ua1 = CrossAttnBlock(c1, d_text, heads)
        self.up1 = nn.Conv2d(c1, c0, 3, 1, 1)
        self.u0 = Res(c0 + c0, c0, te)
        self.ua0 = CrossOnlyBlock(c0, d_text, heads)
        self.out = nn.Sequential(gn(c0), nn.SiLU(), nn.Conv2d(c0, zc, 3, 1, 1))
        nn.init.zeros_(self.out[-1].weight)
        nn.init.zeros_(self.out[-1].bias)

    def forward(self, sample, timestep, encoder_hidden_states):
        t = self.temb(timestep_embedding(timestep, self.c0))  # timestep: [B]
        ctx = encoder_hidden_states
        x = self.inp(sample) + self.pos
        if self.slot_layout:
            x = x + self.paint(ctx, self.cells16, self.slot16, self.bg16, x.shape)
        h0 = self.a0(self.d0(x, t), ctx)                                   # 16x16
        x1 = self.down0(h0)
        if self.slot_layout:
            x1 = x1 + self.paint(ctx, self.cells8, self.slot8, self.bg8, x1.shape)
        h1 = self.a1(self.d1(x1, t), ctx)                                  # 8x8
        h2 = self.a2(self.d2(self.down1(h1), t), ctx)                      # 4x4
        m = self.am(self.m(h2, t), ctx)
        u = self.ua2(self.u2(torch.cat([m, h2], 1), t), ctx)
        u = self.up2(F.interpolate(u, scale_factor=2.0, mode="nearest"))  # 8x8
        u = self.ua1(self.u1(torch.cat([u, h1], 1), t), ctx)
        u = self.up1(F.interpolate(u, scale_factor=2.0, mode="nearest"))  # 16x16
        u = self.ua0(self.u0(torch.cat([u, h0], 1), t), ctx)
        return self.out(u)

    @staticmethod
    def paint(ctx, cells, slot_proj, bg_proj, shape):
        B, C, H, W = shape
        spatial = slot_proj(cells @ ctx[:, :9])  # [B, H*W, C]: each position's cell slot
        return spatial.transpose(1, 2).reshape(B, C, H, W) + bg_proj(ctx[:, 9])[:, :, None, None]


def cell_map(side, image=64):
    """[side*side, 9] one-hot: which third of the image, across and down, each latent position's
    centre lies in (the demo world's 3x3 grid)."""
    centre = (torch.arange(side, dtype=torch.float32) + 0.5) * (image / side)
    third = (centre * 3 // image).long().clamp(max=2)
    cell = (third[:, None] * 3 + third[None, :]).reshape(-1)
    return F.one_hot(cell, 9).float()


class SlotTextEncoder(nn.Module):
    """The generator's text encoder: the token transformer, then ten scene slots — one per grid
    cell and one for the background — each a learned query attending to the caption's tokens.
    Output: the slots followed by the token features ([B, 10 + T, d]), so the UNet's
    cross-attention can find a cell's content by the cell's own key (its slot) instead of having to
    parse "in the top left" itself. The slots are trained to predict the scene (layout.py), as SD's
    text encoder arrives pretrained: this world has no CLIP trained on 400M pairs to lean on."""

    def __init__(self, vocab, d=128, layers=2, heads=4, max_len=32, slots=10):
        super().__init__()
        self.enc = TextTransformer(vocab, d, layers, heads, max_len)
        self.queries = nn.Parameter(torch.randn(1, slots, d) * 0.02)
        self.att = MHA(d, heads)
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.ff = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))
        self.ln = nn.LayerNorm(d)
        self.n_slots = slots

    def slots(self, input_ids, h):
        q = self.queries.expand(input_ids.shape[0], -1, -1)
        k, v = self.att.kv(self.ln1(h)).chunk(2, -1)
        keep = (input_ids != 0)[:, None, None, :]  # padding is not read (an empty caption: uniform, still finite)
        s = q + self.att.attend(self.att.split(self.att.q(q)), self.att.split(k), self.att.split(v), keep)
        return s + self.ff(self.ln2(s))

    def forward(self, input_ids):
        h = self.enc(input_ids)
        return torch.cat([self.ln(self.slots(input_ids, h)), h], 1)


class SceneHead(nn.Module):
    """Training-only readout of the slots (not exported): per cell slot, is there an object and
    its colour / shape / size; the background slot's background."""

    def __init__(self, d=128, colours=7, shapes=5, sizes=2, backgrounds=4):
        super().__init__()
        self.cell = nn.Linear(d, 1 + colours + shapes + sizes)
        self.bg = nn.Linear(d, backgrounds)
        self.split = (1, colours, shapes, sizes)

    def forward(self, slots):  # slots: [B, 10, d], cells first
        present, colour, shape, size = self.cell(slots[:, :9]).split(self.split, -1)
        return present[..., 0], colour, shape, size, self.bg(slots[:, 9])
