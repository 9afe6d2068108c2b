#!/usr/bin/env python3
"""Builds a tiny random-weight Florence-2 in the onnx-community layout (issue 15).

    nice -n 15 /usr/bin/python3 tools/published-fixtures/florence2.py [out_dir]

Default out_dir: tests/fixtures/published/onnx-community--Florence-2-base-ft. Needs only Debian's
torch 1.13, onnx 1.12 and numpy. Deterministic (seeded): running it twice gives the same files.

What is copied from the publisher (MODELS.md appendix §3, onnx-community/Florence-2-base-ft):
- the root file tree: added_tokens.json, config.json, generation_config.json, merges.txt,
  preprocessor_config.json, special_tokens_map.json, tokenizer.json, tokenizer_config.json,
  vocab.json and onnx/ (base-ft has no processor_config.json; only large-ft has one);
- config.json's shape: model_type florence2, text_config (florence2_language, BART-style keys that
  transformers.js reads to size the KV caches), vision_config (davit), is_encoder_decoder;
- generation_config.json values: bos 0, eos 2, pad 1, decoder_start 2, forced_bos 0, forced_eos 2,
  num_beams 3, no_repeat_ngram_size 3;
- preprocessor_config.json: CLIPImageProcessor, size {height:768,width:768} (kept: the tiny vision
  tower makes 768 px cheap), ImageNet mean/std, resample 3, image_seq_length 577, and the
  onnx-community task keys;
- a BART byte-level BPE tokenizer with <s>=0 <pad>=1 </s>=2 <unk>=3, <mask> after the BPE vocab,
  then Florence-2's 1024 added tokens (<od>…, <loc_0>…<loc_999>, <cap>…) as the real one has;
- the four graphs with the tensor names transformers.js feeds (models/florence2, modeling_utils):
  vision_encoder (pixel_values → image_features), embed_tokens (input_ids → inputs_embeds),
  encoder_model (inputs_embeds, attention_mask → last_hidden_state), decoder_model_merged
  (inputs_embeds, encoder_attention_mask, encoder_hidden_states, past_key_values.{i}.decoder|encoder
  .key|value, use_cache_branch → logits, present.*), merged with an If node as Optimum merges;
- dtype variants under transformers.js names: `_fp16` (float16 weights and float16 I/O except the
  float32 pixel_values, so the runtime must feed fp16 caches and embeddings) and `_quantized` (uint8 weights dequantized in the
  graph, float32 I/O) for every graph.
What is not: the weights (random), the sizes (d_model 32, 2+2 layers, a ~500-token BPE) and the
vision tower (one strided conv instead of DaViT; same 577 = 1 pooled + 24×24 spatial tokens).
"""
import copy
import hashlib
import json
import math
import os
import sys
import tempfile
from collections import Counter

import numpy as np
import onnx
import torch
from onnx import TensorProto, helper, numpy_helper

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, 'tests/fixtures/published/onnx-community--Florence-2-base-ft')

D_MODEL = 32
HEADS = 4
HEAD_DIM = D_MODEL // HEADS
FFN = 64
ENC_LAYERS = 2
DEC_LAYERS = 2
MAX_POS = 1024
IMAGE = 768
PATCH = 32  # 768 / 32 = 24 → 576 spatial tokens + 1 pooled = 577, the real image_seq_length
VISION_DIM = 16
OPSET = 14

# ---------------------------------------------------------------------------------------------
# Tokenizer: GPT-2/BART byte-level BPE learnt on a tiny corpus.

def bytes_to_unicode():
    bs = list(range(ord('!'), ord('~') + 1)) + list(range(ord('¡'), ord('¬') + 1)) + list(range(ord('®'), ord('ÿ') + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, [chr(c) for c in cs]))

CORPUS = """What does the image describe? Describe in detail what is shown in the image.
Describe with a paragraph what is shown in the image. Locate the objects with category name in the image.
What is the text in the image? What is the text in the image, with regions? a red circle and a blue square
on a white background. a small green triangle above a large yellow square. two cats sitting on a sofa.
a dog running in the park. a man riding a bicycle down the street. a woman holding an umbrella in the rain.
Locate the phrases in the caption: Locate the region proposals in the image. Describe the region."""

