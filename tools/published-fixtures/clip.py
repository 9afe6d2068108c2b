"""Xenova/clip-vit-base-patch32 (MODELS.md appendix §2): model.onnx (CLIPModel,
Optimum CLIPOnnxConfig I/O), text_model.onnx and vision_model.onnx (transformers.js
scripts/extra/clip.py: CLIPTextModelWithProjection → text_embeds only, int64 input_ids;
CLIPVisionModelWithProjection → image_embeds only), each with _fp16 and _quantized."""
import math

import torch
from torch import nn

import tiny_tokenizers as tok
from clip_towers import CLIP_VOCAB, MAX_POSITIONS, Projection, TextTower, VisionTower
from common import export, seed, write_json, write_text
from variants import save_variants

D, HEADS, PROJ, IMAGE, PATCH = 8, 2, 6, 224, 32
BOS, EOS = 49406, 49407
CLIP_MEAN, CLIP_STD = [0.48145466, 0.4578275, 0.40821073], [0.26862954, 0.26130258, 0.27577711]


class TextWithProjection(nn.Module):
    def __init__(self, text, proj):
        super().__init__()
        self.text, self.proj = text, proj

    def forward(self, input_ids):
        return self.proj(self.text(input_ids)[1])


class VisionWithProjection(nn.Module):
    def __init__(self, vision, proj):
        super().__init__()
        self.vision, self.proj = vision, proj

    def forward(self, pixel_values):
        return self.proj(self.vision(pixel_values)[1])


class ClipModel(nn.Module):
    """CLIPModel.forward: embeds are L2-normalised before the logits and returned normalised."""

    def __init__(self, text, vision, text_proj, visual_proj):
        super().__init__()
        self.text, self.vision, self.text_proj, self.visual_proj = text, vision, text_proj, visual_proj
        self.logit_scale = nn.Parameter(torch.tensor(math.log(1 / 0.07)))

    def forward(self, input_ids, pixel_values, attention_mask):
        t = self.text_proj(self.text(input_ids, attention_mask)[1])
        i = self.visual_proj(self.vision(pixel_values)[1])
        t = t / t.norm(dim=-1, keepdim=True)
        i = i / i.norm(dim=-1, keepdim=True)
        logits_per_text = self.logit_scale.exp() * t @ i.t()
        return logits_per_text.t(), logits_per_text, t, i


def build_models():
    seed(202)
    text, vision = TextTower(D, HEADS), VisionTower(D, HEADS, IMAGE, PATCH)
    text_proj, visual_proj = Projection(D, PROJ), Projection(D, PROJ)
    return (ClipModel(text, vision, text_proj, visual_proj), TextWithProjection(text, text_proj),
            VisionWithProjection(vision, visual_proj))


def write(root):
    full, text_model, vision_model = build_models()
    ids = torch.tensor([[BOS, 300, 301, EOS], [BOS, 302, EOS, EOS]])
    pixels = torch.randn(2, 3, IMAGE, IMAGE)
    pixel_axes = {0: "batch_size", 1: "num_channels", 2: "height", 3: "width"}
    model = export(full, (ids, pixels, torch.ones_like(ids)), ["input_ids", "pixel_values", "attention_mask"],
                   ["logits_per_image", "logits_per_text", "text_embeds", "image_embeds"],
                   {"input_ids": {0: "text_batch_size", 1: "sequence_length"},
                    "pixel_values": {0: "image_batch_size", 1: "num_channels", 2: "height", 3: "width"},
                    "attention_mask": {0: "text_batch_size", 1: "sequence_length"},
                    "logits_per_image": {0: "image_batch_size", 1: "text_batch_size"},
                    "logits_per_text": {0: "text_batch_size", 1: "image_batch_size"},
                    "text_embeds": {0: "text_batch_size"}, "image_embeds": {0: "image_batch_size"}})
    text = export(text_model, (ids,), ["input_ids"], ["text_embeds"],
                  {"input_ids": {0: "batch_size", 1: "sequence_length"}, "text_embeds": {0: "batch_size"}})
    vision = export(vision_model, (pixels,), ["pixel_values"], ["image_embeds"],
                    {"pixel_values": pixel_axes, "image_embeds": {0: "batch_size"}})
    for stem, graph in (("model", model), ("text_model", text), ("vision_model", vision)):
        save_variants(root, f"onnx/{stem}", graph)
    write_configs(root)


