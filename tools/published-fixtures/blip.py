"""A BLIP captioner in the transformers.js two-graph shape. No public Xenova/onnx-community
BLIP captioning export exists (MODELS.md appendix §5), so this mirrors what
`Xenova/blip-image-captioning-base` would be if converted like vit-gpt2: onnx/encoder_model
(pixel_values → last_hidden_state) and onnx/decoder_model_merged (Optimum decoder-only cache
names, use_cache_branch), with _quantized variants, and the Salesforce configs: token ids only
in config.json `text_config` (bos [DEC] 30522, sep 102 ends a caption, pad 0; its eos_token_id
2 is the legacy value that never occurs) and no generation_config.json."""
import torch

import tiny_tokenizers as tok
from clip import CLIP_MEAN, CLIP_STD
from common import export, seed, write_json
from decoder_export import TextDecoder, export_decoders, merge
from layers import PatchEncoder, SparseVocab
from variants import op_types, save_variants
from vit_gpt2 import amplify

D, HEADS, LAYERS, IMAGE, PATCH, POSITIONS = 8, 2, 2, 384, 16, 64
VOCAB_SIZE, BOS, SEP, PAD = 30524, 30522, 102, 0
GAIN = {"vocab": 1.5, "sep": 7.5, "dense": 2.2}


def build_models():
    seed(606)
    vocab, first_piece = tok.wordpiece()
    encoder = PatchEncoder(D, HEADS, IMAGE, PATCH)
    reachable = [SEP] + [i for i in vocab.values() if i >= first_piece]
    table = SparseVocab(VOCAB_SIZE, D, reachable, scale=GAIN["vocab"], bonus={SEP: GAIN["sep"]})
    decoder = TextDecoder(table, D, HEADS, LAYERS, D, POSITIONS)
    amplify(decoder, GAIN["dense"])
    return encoder, decoder, vocab


def write(root):
    encoder, decoder, vocab = build_models()
    enc_model = export(encoder, (torch.randn(1, 3, IMAGE, IMAGE),), ["pixel_values"], ["last_hidden_state"],
                       {"pixel_values": {0: "batch_size", 1: "num_channels", 2: "height", 3: "width"},
                        "last_hidden_state": {0: "batch_size"}})
    no_past, with_past = export_decoders(decoder, (IMAGE // PATCH) ** 2 + 1, D)
    merged = merge(no_past, with_past, LAYERS)
    per_model = {}
    for stem, model in (("encoder_model", enc_model), ("decoder_model_merged", merged)):
        weight_type = save_variants(root, f"onnx/{stem}", model, fp16_variant=False)
        per_model[stem] = {"op_types": op_types(model), "weight_type": f"QuantType.{weight_type}"}
    write_json(root, "quantize_config.json", {"per_channel": False, "reduce_range": False, "per_model_config": per_model}, indent=4)
    write_configs(root, vocab)
    return encoder, decoder


def write_configs(root, vocab):
    write_json(root, "config.json", {
        "_name_or_path": "Salesforce/blip-image-captioning-base", "architectures": ["BlipForConditionalGeneration"],
        "image_text_hidden_size": 256, "initializer_factor": 1.0, "logit_scale_init_value": 2.6592,
        "model_type": "blip", "projection_dim": 512,
        "text_config": {"bos_token_id": BOS, "eos_token_id": 2, "hidden_size": D, "intermediate_size": 2 * D,
                        "max_position_embeddings": POSITIONS, "model_type": "blip_text_model",
                        "num_attention_heads": HEADS, "num_hidden_layers": LAYERS, "pad_token_id": PAD,
                        "sep_token_id": SEP, "vocab_size": VOCAB_SIZE, "encoder_hidden_size": D},
        "vision_config": {"dropout": 0.0, "hidden_size": D, "image_size": IMAGE, "intermediate_size": 2 * D,
                          "model_type": "blip_vision_model", "num_attention_heads": HEADS, "num_hidden_layers": 1,
                          "patch_size": PATCH},
        "torch_dtype": "float32", "transformers_version": "4.33.0.dev0"})
    write_json(root, "preprocessor_config.json", {
        "do_convert_rgb": True, "do_normalize": True, "do_rescale": True, "do_resize": True, "image_mean": CLIP_MEAN,
        "image_processor_type": "BlipImageProcessor", "image_std": CLIP_STD, "processor_class": "BlipProcessor",
        "resample": 3, "rescale_factor": 0.00392156862745098, "size": {"height": IMAGE, "width": IMAGE}})
    special = {"bos_token": "[DEC]", "cls_token": "[CLS]", "mask_token": "[MASK]", "pad_token": "[PAD]",
               "sep_token": "[SEP]", "unk_token": "[UNK]", "additional_special_tokens": ["[ENC]"]}
    write_json(root, "special_tokens_map.json", special)
    write_json(root, "tokenizer_config.json", dict(special, do_basic_tokenize=True, do_lower_case=True,
                                                   model_max_length=512, processor_class="BlipProcessor",
                                                   tokenizer_class="BertTokenizer", strip_accents=None,
                                                   tokenize_chinese_chars=True))
    added = [tok.added_token(vocab[t], t) for t in ("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]")]
    added += [tok.added_token(BOS, "[DEC]"), tok.added_token(BOS + 1, "[ENC]")]
    write_json(root, "tokenizer.json", {
        "version": "1.0", "truncation": None, "padding": None, "added_tokens": added,
        "normalizer": {"type": "BertNormalizer", "clean_text": True, "handle_chinese_chars": True,
                       "strip_accents": None, "lowercase": True},
        "pre_tokenizer": {"type": "BertPreTokenizer"},
        "post_processor": {"type": "TemplateProcessing",
                           "single": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                                      {"SpecialToken": {"id": "[SEP]", "type_id": 0}}],
                           "pair": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                                    {"SpecialToken": {"id": "[SEP]", "type_id": 0}}, {"Sequence": {"id": "B", "type_id": 1}},
                                    {"SpecialToken": {"id": "[SEP]", "type_id": 1}}],
                           "special_tokens": {t: {"id": t, "ids": [vocab[t]], "tokens": [t]} for t in ("[CLS]", "[SEP]")}},
        "decoder": {"type": "WordPiece", "prefix": "##", "cleanup": True},
        "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
                  "max_input_chars_per_word": 100, "vocab": vocab},
    })