def train_bpe(corpus, merges_wanted=240):
    b2u = bytes_to_unicode()
    words = Counter()
    # Roughly GPT-2's pre-tokenisation: words keep their leading space.
    for line in corpus.split('\n'):
        text = line.strip()
        pieces = []
        for i, w in enumerate(text.replace('?', ' ?').replace('.', ' .').replace(',', ' ,').replace(':', ' :').split(' ')):
            if w:
                pieces.append((' ' if i > 0 else '') + w)
        for p in pieces:
            words[tuple(b2u[b] for b in p.encode('utf-8'))] += 1
    merges = []
    for _ in range(merges_wanted):
        pairs = Counter()
        for w, c in words.items():
            for a, b in zip(w, w[1:]):
                pairs[(a, b)] += c
        if not pairs:
            break
        best = max(sorted(pairs), key=lambda p: pairs[p])
        if pairs[best] < 2:
            break
        merges.append(best)
        merged = Counter()
        for w, c in words.items():
            out, i = [], 0
            while i < len(w):
                if i + 1 < len(w) and (w[i], w[i + 1]) == best:
                    out.append(w[i] + w[i + 1])
                    i += 2
                else:
                    out.append(w[i])
                    i += 1
            merged[tuple(out)] += c
        words = merged
    vocab = {'<s>': 0, '<pad>': 1, '</s>': 2, '<unk>': 3}
    for ch in bytes_to_unicode().values():
        vocab.setdefault(ch, len(vocab))
    for a, b in merges:
        vocab.setdefault(a + b, len(vocab))
    vocab['<mask>'] = len(vocab)  # BART: <mask> is the last id of the base vocabulary
    return vocab, merges

# Florence-2's processor adds these (processing_florence2.py, in this order); 1024 tokens, which is
# why the real vocabulary is 50265 + 1024 = 51289.
FLORENCE_TOKENS = (['<od>', '</od>', '<ocr>', '</ocr>'] + [f'<loc_{i}>' for i in range(1000)] +
                   ['<cap>', '</cap>', '<ncap>', '</ncap>', '<dcap>', '</dcap>', '<grounding>', '</grounding>',
                    '<seg>', '</seg>', '<sep>', '<region_cap>', '</region_cap>', '<region_to_desciption>',
                    '</region_to_desciption>', '<proposal>', '</proposal>', '<poly>', '</poly>', '<and>'])

def added(id_, content, special=True, lstrip=False):
    return {'id': id_, 'content': content, 'single_word': False, 'lstrip': lstrip, 'rstrip': False,
            'normalized': not special, 'special': special}

def write_tokenizer(out):
    vocab, merges = train_bpe(CORPUS)
    base = len(vocab)
    extra = {tok: base + i for i, tok in enumerate(FLORENCE_TOKENS)}
    added_tokens = [added(0, '<s>'), added(1, '<pad>'), added(2, '</s>'), added(3, '<unk>'),
                    added(vocab['<mask>'], '<mask>', lstrip=True)] + [added(i, t) for t, i in extra.items()]
    tokenizer = {
        'version': '1.0', 'truncation': None, 'padding': None, 'added_tokens': added_tokens, 'normalizer': None,
        'pre_tokenizer': {'type': 'ByteLevel', 'add_prefix_space': False, 'trim_offsets': True, 'use_regex': True},
        'post_processor': {'type': 'RobertaProcessing', 'sep': ['</s>', 2], 'cls': ['<s>', 0],
                           'trim_offsets': True, 'add_prefix_space': False},
        'decoder': {'type': 'ByteLevel', 'add_prefix_space': True, 'trim_offsets': True, 'use_regex': True},
        'model': {'type': 'BPE', 'dropout': None, 'unk_token': None, 'continuing_subword_prefix': '',
                  'end_of_word_suffix': '', 'fuse_unk': False, 'byte_fallback': False, 'ignore_merges': False,
                  'vocab': vocab, 'merges': [f'{a} {b}' for a, b in merges]},
    }
    dump(out, 'tokenizer.json', tokenizer)
    dump(out, 'vocab.json', vocab)
    with open(os.path.join(out, 'merges.txt'), 'w', encoding='utf-8') as f:
        f.write('#version: 0.2\n' + ''.join(f'{a} {b}\n' for a, b in merges))
    dump(out, 'added_tokens.json', extra)
    special = {'bos_token': '<s>', 'eos_token': '</s>', 'unk_token': '<unk>', 'sep_token': '</s>', 'pad_token': '<pad>',
               'cls_token': '<s>', 'mask_token': {'content': '<mask>', 'single_word': False, 'lstrip': True,
                                                  'rstrip': False, 'normalized': False},
               'additional_special_tokens': FLORENCE_TOKENS}
    dump(out, 'special_tokens_map.json', special)
    decoder = {str(t['id']): {k: v for k, v in t.items() if k != 'id'} for t in added_tokens}
    dump(out, 'tokenizer_config.json', {
        'add_prefix_space': False, 'added_tokens_decoder': decoder, 'additional_special_tokens': FLORENCE_TOKENS,
        'bos_token': '<s>', 'clean_up_tokenization_spaces': True, 'cls_token': '<s>', 'eos_token': '</s>',
        'errors': 'replace', 'mask_token': '<mask>', 'model_max_length': 1024, 'pad_token': '<pad>',
        'processor_class': 'Florence2Processor', 'sep_token': '</s>', 'tokenizer_class': 'BartTokenizer',
        'trim_offsets': True, 'unk_token': '<unk>'})
    return base + len(FLORENCE_TOKENS)

