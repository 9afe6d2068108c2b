"""Export trained checkpoints to resources/demo/ in the public ONNX layouts.
Usage: export.py captioner|generator|clip WORK_DIR OUT_DIR
Also writes WORK_DIR/verify/<model>.json: fixed inputs with the torch outputs, which
verify_onnx.mjs compares against onnxruntime-node."""
import json
import os
import shutil
import sys

import numpy as np
import onnx
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import (MEAN, PAD, SPECIAL_TOKENS_MAP, STD, TEXT_LEN, Vocab, set_threads, tokenizer_config,
                    tokenizer_json)
import diffusion as D
import models as M
import train as T

RUN_STEPS, RUN_GUIDANCE = 4, 1.0  # the app's defaults for the demo generator (roundtrip-model.json)

OPSET = 17


def dump(obj, path):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        json.dump(obj, f, indent=2)
        f.write("\n")


def export(module, args, path, inputs, outputs, axes):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    module.eval()
    with torch.no_grad():
        torch.onnx.export(module, args, path, input_names=inputs, output_names=outputs, dynamic_axes=axes,
                          opset_version=OPSET, do_constant_folding=True)
    m = onnx.load(path)
    onnx.checker.check_model(m)
    got_in = [i.name for i in m.graph.input]
    got_out = [o.name for o in m.graph.output]
    assert got_in == inputs, (path, got_in, inputs)
    assert got_out == outputs, (path, got_out, outputs)
    print(f"  {path}: {os.path.getsize(path) / 1e6:.2f} MB")


def fix_dims(path, output, dims):
    """Name the output's dims (torch's shape inference leaves Slice-derived names after chunk())."""
    m = onnx.load(path)
    o = next(o for o in m.graph.output if o.name == output)
    for d, v in zip(o.type.tensor_type.shape.dim, dims):
        d.Clear()
        if isinstance(v, str):
            d.dim_param = v
        else:
            d.dim_value = v
    onnx.checker.check_model(m)
    onnx.save(m, path)


def tensor(t):
    t = t.detach().contiguous()
    return {"dtype": {torch.float32: "float32", torch.int64: "int64", torch.bool: "bool"}[t.dtype],
            "dims": list(t.shape), "data": t.reshape(-1).tolist()}


def write_tokenizer(folder, vocab, fixed_len=None, max_len=TEXT_LEN):
    dump(tokenizer_json(vocab, fixed_len), os.path.join(folder, "tokenizer.json"))
    dump(tokenizer_config(max_len), os.path.join(folder, "tokenizer_config.json"))
    dump(SPECIAL_TOKENS_MAP, os.path.join(folder, "special_tokens_map.json"))


PREPROCESSOR = {
    "do_resize": True, "size": {"height": 64, "width": 64}, "resample": 2,
    "do_rescale": True, "rescale_factor": 1 / 255,
    "do_normalize": True, "image_mean": MEAN, "image_std": STD,
}


# ----------------------------------------------------------------------------- captioner
class EncoderExport(torch.nn.Module):
    def __init__(self, enc):
        super().__init__()
        self.enc = enc

    def forward(self, pixel_values):
        return self.enc(pixel_values)


class MergedDecoderExport(torch.nn.Module):
    """One graph for both branches: the past may be zero-length (first step) and is concatenated
    with the new keys/values; positions start at the past length. use_cache_branch is consumed
    harmlessly (added as 0·x to the logits) so the input exists like in Optimum's merged export."""

    def __init__(self, dec):
        super().__init__()
        self.dec = dec

    def forward(self, input_ids, encoder_hidden_states, *rest):
        flat, use_cache_branch = rest[:-1], rest[-1]
        past = [(flat[2 * i], flat[2 * i + 1]) for i in range(self.dec.nl)]
        logits, presents = self.dec(input_ids, encoder_hidden_states, past)
        logits = logits + use_cache_branch.to(logits.dtype).sum() * 0.0
        return (logits, *[t for kv in presents for t in kv])


class PlainDecoderExport(torch.nn.Module):
    def __init__(self, dec):
        super().__init__()
        self.dec = dec

    def forward(self, input_ids, encoder_hidden_states):
        logits, presents = self.dec(input_ids, encoder_hidden_states, self.dec.empty_past(input_ids.shape[0]))
        return (logits, *[t for kv in presents for t in kv])


