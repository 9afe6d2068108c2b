"""Xenova/vit-gpt2-image-captioning (MODELS.md appendix §1): ViT encoder + GPT-2 decoder with
cross-attention, in the transformers.js file tree with its three decoder forms and the
fp16/q8 variants it publishes (no fp16 file for decoder_model / decoder_with_past_model)."""
import torch

import tiny_tokenizers as tok
from common import export, seed, write_json, write_text
from decoder_export import TextDecoder, export_decoders, merge
from layers import PatchEncoder, SparseVocab
from variants import op_types, save_variants

D, HEADS, LAYERS, IMAGE, PATCH, POSITIONS = 8, 2, 2, 224, 16, 128
VOCAB_SIZE, EOS = 50257, 50256


def build_models():
    seed(101)
    vocab, merges = tok.gpt2()
    encoder = PatchEncoder(D, HEADS, IMAGE, PATCH)
    # A trained captioner never predicts raw control/latin-1 bytes: only printable ASCII bytes,
    # merges and eos are reachable (the others stay in the vocabulary, masked in the head).
    reachable = [i for t, i in vocab.items() if i >= 256 or t.isascii() and t.isprintable()]
    table = SparseVocab(VOCAB_SIZE, D, reachable, scale=GAIN["vocab"], bonus={EOS: GAIN["eos"]})
    decoder = TextDecoder(table, D, HEADS, LAYERS, D, POSITIONS)
    amplify(decoder, GAIN["dense"])
    return encoder, decoder, vocab, merges


# Random weights, scaled so greedy decoding depends on the image and the previous tokens, gives
# varied captions and stops on eos within a few words for some images (measured by greedy()).
GAIN = {"vocab": 1.5, "eos": 8.5, "dense": 1.5}


def amplify(module, gain):
    with torch.no_grad():
        for name, p in module.named_parameters():
            if name.endswith(".weight") and p.dim() == 2:
                p.mul_(gain)


def write(root):
    encoder, decoder, vocab, merges = build_models()
    enc_len = (IMAGE // PATCH) ** 2 + 1
    enc_model = export(encoder, (torch.randn(1, 3, IMAGE, IMAGE),), ["pixel_values"], ["last_hidden_state"],
                       {"pixel_values": {0: "batch_size", 1: "num_channels", 2: "height", 3: "width"},
                        "last_hidden_state": {0: "batch_size"}})
    no_past, with_past = export_decoders(decoder, enc_len, D)
    merged = merge(no_past, with_past, LAYERS)
    per_model = {}
    for stem, model, fp16_too in (("encoder_model", enc_model, True), ("decoder_model_merged", merged, True),
                                  ("decoder_model", no_past, False), ("decoder_with_past_model", with_past, False)):
        weight_type = save_variants(root, f"onnx/{stem}", model, fp16_variant=fp16_too)
        per_model[stem] = {"op_types": op_types(model), "weight_type": f"QuantType.{weight_type}"}
    # transformers.js convert.py (2023-24) writes this file beside the q8 graphs.
    write_json(root, "quantize_config.json", {"per_channel": False, "reduce_range": False, "per_model_config": per_model}, indent=4)
    write_configs(root, vocab, merges)
    return encoder, decoder


def write_configs(root, vocab, merges):
    write_json(root, "config.json", {
        "_name_or_path": "nlpconnect/vit-gpt2-image-captioning",
        "architectures": ["VisionEncoderDecoderModel"],
        "bos_token_id": EOS,
        "decoder": {
            "activation_function": "gelu_new", "add_cross_attention": True, "architectures": ["GPT2LMHeadModel"],
            "bos_token_id": EOS, "eos_token_id": EOS, "is_decoder": True, "layer_norm_epsilon": 1e-05,
            "model_type": "gpt2", "n_ctx": POSITIONS, "n_embd": D, "n_head": HEADS, "n_inner": None, "n_layer": LAYERS,
            "n_positions": POSITIONS, "pad_token_id": EOS, "decoder_start_token_id": EOS,
            "tie_word_embeddings": True, "use_cache": True, "vocab_size": VOCAB_SIZE,
        },
        "decoder_start_token_id": EOS,
        "encoder": {
            "architectures": ["ViTModel"], "hidden_act": "gelu", "hidden_size": D, "image_size": IMAGE,
            "intermediate_size": 2 * D, "layer_norm_eps": 1e-12, "model_type": "vit", "num_attention_heads": HEADS,
            "num_channels": 3, "num_hidden_layers": 1, "patch_size": PATCH, "qkv_bias": True,
        },
        "eos_token_id": EOS,
        "is_encoder_decoder": True,
        "model_type": "vision-encoder-decoder",
        "pad_token_id": EOS,
        "tie_word_embeddings": False,
        "transformers_version": "4.33.0.dev0",
    })
    write_json(root, "generation_config.json", {
        "_from_model_config": True, "bos_token_id": EOS, "decoder_start_token_id": EOS, "eos_token_id": EOS,
        "pad_token_id": EOS, "transformers_version": "4.33.0.dev0"})
    write_json(root, "preprocessor_config.json", {
        "do_normalize": True, "do_rescale": True, "do_resize": True, "feature_extractor_type": "ViTFeatureExtractor",
        "image_mean": [0.5, 0.5, 0.5], "image_processor_type": "ViTFeatureExtractor", "image_std": [0.5, 0.5, 0.5],
        "resample": 2, "rescale_factor": 0.00392156862745098, "size": {"height": IMAGE, "width": IMAGE}})
    write_json(root, "vocab.json", vocab, indent=None)
    write_text(root, "merges.txt", "#version: 0.2\n" + "\n".join(merges) + "\n")
    write_json(root, "special_tokens_map.json", {"bos_token": "<|endoftext|>", "eos_token": "<|endoftext|>",
                                                 "pad_token": "<|endoftext|>", "unk_token": "<|endoftext|>"})
    write_json(root, "tokenizer_config.json", {
        "add_prefix_space": False, "bos_token": "<|endoftext|>", "clean_up_tokenization_spaces": True,
        "eos_token": "<|endoftext|>", "model_max_length": 1024, "pad_token": "<|endoftext|>",
        "tokenizer_class": "GPT2Tokenizer", "unk_token": "<|endoftext|>"})
    write_json(root, "tokenizer.json", {
        "version": "1.0", "truncation": None, "padding": None,
        "added_tokens": [tok.added_token(EOS, "<|endoftext|>", normalized=True)],
        "normalizer": None,
        "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": True},
        "post_processor": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": False, "use_regex": True},
        "decoder": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True},
        "model": {"type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": "",
                  "end_of_word_suffix": "", "fuse_unk": False, "byte_fallback": False, "vocab": vocab, "merges": merges},
    })


def greedy(encoder, decoder, images, steps=20, start=EOS, stop=EOS):
    """Greedy token ids per image (the check that random weights still caption 'variously')."""
    with torch.no_grad():
        enc = encoder(images)
        out = []
        for b in range(images.shape[0]):
            ids = [start]
            for _ in range(steps):
                logits = decoder(torch.tensor([ids]), enc[b:b + 1])[0]
                nxt = int(logits[0, -1].argmax())
                ids.append(nxt)
                if nxt == stop:
                    break
            out.append(ids[1:])
        return out