def clip_tokenizer_json(vocab, merges, pad="<|endoftext|>"):
    return {
        "version": "1.0",
        "truncation": {"direction": "Right", "max_length": MAX_POSITIONS, "strategy": "LongestFirst", "stride": 0},
        "padding": None,
        "added_tokens": [tok.added_token(BOS, "<|startoftext|>", normalized=True),
                         tok.added_token(EOS, "<|endoftext|>", normalized=False)],
        "normalizer": {"type": "Sequence", "normalizers": [
            {"type": "NFC"}, {"type": "Replace", "pattern": {"Regex": "\\s+"}, "content": " "}, {"type": "Lowercase"}]},
        "pre_tokenizer": {"type": "Sequence", "pretokenizers": [
            {"type": "Split", "pattern": {"Regex": "<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+"},
             "behavior": "Removed", "invert": True},
            {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": False}]},
        "post_processor": {"type": "RobertaProcessing", "sep": ["<|endoftext|>", EOS], "cls": ["<|startoftext|>", BOS],
                           "trim_offsets": False, "add_prefix_space": False},
        "decoder": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True},
        "model": {"type": "BPE", "dropout": None, "unk_token": "<|endoftext|>", "continuing_subword_prefix": "",
                  "end_of_word_suffix": "</w>", "fuse_unk": False, "byte_fallback": False, "vocab": vocab, "merges": merges},
    }


def write_clip_tokenizer_files(root, folder, pad="<|endoftext|>", with_json=True):
    """vocab.json, merges.txt, special_tokens_map.json, tokenizer_config.json (+ tokenizer.json)."""
    vocab, merges = tok.clip()
    prefix = f"{folder}/" if folder else ""
    write_json(root, f"{prefix}vocab.json", vocab, indent=None)
    write_text(root, f"{prefix}merges.txt", "#version: 0.2\n" + "\n".join(merges) + "\n")
    write_json(root, f"{prefix}special_tokens_map.json", {"bos_token": "<|startoftext|>", "eos_token": "<|endoftext|>",
                                                         "pad_token": pad, "unk_token": "<|endoftext|>"})
    write_json(root, f"{prefix}tokenizer_config.json", {
        "add_prefix_space": False, "bos_token": "<|startoftext|>", "clean_up_tokenization_spaces": True,
        "do_lower_case": True, "eos_token": "<|endoftext|>", "errors": "replace", "model_max_length": MAX_POSITIONS,
        "pad_token": pad, "tokenizer_class": "CLIPTokenizer", "unk_token": "<|endoftext|>"})
    if with_json:
        write_json(root, f"{prefix}tokenizer.json", clip_tokenizer_json(vocab, merges, pad))


def write_configs(root):
    write_json(root, "config.json", {
        "_name_or_path": "openai/clip-vit-base-patch32", "architectures": ["CLIPModel"], "initializer_factor": 1.0,
        "logit_scale_init_value": 2.6592, "model_type": "clip", "projection_dim": PROJ,
        # openai's config keeps the legacy text ids 0/2/1; the real ones come from the tokenizer.
        "text_config": {"bos_token_id": 0, "eos_token_id": 2, "pad_token_id": 1, "hidden_act": "quick_gelu",
                        "hidden_size": D, "intermediate_size": 2 * D, "max_position_embeddings": MAX_POSITIONS,
                        "model_type": "clip_text_model", "num_attention_heads": HEADS, "num_hidden_layers": 1,
                        "projection_dim": PROJ, "vocab_size": CLIP_VOCAB},
        "vision_config": {"hidden_act": "quick_gelu", "hidden_size": D, "image_size": IMAGE, "intermediate_size": 2 * D,
                          "model_type": "clip_vision_model", "num_attention_heads": HEADS, "num_channels": 3,
                          "num_hidden_layers": 1, "patch_size": PATCH, "projection_dim": PROJ},
        "torch_dtype": "float32", "transformers_version": "4.33.0.dev0"})
    write_json(root, "preprocessor_config.json", {
        "crop_size": {"height": IMAGE, "width": IMAGE}, "do_center_crop": True, "do_convert_rgb": True,
        "do_normalize": True, "do_rescale": True, "do_resize": True, "feature_extractor_type": "CLIPFeatureExtractor",
        "image_mean": CLIP_MEAN, "image_processor_type": "CLIPFeatureExtractor", "image_std": CLIP_STD,
        "resample": 3, "rescale_factor": 0.00392156862745098, "size": {"shortest_edge": IMAGE}})
    write_clip_tokenizer_files(root, "")