# transformers.js picks fp32 on CPU and q8 (`onnx/*_quantized.onnx`) in a browser unless told; the demo
# folders hold fp32 graphs only, so config.json says so (MODELS.md appendix §0: `auto`/unset dtype falls
# back to config.json "transformers.js_config".dtype). tests/crosscheck loads both folders in transformers.js.
TJS_CONFIG = {"dtype": "fp32"}


def captioner_configs(d, layers, heads, vocab, positions, encoder_layers):
    """config.json and generation_config.json in the layout of Xenova/vit-gpt2-image-captioning. The
    decoder sub-config's n_layer/n_head/n_embd size transformers.js's empty KV cache, so they must be the
    graph's (MODELS.md appendix §1)."""
    enc_cfg = {"model_type": "demo-cnn-vit", "hidden_size": d, "num_hidden_layers": encoder_layers,
               "num_attention_heads": heads, "image_size": 64, "num_channels": 3, "num_tokens": 16}
    dec_cfg = {"model_type": "gpt2", "vocab_size": vocab, "n_embd": d, "hidden_size": d, "n_layer": layers,
               "num_hidden_layers": layers, "n_head": heads, "num_attention_heads": heads, "n_positions": positions,
               "add_cross_attention": True, "is_decoder": True, "bos_token_id": PAD, "eos_token_id": PAD,
               "pad_token_id": PAD, "decoder_start_token_id": PAD, "tie_word_embeddings": True}
    config = {"architectures": ["VisionEncoderDecoderModel"], "model_type": "vision-encoder-decoder",
              "is_encoder_decoder": True, "encoder": enc_cfg, "decoder": dec_cfg, "bos_token_id": PAD,
              "eos_token_id": PAD, "pad_token_id": PAD, "decoder_start_token_id": PAD, "vocab_size": vocab,
              "tie_word_embeddings": True, "transformers_version": "4.x (hand-written)",
              "transformers.js_config": TJS_CONFIG,
              "demo_world": {"trained_here": True, "merged_decoder": "single graph, zero-length past on the first step"}}
    generation = {"bos_token_id": PAD, "eos_token_id": PAD, "pad_token_id": PAD, "decoder_start_token_id": PAD,
                  "max_length": T.MAX_CAP_TOKENS + 2, "do_sample": False, "num_beams": 1}
    return config, generation


def load_captioner(work):
    vocab = Vocab.load(os.path.join(work, "vocab.json"))
    model = M.Captioner(len(vocab.itos), **T.CAP)
    model.load_state_dict(torch.load(os.path.join(work, "captioner.pt"))["model"])
    return model.eval(), vocab


def export_captioner(work, out):
    model, vocab = load_captioner(work)
    dec = model.decoder
    nl, h, hd, d, V = dec.nl, dec.h, dec.d // dec.h, dec.d, len(vocab.itos)
    folder = os.path.join(out, "captioner")
    shutil.rmtree(folder, ignore_errors=True)
    onx = os.path.join(folder, "onnx")
    torch.manual_seed(0)
    px = torch.randn(2, 3, 64, 64)
    export(EncoderExport(model.encoder), (px,), os.path.join(onx, "encoder_model.onnx"), ["pixel_values"],
           ["last_hidden_state"], {"pixel_values": {0: "batch_size"}, "last_hidden_state": {0: "batch_size"}})
    with torch.no_grad():
        enc = model.encoder(px)
    pkv_names = [f"past_key_values.{i}.{kv}" for i in range(nl) for kv in ("key", "value")]
    pres_names = [f"present.{i}.{kv}" for i in range(nl) for kv in ("key", "value")]
    past = [torch.randn(2, h, 3, hd) for _ in pkv_names]  # non-zero past length while tracing
    ids = torch.tensor([[5, 7], [9, 3]])
    axes = {"input_ids": {0: "batch_size", 1: "sequence_length"},
            "encoder_hidden_states": {0: "batch_size", 1: "encoder_sequence_length"},
            "logits": {0: "batch_size", 1: "sequence_length"}}
    for n in pkv_names:
        axes[n] = {0: "batch_size", 2: "past_sequence_length"}
    for n in pres_names:
        axes[n] = {0: "batch_size", 2: "past_sequence_length + sequence_length"}
    export(MergedDecoderExport(dec), (ids, enc, *past, torch.tensor([True])),
           os.path.join(onx, "decoder_model_merged.onnx"),
           ["input_ids", "encoder_hidden_states", *pkv_names, "use_cache_branch"], ["logits", *pres_names], axes)
    axes2 = {k: v for k, v in axes.items() if not k.startswith("past")}
    for n in pres_names:
        axes2[n] = {0: "batch_size", 2: "sequence_length"}
    export(PlainDecoderExport(dec), (ids, enc), os.path.join(onx, "decoder_model.onnx"),
           ["input_ids", "encoder_hidden_states"], ["logits", *pres_names], axes2)

    config, generation = captioner_configs(d=d, layers=nl, heads=h, vocab=V, positions=dec.max_len,
                                           encoder_layers=len(model.encoder.blocks))
    dump(config, os.path.join(folder, "config.json"))
    dump(generation, os.path.join(folder, "generation_config.json"))
    dump(dict(PREPROCESSOR, image_processor_type="ViTImageProcessor", feature_extractor_type="ViTFeatureExtractor"),
         os.path.join(folder, "preprocessor_config.json"))
    write_tokenizer(folder, vocab, None, T.MAX_CAP_TOKENS + 2)

    # reference data for verify_onnx.mjs: one image pair, a full sequence
    a, b = [PAD] + vocab.encode("a big red circle on the left"), [PAD] + vocab.encode("two blue stars")
    seq = torch.tensor([a, b + [PAD] * (len(a) - len(b))])
    with torch.no_grad():
        full, _ = dec(seq, enc, dec.empty_past(2))
    dump({"pixel_values": tensor(px), "last_hidden_state": tensor(enc), "input_ids": tensor(seq),
          "logits": tensor(full), "num_layers": nl, "num_heads": h, "head_dim": hd},
         os.path.join(work, "verify", "captioner.json"))
    # Python-side check: cached step-by-step equals the full pass
    with torch.no_grad():
        pst = dec.empty_past(2)
        steps = []
        for t in range(seq.shape[1]):
            lg, pst = dec(seq[:, t:t + 1], enc, pst)
            steps.append(lg)
        diff = (torch.cat(steps, 1) - full).abs().max().item()
    print(f"  cached vs full decoding (torch): max |diff| = {diff:.2e}")
    assert diff < 1e-4


