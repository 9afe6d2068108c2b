"""Text decoder with cross-attention and a self-attention KV cache, exported in Optimum's three
forms (decoder_model, decoder_with_past_model, decoder_model_merged), with Optimum's names:
inputs `input_ids` int64, `encoder_hidden_states`, `past_key_values.{i}.key|value`; outputs
`logits`, `present.{i}.key|value` (MODELS.md appendix §1 Graph I/O; optimum base.py
`add_past_key_values` for decoder-only cache names)."""
import copy

import torch
from onnx import TensorProto, helper
from torch import nn

from common import export
from layers import Block


class TextDecoder(nn.Module):
    def __init__(self, vocab, d, heads, layers, d_enc, max_positions):
        super().__init__()
        self.vocab, self.layers, self.heads, self.hd = vocab, layers, heads, d // heads
        self.pos = nn.Parameter(torch.randn(max_positions, d) * 0.3)
        self.blocks = nn.ModuleList([Block(d, heads, cross=True, d_enc=d_enc) for _ in range(layers)])
        self.ln = nn.LayerNorm(d)

    def forward(self, input_ids, encoder_hidden_states, *past_flat):
        past = [(past_flat[2 * i], past_flat[2 * i + 1]) for i in range(self.layers)] if past_flat else [None] * self.layers
        start = past_flat[0].shape[2] if past_flat else 0
        positions = torch.arange(input_ids.shape[1]) + start
        x = self.vocab.embed(input_ids) + self.pos[positions]
        presents = []
        for block, layer_past in zip(self.blocks, past):
            x, (k, v) = block(x, encoder_hidden_states, layer_past, causal=True)
            presents += [k, v]
        return (self.vocab.logits(self.ln(x)), *presents)


def cache_names(layers, prefix):
    return [f"{prefix}.{i}.{kind}" for i in range(layers) for kind in ("key", "value")]


def export_decoders(decoder, enc_len, d_enc):
    """Returns (decoder_model, decoder_with_past_model) ModelProtos."""
    ids = torch.tensor([[50, 60]])
    enc = torch.randn(1, enc_len, d_enc)
    presents = cache_names(decoder.layers, "present")
    pasts = cache_names(decoder.layers, "past_key_values")
    axes = {"input_ids": {0: "batch_size", 1: "decoder_sequence_length"},
            "encoder_hidden_states": {0: "batch_size", 1: "encoder_sequence_length"},
            "logits": {0: "batch_size", 1: "decoder_sequence_length"}}
    no_past_axes = dict(axes, **{p: {0: "batch_size", 2: "decoder_sequence_length"} for p in presents})
    no_past = export(decoder, (ids, enc), ["input_ids", "encoder_hidden_states"], ["logits"] + presents, no_past_axes)
    past = [torch.randn(1, decoder.heads, 3, decoder.hd) for _ in pasts]
    with_past_axes = dict(axes, **{p: {0: "batch_size", 2: "past_decoder_sequence_length"} for p in pasts},
                          **{p: {0: "batch_size", 2: "past_decoder_sequence_length + 1"} for p in presents})
    with_past = export(decoder, (ids[:, :1], enc, *past), ["input_ids", "encoder_hidden_states"] + pasts,
                       ["logits"] + presents, with_past_axes)
    return no_past, with_past


def _branch(model, prefix, shared):
    """The graph as an If branch: no inputs, every internal name prefixed unless it is an outer
    input or a weight shared by both branches (hoisted to the top level, as Optimum's
    merge_decoders deduplicates initializers)."""
    graph = copy.deepcopy(model.graph)
    outer = {v.name for v in graph.input} | shared
    renamed = {}
    for init in graph.initializer:
        if init.name not in shared:
            renamed[init.name] = prefix + init.name
    for node in graph.node:
        for out in node.output:
            renamed[out] = prefix + out
        node.name = prefix + node.name
    for node in graph.node:
        node.input[:] = [renamed.get(n, n) if n not in outer else n for n in node.input]
        node.output[:] = [renamed[n] for n in node.output]
    hoisted = []
    for init in graph.initializer:
        if init.name not in shared:
            init.name = renamed[init.name]
            hoisted.append(init)
    outputs = []
    for out in graph.output:
        value = copy.deepcopy(out)
        value.name = renamed.get(out.name, out.name)
        outputs.append(value)
    body = helper.make_graph(list(graph.node), prefix.rstrip("/"), [], outputs)
    return body, hoisted


def merge(no_past, with_past, layers):
    """Optimum-style decoder_model_merged: If(use_cache_branch) runs the with-past graph, else the
    no-past graph (which ignores past_key_values). Weights live once, at the top level."""
    a = {i.name: i.SerializeToString() for i in no_past.graph.initializer}
    b = {i.name: i.SerializeToString() for i in with_past.graph.initializer}
    shared = {name for name in a if b.get(name) == a[name]}
    then_body, then_inits = _branch(with_past, "with_past/", shared)
    else_body, else_inits = _branch(no_past, "no_past/", shared)
    shared_inits = [i for i in with_past.graph.initializer if i.name in shared]
    outputs = [copy.deepcopy(o) for o in with_past.graph.output]
    for o in outputs:
        if o.name.startswith("present."):
            dim = o.type.tensor_type.shape.dim[2]
            dim.dim_param = "past_decoder_sequence_length + decoder_sequence_length"
    inputs = list(with_past.graph.input) + [helper.make_tensor_value_info("use_cache_branch", TensorProto.BOOL, [1])]
    node = helper.make_node("If", ["use_cache_branch"], [o.name for o in outputs], name="optimum::if",
                            then_branch=then_body, else_branch=else_body)
    graph = helper.make_graph([node], "merged", inputs, outputs, shared_inits + then_inits + else_inits)
    model = helper.make_model(graph, opset_imports=list(with_past.opset_import), producer_name="optimum-onnx")
    model.ir_version = with_past.ir_version
    return model