# ---------------------------------------------------------------------------------------------
# Configs.

TASK_PROMPTS_WITHOUT_INPUTS = {
    '<OCR>': 'What is the text in the image?', '<OCR_WITH_REGION>': 'What is the text in the image, with regions?',
    '<CAPTION>': 'What does the image describe?', '<DETAILED_CAPTION>': 'Describe in detail what is shown in the image.',
    '<MORE_DETAILED_CAPTION>': 'Describe with a paragraph what is shown in the image.',
    '<OD>': 'Locate the objects with category name in the image.',
    '<DENSE_REGION_CAPTION>': 'Locate the objects in the image, with their descriptions.',
    '<REGION_PROPOSAL>': 'Locate the region proposals in the image.'}
TASK_PROMPTS_WITH_INPUT = {
    '<CAPTION_TO_PHRASE_GROUNDING>': 'Locate the phrases in the caption: {input}',
    '<REFERRING_EXPRESSION_SEGMENTATION>': 'Locate {input} in the image with mask',
    '<REGION_TO_SEGMENTATION>': 'What is the polygon mask of region {input}',
    '<OPEN_VOCABULARY_DETECTION>': 'Locate {input} in the image.',
    '<REGION_TO_CATEGORY>': 'What is the region {input}?', '<REGION_TO_DESCRIPTION>': 'What does the region {input} describe?',
    '<REGION_TO_OCR>': 'What text is in the region {input}?'}
TASKS_ANSWER_POST_PROCESSING_TYPE = {
    '<OCR>': 'pure_text', '<OCR_WITH_REGION>': 'ocr', '<CAPTION>': 'pure_text', '<DETAILED_CAPTION>': 'pure_text',
    '<MORE_DETAILED_CAPTION>': 'pure_text', '<OD>': 'description_with_bboxes',
    '<DENSE_REGION_CAPTION>': 'description_with_bboxes', '<CAPTION_TO_PHRASE_GROUNDING>': 'phrase_grounding',
    '<REFERRING_EXPRESSION_SEGMENTATION>': 'polygons', '<REGION_TO_SEGMENTATION>': 'polygons',
    '<OPEN_VOCABULARY_DETECTION>': 'description_with_bboxes_or_polygons', '<REGION_TO_CATEGORY>': 'pure_text',
    '<REGION_TO_DESCRIPTION>': 'pure_text', '<REGION_TO_OCR>': 'pure_text', '<REGION_PROPOSAL>': 'bboxes'}