# ----------------------------------------------------------------------------- clip
def clip_config(vocab, logit_scale):
    """config.json in the layout of Xenova/clip-vit-base-patch32 (MODELS.md appendix §2)."""
    return {"architectures": ["CLIPModel"], "model_type": "clip", "projection_dim": T.CLIP_DIM,
            "logit_scale_init_value": logit_scale,
            "text_config": {"model_type": "clip_text_model", "vocab_size": vocab, "hidden_size": 128,
                            "num_hidden_layers": 2, "num_attention_heads": 4, "max_position_embeddings": TEXT_LEN,
                            "bos_token_id": PAD, "eos_token_id": PAD, "pad_token_id": PAD,
                            "projection_dim": T.CLIP_DIM},
            "vision_config": {"model_type": "clip_vision_model", "image_size": 64, "num_channels": 3,
                              "hidden_size": 96, "projection_dim": T.CLIP_DIM},
            "transformers.js_config": TJS_CONFIG,
            # Unlike OpenAI CLIP (causal attention, pooled at the end token) this text tower attends to
            # its padding: it was trained on rows padded to TEXT_LEN, so callers pad to model_max_length
            # (transformers.js: padding 'max_length'; its CLIP pipelines' `padding: true` moves the vectors).
            "demo_world": {"embeds_are_l2_normalised": True, "text_pooling": "mean over tokens != 0",
                           "text_padding": f"max_length ({TEXT_LEN}), as trained"}}


def load_clip(work):
    vocab = Vocab.load(os.path.join(work, "vocab.json"))
    model = M.Clip(len(vocab.itos), T.CLIP_DIM)
    model.load_state_dict(torch.load(os.path.join(work, "clip.pt"))["model"])
    return model.eval(), vocab


def export_clip(work, out):
    model, vocab = load_clip(work)
    folder = os.path.join(out, "clip")
    shutil.rmtree(folder, ignore_errors=True)
    torch.manual_seed(0)
    px = torch.randn(2, 3, 64, 64)
    ids = vocab.pad(["a big red circle on the left", "two blue stars"])
    export(model.vision, (px,), os.path.join(folder, "onnx", "vision_model.onnx"), ["pixel_values"], ["image_embeds"],
           {"pixel_values": {0: "batch_size"}, "image_embeds": {0: "batch_size"}})
    export(model.text, (ids,), os.path.join(folder, "onnx", "text_model.onnx"), ["input_ids"], ["text_embeds"],
           {"input_ids": {0: "batch_size", 1: "sequence_length"}, "text_embeds": {0: "batch_size"}})
    dump(clip_config(len(vocab.itos), float(model.logit_scale.exp())), os.path.join(folder, "config.json"))
    dump(dict(PREPROCESSOR, image_processor_type="CLIPImageProcessor", feature_extractor_type="CLIPFeatureExtractor"),
         os.path.join(folder, "preprocessor_config.json"))
    write_tokenizer(folder, vocab, TEXT_LEN)
    with torch.no_grad():
        dump({"pixel_values": tensor(px), "image_embeds": tensor(model.vision(px)), "input_ids": tensor(ids),
              "text_embeds": tensor(model.text(ids))}, os.path.join(work, "verify", "clip.json"))


