"""The dtype variants transformers.js files carry (MODELS.md appendix §0 suffixes): `_fp16`
and `_quantized` (q8), made from the fp32 graph by fp16.py and quantize8.py."""
import copy

import fp16
import quantize8
from common import save


def save_variants(root, rel_stem, model, fp16_variant=True, quantized=True, keep_io_types=True):
    """Writes <stem>.onnx, <stem>_fp16.onnx, <stem>_quantized.onnx; returns the q8 weight type."""
    save(root, f"{rel_stem}.onnx", model)
    if fp16_variant:
        save(root, f"{rel_stem}_fp16.onnx", fp16.convert(copy.deepcopy(model), keep_io_types))
    weight_type = None
    if quantized:
        q, weight_type = quantize8.quantize(copy.deepcopy(model))
        save(root, f"{rel_stem}_quantized.onnx", q)
    return weight_type


def op_types(model):
    from graph_walk import all_graphs
    return sorted({n.op_type for g in all_graphs(model.graph) for n in g.node})