def write_configs(out, vocab_size):
    text_config = {
        'model_type': 'florence2_language', 'vocab_size': vocab_size, 'd_model': D_MODEL,
        'encoder_layers': ENC_LAYERS, 'decoder_layers': DEC_LAYERS, 'num_hidden_layers': ENC_LAYERS,
        'encoder_attention_heads': HEADS, 'decoder_attention_heads': HEADS,
        'encoder_ffn_dim': FFN, 'decoder_ffn_dim': FFN, 'activation_function': 'gelu',
        'max_position_embeddings': MAX_POS, 'scale_embedding': False, 'normalize_before': False,
        'add_final_layer_norm': False, 'add_bias_logits': False, 'is_encoder_decoder': True,
        'dropout': 0.1, 'attention_dropout': 0.1, 'activation_dropout': 0.1, 'init_std': 0.02,
        'bos_token_id': 0, 'pad_token_id': 1, 'eos_token_id': 2, 'decoder_start_token_id': 2,
        'forced_bos_token_id': 0, 'forced_eos_token_id': 2, 'no_repeat_ngram_size': 3, 'num_beams': 3,
        'early_stopping': True}
    vision_config = {
        'model_type': 'davit', 'drop_path_rate': 0.1, 'patch_size': [PATCH], 'patch_stride': [PATCH],
        'patch_padding': [0], 'patch_prenorm': [False], 'enable_checkpoint': False, 'dim_embed': [VISION_DIM],
        'num_heads': [1], 'num_groups': [1], 'depths': [1], 'window_size': 12, 'projection_dim': D_MODEL,
        'visual_temporal_embedding': {'type': 'COSINE', 'max_temporal_embeddings': 100},
        'image_pos_embed': {'type': 'learned_abs_2d', 'max_pos_embeddings': 50},
        'image_feature_source': ['spatial_avg_pool', 'temporal_avg_pool']}
    dump(out, 'config.json', {
        '_name_or_path': 'onnx-community/Florence-2-base-ft', 'architectures': ['Florence2ForConditionalGeneration'],
        'model_type': 'florence2', 'is_encoder_decoder': True, 'bos_token_id': 0, 'eos_token_id': 2, 'pad_token_id': 1,
        'ignore_index': -100, 'projection_dim': D_MODEL, 'vocab_size': vocab_size, 'text_config': text_config,
        'vision_config': vision_config, 'torch_dtype': 'float32', 'transformers_version': '4.41.0.dev0'})
    dump(out, 'generation_config.json', {
        '_from_model_config': True, 'bos_token_id': 0, 'decoder_start_token_id': 2, 'early_stopping': True,
        'eos_token_id': 2, 'forced_bos_token_id': 0, 'forced_eos_token_id': 2, 'no_repeat_ngram_size': 3,
        'num_beams': 3, 'pad_token_id': 1, 'transformers_version': '4.41.0.dev0'})
    dump(out, 'preprocessor_config.json', {
        'auto_map': {'AutoProcessor': 'microsoft/Florence-2-base-ft--processing_florence2.Florence2Processor'},
        'crop_size': {'height': IMAGE, 'width': IMAGE}, 'do_center_crop': False, 'do_convert_rgb': None,
        'do_normalize': True, 'do_rescale': True, 'do_resize': True, 'image_mean': [0.485, 0.456, 0.406],
        'image_processor_type': 'CLIPImageProcessor', 'image_seq_length': (IMAGE // PATCH) ** 2 + 1,
        'image_std': [0.229, 0.224, 0.225], 'processor_class': 'Florence2Processor', 'resample': 3,
        'rescale_factor': 1 / 255, 'size': {'height': IMAGE, 'width': IMAGE},
        'tasks_answer_post_processing_type': TASKS_ANSWER_POST_PROCESSING_TYPE,
        'task_prompts_without_inputs': TASK_PROMPTS_WITHOUT_INPUTS, 'task_prompts_with_input': TASK_PROMPTS_WITH_INPUT})

def dump(out, name, value):
    with open(os.path.join(out, name), 'w', encoding='utf-8') as f:
        json.dump(value, f, indent=2, ensure_ascii=False)
        f.write('\n')

# ---------------------------------------------------------------------------------------------
# The model: BART-style encoder-decoder over [image tokens ; prompt tokens].

class Attention(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.q = torch.nn.Linear(D_MODEL, D_MODEL)
        self.k = torch.nn.Linear(D_MODEL, D_MODEL)
        self.v = torch.nn.Linear(D_MODEL, D_MODEL)
        self.o = torch.nn.Linear(D_MODEL, D_MODEL)

    @staticmethod
    def heads(x):
        b, n, _ = x.shape
        return x.reshape(b, n, HEADS, HEAD_DIM).transpose(1, 2)

    def project_kv(self, x):
        return self.heads(self.k(x)), self.heads(self.v(x))

    def forward(self, x, k, v, bias):
        q = self.heads(self.q(x)) / math.sqrt(HEAD_DIM)
        w = torch.softmax(q @ k.transpose(2, 3) + bias, dim=-1)
        y = (w @ v).transpose(1, 2)
        return self.o(y.reshape(y.shape[0], y.shape[1], D_MODEL))

class Block(torch.nn.Module):
    def __init__(self, cross):
        super().__init__()
        self.self_attn = Attention()
        self.norm1 = torch.nn.LayerNorm(D_MODEL)
        self.cross = Attention() if cross else None
        self.norm2 = torch.nn.LayerNorm(D_MODEL) if cross else None
        self.fc1 = torch.nn.Linear(D_MODEL, FFN)
        self.fc2 = torch.nn.Linear(FFN, D_MODEL)
        self.norm3 = torch.nn.LayerNorm(D_MODEL)

    def ffn(self, x):
        return self.norm3(x + self.fc2(torch.nn.functional.gelu(self.fc1(x))))

def key_padding_bias(mask):
    return ((1.0 - mask.to(torch.float32)) * -1e9)[:, None, None, :]

class Florence2Tiny(torch.nn.Module):
    def __init__(self, vocab):
        super().__init__()
        self.patch = torch.nn.Conv2d(3, VISION_DIM, PATCH, stride=PATCH)
        self.pos2d = torch.nn.Parameter(torch.randn(1, (IMAGE // PATCH) ** 2, VISION_DIM) * 0.1)
        self.vision_norm = torch.nn.LayerNorm(VISION_DIM)
        self.image_projection = torch.nn.Parameter(torch.randn(VISION_DIM, D_MODEL) * 0.3)
        self.image_proj_norm = torch.nn.LayerNorm(D_MODEL)
        self.shared = torch.nn.Embedding(vocab, D_MODEL)
        self.enc_pos = torch.nn.Embedding(MAX_POS + 2, D_MODEL)  # BART's learned positions, offset 2
        self.dec_pos = torch.nn.Embedding(MAX_POS + 2, D_MODEL)
        self.enc_norm = torch.nn.LayerNorm(D_MODEL)
        self.dec_norm = torch.nn.LayerNorm(D_MODEL)
        self.enc_layers = torch.nn.ModuleList([Block(False) for _ in range(ENC_LAYERS)])
        self.dec_layers = torch.nn.ModuleList([Block(True) for _ in range(DEC_LAYERS)])
        self.final_logits_bias = torch.nn.Parameter(torch.zeros(1, vocab))

    def vision(self, pixel_values):
        x = self.patch(pixel_values).flatten(2).transpose(1, 2) + self.pos2d
        x = self.vision_norm(x)
        # image_feature_source: spatial_avg_pool (one token) then the spatial tokens.
        x = torch.cat([x.mean(dim=1, keepdim=True), x], dim=1)
        return self.image_proj_norm(x @ self.image_projection)

    def encode(self, inputs_embeds, attention_mask):
        n = inputs_embeds.shape[1]
        x = self.enc_norm(inputs_embeds + self.enc_pos(torch.arange(n) + 2))
        bias = key_padding_bias(attention_mask)
        for layer in self.enc_layers:
            k, v = layer.self_attn.project_kv(x)
            x = layer.norm1(x + layer.self_attn(x, k, v, bias))
            x = layer.ffn(x)
        return x

    def decode(self, inputs_embeds, encoder_attention_mask, past, cross_kv):
        """past: per layer (k, v) of earlier decoder positions or None; cross_kv: per layer (k, v)."""
        n = inputs_embeds.shape[1]
        past_len = past[0][0].shape[2] if past is not None else 0
        x = self.dec_norm(inputs_embeds + self.dec_pos(torch.arange(n) + past_len + 2))
        total = past_len + n
        # Query i (absolute position past_len + i) sees keys 0 … past_len + i.
        causal = (torch.arange(total)[None, :] > (torch.arange(n)[:, None] + past_len)).to(torch.float32) * -1e9
        cross_bias = key_padding_bias(encoder_attention_mask)
        presents = []
        for i, layer in enumerate(self.dec_layers):
            k, v = layer.self_attn.project_kv(x)
            if past is not None:
                k = torch.cat([past[i][0], k], dim=2)
                v = torch.cat([past[i][1], v], dim=2)
            x = layer.norm1(x + layer.self_attn(x, k, v, causal))
            ck, cv = cross_kv[i]
            x = layer.norm2(x + layer.cross(x, ck, cv, cross_bias))
            x = layer.ffn(x)
            presents.append((k, v, ck, cv))
        logits = x @ self.shared.weight.t() + self.final_logits_bias
        return logits, presents

class VisionEncoder(torch.nn.Module):
    def __init__(self, m):
        super().__init__()
        self.m = m

    def forward(self, pixel_values):
        return self.m.vision(pixel_values)

class EmbedTokens(torch.nn.Module):
    def __init__(self, m):
        super().__init__()
        self.m = m

    def forward(self, input_ids):
        return self.m.shared(input_ids)  # scale_embedding false: no √d_model factor

class Encoder(torch.nn.Module):
    def __init__(self, m):
        super().__init__()
        self.m = m

    def forward(self, inputs_embeds, attention_mask):
        return self.m.encode(inputs_embeds, attention_mask)

class DecoderFirst(torch.nn.Module):
    """No past: the cross-attention keys/values are computed from encoder_hidden_states."""

    def __init__(self, m):
        super().__init__()
        self.m = m

    def forward(self, encoder_attention_mask, inputs_embeds, encoder_hidden_states):
        cross = [layer.cross.project_kv(encoder_hidden_states) for layer in self.m.dec_layers]
        logits, presents = self.m.decode(inputs_embeds, encoder_attention_mask, None, cross)
        return (logits,) + tuple(t for p in presents for t in p)

class DecoderWithPast(torch.nn.Module):
    """With past: the encoder past is reused as is (and passed through, as Optimum's merge does)."""

    def __init__(self, m):
        super().__init__()
        self.m = m

    def forward(self, encoder_attention_mask, inputs_embeds, *past):
        layers = [past[4 * i:4 * i + 4] for i in range(DEC_LAYERS)]
        logits, presents = self.m.decode(inputs_embeds, encoder_attention_mask,
                                         [(l[0], l[1]) for l in layers], [(l[2], l[3]) for l in layers])
        return (logits,) + tuple(t for p in presents for t in p)

PAST_NAMES = [f'past_key_values.{i}.{part}.{kv}' for i in range(DEC_LAYERS) for part in ('decoder', 'encoder') for kv in ('key', 'value')]
PRESENT_NAMES = [n.replace('past_key_values', 'present') for n in PAST_NAMES]

def export(module, args, path, inputs, outputs, axes):
    torch.onnx.export(module, args, path, input_names=inputs, output_names=outputs, dynamic_axes=axes,
                      opset_version=OPSET, do_constant_folding=True)
    return onnx.load(path)

def past_axes(name):
    return {0: 'batch_size', 2: 'past_decoder_sequence_length' if '.decoder.' in name else 'encoder_sequence_length_out'}

def present_axes(name):
    return {0: 'batch_size', 2: 'past_decoder_sequence_length + 1' if '.decoder.' in name else 'encoder_sequence_length_out'}

def export_all(m, vocab, tmp):
    b, s, n = 1, 590, 3
    graphs = {}
    graphs['vision_encoder'] = export(VisionEncoder(m), (torch.randn(b, 3, IMAGE, IMAGE),), f'{tmp}/v.onnx',
                                      ['pixel_values'], ['image_features'],
                                      {'pixel_values': {0: 'batch_size', 2: 'height', 3: 'width'},
                                       'image_features': {0: 'batch_size', 1: 'sequence_length'}})
    graphs['embed_tokens'] = export(EmbedTokens(m), (torch.randint(0, vocab, (b, n)),), f'{tmp}/e.onnx',
                                    ['input_ids'], ['inputs_embeds'],
                                    {'input_ids': {0: 'batch_size', 1: 'sequence_length'},
                                     'inputs_embeds': {0: 'batch_size', 1: 'sequence_length'}})
    graphs['encoder_model'] = export(Encoder(m), (torch.randn(b, s, D_MODEL), torch.ones(b, s, dtype=torch.int64)),
                                     f'{tmp}/enc.onnx', ['inputs_embeds', 'attention_mask'], ['last_hidden_state'],
                                     {'inputs_embeds': {0: 'batch_size', 1: 'encoder_sequence_length'},
                                      'attention_mask': {0: 'batch_size', 1: 'encoder_sequence_length'},
                                      'last_hidden_state': {0: 'batch_size', 1: 'encoder_sequence_length'}})
    enc_mask = torch.ones(b, s, dtype=torch.int64)
    common_axes = {'encoder_attention_mask': {0: 'batch_size', 1: 'encoder_sequence_length'},
                   'inputs_embeds': {0: 'batch_size', 1: 'decoder_sequence_length'},
                   'logits': {0: 'batch_size', 1: 'decoder_sequence_length'}}
    first = export(DecoderFirst(m), (enc_mask, torch.randn(b, n, D_MODEL), torch.randn(b, s, D_MODEL)), f'{tmp}/d1.onnx',
                   ['encoder_attention_mask', 'inputs_embeds', 'encoder_hidden_states'], ['logits'] + PRESENT_NAMES,
                   {**common_axes, 'encoder_hidden_states': {0: 'batch_size', 1: 'encoder_sequence_length'},
                    **{p: present_axes(p) for p in PRESENT_NAMES}})
    past = [torch.randn(b, HEADS, s if '.encoder.' in name else 4, HEAD_DIM) for name in PAST_NAMES]
    with_past = export(DecoderWithPast(m), (enc_mask, torch.randn(b, 1, D_MODEL), *past), f'{tmp}/d2.onnx',
                       ['encoder_attention_mask', 'inputs_embeds'] + PAST_NAMES, ['logits'] + PRESENT_NAMES,
                       {**common_axes, **{p: past_axes(p) for p in PAST_NAMES}, **{p: present_axes(p) for p in PRESENT_NAMES}})
    graphs['decoder_model_merged'] = merge_decoders(first, with_past)
    return graphs

# ---------------------------------------------------------------------------------------------
# Graph surgery: Optimum-style merge, fp16 and 8-bit variants.

def tensor_key(t):
    return (t.data_type, tuple(t.dims), hashlib.sha256(numpy_helper.to_array(t).tobytes()).hexdigest())

def rename_uses(graph, mapping):
    """Renames every use (node inputs, also inside subgraphs) of the names in `mapping`."""
    for node in graph.node:
        for i, name in enumerate(node.input):
            if name in mapping:
                node.input[i] = mapping[name]
        for attr in node.attribute:
            if attr.type == onnx.AttributeProto.GRAPH:
                rename_uses(attr.g, mapping)

def merge_decoders(first, with_past):
    """One graph: an If on use_cache_branch, with-past branch when true (as Optimum's merge)."""
    initializers, by_key = {}, {}
    branches = []
    for prefix, model in (('no_past', first), ('with_past', with_past)):
        g = model.graph
        outer = {i.name for i in g.input}
        mapping = {}
        for init in g.initializer:
            key = tensor_key(init)
            if key not in by_key:
                name = init.name if init.name not in initializers else f'{prefix}/{init.name}'
                t = copy.deepcopy(init)
                t.name = name
                initializers[name] = t
                by_key[key] = name
            mapping[init.name] = by_key[key]
        for node in g.node:
            for o in node.output:
                mapping.setdefault(o, f'{prefix}/{o}')
        nodes = [copy.deepcopy(n) for n in g.node]
        branch = helper.make_graph(nodes, f'{prefix}_branch', [], [])
        rename_uses(branch, {k: v for k, v in mapping.items() if k not in outer})
        for node in branch.node:
            for i, o in enumerate(node.output):
                node.output[i] = mapping.get(o, o)
        out_names = ['logits'] + PRESENT_NAMES
        for name in out_names:
            vi = next(o for o in g.output if o.name == name)
            if name not in mapping:  # an output that is an input as is (the passed-through encoder past)
                mapping[name] = f'{prefix}/{name}'
                branch.node.append(helper.make_node('Identity', [name], [mapping[name]]))
            branch.output.append(helper.make_tensor_value_info(mapping[name], vi.type.tensor_type.elem_type, None))
        branches.append(branch)
    no_past_branch, past_branch = branches
    inputs = {i.name: i for i in first.graph.input}
    inputs.update({i.name: i for i in with_past.graph.input})
    ordered = ['encoder_attention_mask', 'inputs_embeds', 'encoder_hidden_states'] + PAST_NAMES
    graph_inputs = [inputs[n] for n in ordered] + [helper.make_tensor_value_info('use_cache_branch', TensorProto.BOOL, [1])]
    outputs = {o.name: o for o in first.graph.output}
    graph_outputs = [outputs['logits']] + [
        helper.make_tensor_value_info(n, TensorProto.FLOAT, ['batch_size', HEADS, present_axes(n)[2], HEAD_DIM]) for n in PRESENT_NAMES]
    node = helper.make_node('If', ['use_cache_branch'], ['logits'] + PRESENT_NAMES, name='optimum::if',
                            then_branch=past_branch, else_branch=no_past_branch)
    graph = helper.make_graph([node], 'decoder_model_merged', graph_inputs, graph_outputs, list(initializers.values()))
    model = helper.make_model(graph, opset_imports=first.opset_import, producer_name='roundtrip-fixture')
    model.ir_version = first.ir_version
    return model

def floats(graph_values):
    return [v for v in graph_values if v.type.tensor_type.elem_type == TensorProto.FLOAT]

def to_fp16(model, keep_inputs=()):
    """float16 weights and float16 I/O; compute stays float32 behind Casts (runs on every provider).

    `keep_inputs` stay float32: transformers.js feeds pixel_values as float32 whatever the dtype
    (it casts only float16 logits, modeling_utils.js), so a loadable fp16 vision encoder takes them.
    """
    m = copy.deepcopy(model)
    g = m.graph
    pre, post, mapping = [], [], {}
    for init in list(g.initializer):
        if init.data_type != TensorProto.FLOAT:
            continue
        arr = numpy_helper.to_array(init).astype(np.float16)
        g.initializer.remove(init)
        g.initializer.append(numpy_helper.from_array(arr, init.name + '_fp16'))
        pre.append(helper.make_node('Cast', [init.name + '_fp16'], [init.name], to=TensorProto.FLOAT))
    for vi in floats(g.input):
        if vi.name in keep_inputs:
            continue
        vi.type.tensor_type.elem_type = TensorProto.FLOAT16
        mapping[vi.name] = vi.name + '_f32'
        pre.append(helper.make_node('Cast', [vi.name], [vi.name + '_f32'], to=TensorProto.FLOAT))
    rename_uses(g, mapping)
    outs = {}
    for vi in floats(g.output):
        vi.type.tensor_type.elem_type = TensorProto.FLOAT16
        outs[vi.name] = vi.name + '_f32'
        post.append(helper.make_node('Cast', [vi.name + '_f32'], [vi.name], to=TensorProto.FLOAT16))
    for node in g.node:
        for i, o in enumerate(node.output):
            if o in outs:
                node.output[i] = outs[o]
    rename_uses(g, outs)  # a graph output that is also used inside keeps its float32 copy
    nodes = pre + [n for n in g.node] + post
    del g.node[:]
    g.node.extend(nodes)
    del g.value_info[:]
    return m

def to_q8(model):
    """uint8 weights (per tensor, asymmetric) dequantized in the graph; float32 I/O as before."""
    m = copy.deepcopy(model)
    g = m.graph
    pre = []
    for init in list(g.initializer):
        arr = numpy_helper.to_array(init)
        if init.data_type != TensorProto.FLOAT or arr.ndim < 2 or arr.size < 64:
            continue
        lo, hi = min(float(arr.min()), 0.0), max(float(arr.max()), 0.0)
        scale = (hi - lo) / 255 or 1.0
        zero = int(round(-lo / scale))
        q = np.clip(np.round(arr / scale) + zero, 0, 255).astype(np.uint8)
        g.initializer.remove(init)
        g.initializer.extend([numpy_helper.from_array(q, init.name + '_quantized'),
                              numpy_helper.from_array(np.array(scale, dtype=np.float32), init.name + '_scale'),
                              numpy_helper.from_array(np.array(zero, dtype=np.uint8), init.name + '_zero_point')])
        pre.append(helper.make_node('DequantizeLinear', [init.name + '_quantized', init.name + '_scale', init.name + '_zero_point'], [init.name]))
    nodes = pre + list(g.node)
    del g.node[:]
    g.node.extend(nodes)
    return m

def main():
    torch.manual_seed(15)
    os.makedirs(os.path.join(OUT, 'onnx'), exist_ok=True)
    vocab = write_tokenizer(OUT)
    write_configs(OUT, vocab)
    m = Florence2Tiny(vocab).eval()
    with torch.no_grad():
        # Random but not degenerate: larger logits so greedy and beam differ from sampling.
        m.shared.weight.normal_(0, 1.0)
        m.final_logits_bias.normal_(0, 0.5)
        with tempfile.TemporaryDirectory() as tmp:
            graphs = export_all(m, vocab, tmp)
    for name, model in graphs.items():
        for suffix, variant in (('', model), ('_fp16', to_fp16(model, ['pixel_values'])), ('_quantized', to_q8(model))):
            onnx.checker.check_model(variant)
            onnx.save(variant, os.path.join(OUT, 'onnx', f'{name}{suffix}.onnx'))
    total = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(OUT) for f in fs)
    print(f'{OUT}: vocab {vocab}, {total / 1e6:.2f} MB')

if __name__ == '__main__':
    main()