# ----------------------------------------------------------------------------- generator
def stage_state(work, names, snapshot=True):
    """(path, loaded checkpoint) of the first of `names` whose stage in `work` has finished; with
    none finished, with `snapshot`, the last of them that exists (evaluate.py reads snapshots
    during a run), else None. Each file is loaded once."""
    existing = []
    for name in names:
        path = os.path.join(work, f"{name}.pt")
        if os.path.exists(path):
            st = torch.load(path, map_location="cpu")
            if st.get("done"):
                return path, st
            existing.append((path, st))
    return existing[-1] if existing and snapshot else None


def generator_state(work):
    """The generator's latest finished stage: the guidance-distilled student (not with
    DEMO_UNDISTILLED=1), else the shapes stage, else the layout run; else a snapshot."""
    names = [n for n in ("distill", "shapes", "layout") if not (n == "distill" and os.environ.get("DEMO_UNDISTILLED") == "1")]
    found = stage_state(work, names)
    if found is None:
        raise SystemExit(f"{work}: no generator checkpoint (layout.pt, shapes.pt or distill.pt)")
    return found


def load_generator(work):
    vocab = Vocab.load(os.path.join(work, "vocab.json"))
    from layout import LayoutDiffusion
    diff = LayoutDiffusion(len(vocab.itos))
    _, st = generator_state(work)
    diff.load_state_dict(st.get("ema", st["model"]))  # EMA weights: cleaner samples
    return diff.eval(), T.pixel_vae().eval(), T.SCALING_FACTOR, vocab


def export_vae(work, out):
    """The lossless pixel-unshuffle "VAE" in SD's vae_encoder / vae_decoder layout."""
    vae = T.pixel_vae().eval()
    folder = os.path.join(out, "generator")
    torch.manual_seed(0)
    x = torch.rand(2, 3, 64, 64) * 2 - 1
    z = torch.randn(2, *T.LATENT)
    export(M.VaeEncoderExport(vae), (x,), os.path.join(folder, "vae_encoder", "model.onnx"), ["sample"],
           ["latent_sample"], {"sample": {0: "batch_size"}, "latent_sample": {0: "batch_size"}})
    fix_dims(os.path.join(folder, "vae_encoder", "model.onnx"), "latent_sample", ["batch_size", *T.LATENT])
    export(M.VaeDecoderExport(vae), (z,), os.path.join(folder, "vae_decoder", "model.onnx"), ["latent_sample"],
           ["sample"], {"latent_sample": {0: "batch_size"}, "sample": {0: "batch_size"}})
    fix_dims(os.path.join(folder, "vae_decoder", "model.onnx"), "sample", ["batch_size", 3, 64, 64])
    cfg = {"_class_name": "PixelUnshuffleAutoencoder", "in_channels": 3, "out_channels": 3,
           "latent_channels": T.LATENT[0], "sample_size": 64, "scaling_factor": T.SCALING_FACTOR,
           "downsampling_factor": T.PIXEL_FACTOR,
           "demo_world": {"latent_sample_is": f"the image in [-1, 1], pixel-unshuffled by {T.PIXEL_FACTOR} "
                                              "(space-to-depth, lossless; no learned weights)"}}
    dump(cfg, os.path.join(folder, "vae_encoder", "config.json"))
    dump(cfg, os.path.join(folder, "vae_decoder", "config.json"))
    with torch.no_grad():
        return {"vae_in": tensor(x), "vae_latent": tensor(vae.encode(x)[0]), "vae_z": tensor(z),
                "vae_out": tensor(vae.decode(z))}


class TextEncoderExport(torch.nn.Module):
    def __init__(self, te):
        super().__init__()
        self.te = te

    def forward(self, input_ids):
        return self.te(input_ids)


def export_generator(work, out):
    diff, vae, sf, vocab = load_generator(work)
    folder = os.path.join(out, "generator")
    shutil.rmtree(folder, ignore_errors=True)
    ref = export_vae(work, out)
    torch.manual_seed(0)
    ids = vocab.pad(["a big red circle on the left", ""])
    export(TextEncoderExport(diff.text), (ids,), os.path.join(folder, "text_encoder", "model.onnx"), ["input_ids"],
           ["last_hidden_state"], {"input_ids": {0: "batch_size", 1: "sequence_length"},
                                   # ten scene slots, then one state per token
                                   "last_hidden_state": {0: "batch_size", 1: "slots_plus_sequence_length"}})
    with torch.no_grad():
        ctx = diff.text(ids)
    x = torch.randn(2, *T.LATENT)
    ts = torch.tensor([501], dtype=torch.int64)
    export(M.UNetExport(diff.unet), (x, ts, ctx), os.path.join(folder, "unet", "model.onnx"),
           ["sample", "timestep", "encoder_hidden_states"], ["out_sample"],
           {"sample": {0: "batch_size", 2: "height", 3: "width"},
            "encoder_hidden_states": {0: "batch_size", 1: "encoder_sequence_length"},
            "out_sample": {0: "batch_size", 2: "height", 3: "width"}})
    V = len(vocab.itos)
    dump({"_class_name": "CLIPTextModel", "model_type": "clip_text_model", "vocab_size": V, "hidden_size": T.TEXT_D,
          "num_hidden_layers": 2, "num_attention_heads": 4, "max_position_embeddings": TEXT_LEN,
          "bos_token_id": PAD, "eos_token_id": PAD, "pad_token_id": PAD,
          "demo_world": {"scene_slots": diff.text.n_slots, "last_hidden_state": "10 scene slots (9 grid cells in reading "
                         "order, then the background), then one state per input token"}},
         os.path.join(folder, "text_encoder", "config.json"))
    C = T.LATENT[0]
    dump({"_class_name": "UNet2DConditionModel", "sample_size": T.LATENT[1], "in_channels": C, "out_channels": C,
          "block_out_channels": list(T.UNET_CH), "cross_attention_dim": T.TEXT_D, "attention_head_dim": 4,
          "demo_world": {"timestep": "int64 [1]", "prediction": "sample (x0)"}}, os.path.join(folder, "unet", "config.json"))
    # diffusion.py's recipe: cosine betas (SNR ~0 at t = 999), x0 prediction, trailing timesteps
    dump({"_class_name": "DDIMScheduler", "_diffusers_version": "0.21.0", "num_train_timesteps": D.T_TRAIN,
          "beta_start": 0.0001, "beta_end": 0.02, "beta_schedule": "squaredcos_cap_v2", "trained_betas": None,
          "prediction_type": "sample", "set_alpha_to_one": True, "steps_offset": 0, "clip_sample": False,
          "timestep_spacing": "trailing", "rescale_betas_zero_snr": False},
         os.path.join(folder, "scheduler", "scheduler_config.json"))
    tok = os.path.join(folder, "tokenizer")
    write_tokenizer(tok, vocab, TEXT_LEN)
    dump({"_class_name": "OnnxStableDiffusionPipeline", "_diffusers_version": "0.21.0",
          "scheduler": ["diffusers", "DDIMScheduler"], "text_encoder": ["diffusers", "OnnxRuntimeModel"],
          "tokenizer": ["transformers", "PreTrainedTokenizerFast"], "unet": ["diffusers", "OnnxRuntimeModel"],
          "vae_decoder": ["diffusers", "OnnxRuntimeModel"], "vae_encoder": ["diffusers", "OnnxRuntimeModel"],
          "feature_extractor": [None, None], "safety_checker": [None, None], "requires_safety_checker": False,
          "demo_world": {"image_size": 64, "latent_shape": list(T.LATENT), "text_length": TEXT_LEN,
                         "scaling_factor": sf, "recommended": {"scheduler": "DDIM", "steps": RUN_STEPS, "guidance_scale": RUN_GUIDANCE}}},
         os.path.join(folder, "model_index.json"))
    with torch.no_grad():
        eps = diff.unet(x, ts.expand(2), ctx)  # x0, in this recipe
    ref.update({"input_ids": tensor(ids), "last_hidden_state": tensor(ctx), "sample": tensor(x),
                "timestep": tensor(ts), "out_sample": tensor(eps)})
    dump(ref, os.path.join(work, "verify", "generator.json"))


if __name__ == "__main__":
    set_threads()
    what, work, out = sys.argv[1:4]
    print(f"export {what}")
    {"captioner": export_captioner, "clip": export_clip, "generator": export_generator}[what](work, out)
