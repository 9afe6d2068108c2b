"""8-bit dynamic quantization written after onnxruntime's `quantize_dynamic` (IntegerOps mode),
which transformers.js's conversion scripts use to make `*_quantized.onnx` (q8):
- MatMul with a constant B → DynamicQuantizeLinear(A) + MatMulInteger + Cast + Mul(scales);
- Gather from a constant table → Gather on 8-bit data + DequantizeLinear;
- Conv with a constant weight → DynamicQuantizeLinear(X) + ConvInteger + Cast + Mul (+ bias).
Weights are QInt8 (symmetric) unless the graph has a Conv, then QUInt8: transformers.js
`QUINT8_OPS` rule (onnxruntime-web has no ConvInteger for int8 weights). Per-tensor scales
(per_channel false, reduce_range false; written to quantize_config.json). Subgraphs (If
branches) are quantized too (extra_options EnableSubgraph=True)."""
import numpy as np
from onnx import TensorProto, helper, numpy_helper

from graph_walk import all_graphs


def _quantize_weight(array, signed):
    array = array.astype(np.float32)
    if signed:
        scale = max(float(np.abs(array).max()) / 127.0, 1e-8)
        q = np.clip(np.round(array / scale), -127, 127).astype(np.int8)
        return q, np.float32(scale), np.int8(0)
    lo, hi = min(0.0, float(array.min())), max(0.0, float(array.max()))
    scale = max((hi - lo) / 255.0, 1e-8)
    zero = np.uint8(np.clip(round(-lo / scale), 0, 255))
    q = np.clip(np.round(array / scale) + int(zero), 0, 255).astype(np.uint8)
    return q, np.float32(scale), zero


class _Quantizer:
    def __init__(self, model):
        self.model = model
        self.top = model.graph
        self.inits = {i.name: i for i in self.top.initializer}
        self.done = {}
        self.signed = not any(n.op_type == "Conv" for g in all_graphs(self.top) for n in g.node)
        self.weight_type = "QInt8" if self.signed else "QUInt8"

    def weight(self, name):
        if name not in self.done:
            q, scale, zero = _quantize_weight(numpy_helper.to_array(self.inits[name]), self.signed)
            new = [numpy_helper.from_array(q, f"{name}_quantized"),
                   numpy_helper.from_array(np.array(scale, np.float32), f"{name}_scale"),
                   numpy_helper.from_array(np.array(zero), f"{name}_zero_point")]
            self.top.initializer.extend(new)
            self.done[name] = (f"{name}_quantized", f"{name}_scale", f"{name}_zero_point")
        return self.done[name]

    def is_const_float(self, name):
        init = self.inits.get(name)
        return init is not None and init.data_type == TensorProto.FLOAT and len(init.dims) >= 2

    def activation(self, graph, name, tag, out, seen):
        """DynamicQuantizeLinear once per activation and graph (q/k/v share one input)."""
        prefix = "" if graph is self.top else f"{graph.name}/"
        names = [f"{prefix}{name}_quantized", f"{prefix}{name}_scale", f"{prefix}{name}_zero_point"]
        if name not in seen:
            seen.add(name)
            out.append(helper.make_node("DynamicQuantizeLinear", [name], names, name=f"{tag}_dq"))
        return names

    def rewrite(self, graph):
        out, seen = [], set()
        for node in graph.node:
            tag = node.name or node.output[0]
            if node.op_type == "MatMul" and self.is_const_float(node.input[1]):
                wq, ws, wz = self.weight(node.input[1])
                aq, a_scale, a_zero = self.activation(graph, node.input[0], tag, out, seen)
                out += [
                    helper.make_node("MatMulInteger", [aq, wq, a_zero, wz],
                                     [f"{node.output[0]}_output_quantized"], name=f"{tag}_quant"),
                    helper.make_node("Mul", [a_scale, ws], [f"{tag}_scales_mul"], name=f"{tag}_scales_mul"),
                    helper.make_node("Cast", [f"{node.output[0]}_output_quantized"], [f"{tag}_cast_out"],
                                     name=f"{tag}_cast", to=TensorProto.FLOAT),
                    helper.make_node("Mul", [f"{tag}_cast_out", f"{tag}_scales_mul"], [node.output[0]],
                                     name=f"{tag}_output_scale_mul"),
                ]
            elif node.op_type == "Gather" and self.is_const_float(node.input[0]):
                wq, ws, wz = self.weight(node.input[0])
                attrs = {a.name: helper.get_attribute_value(a) for a in node.attribute}
                out += [
                    helper.make_node("Gather", [wq, node.input[1]], [f"{node.output[0]}_quantized"], name=f"{tag}_quant", **attrs),
                    helper.make_node("DequantizeLinear", [f"{node.output[0]}_quantized", ws, wz], [node.output[0]],
                                     name=f"{tag}_dequant"),
                ]
            elif node.op_type == "Conv" and self.is_const_float(node.input[1]):
                wq, ws, wz = self.weight(node.input[1])
                attrs = {a.name: helper.get_attribute_value(a) for a in node.attribute}
                conv_out = node.output[0] if len(node.input) < 3 else f"{tag}_nobias"
                xq, x_scale, x_zero = self.activation(graph, node.input[0], tag, out, seen)
                out += [
                    helper.make_node("ConvInteger", [xq, wq, x_zero, wz],
                                     [f"{node.output[0]}_output_quantized"], name=f"{tag}_quant", **attrs),
                    helper.make_node("Mul", [x_scale, ws], [f"{tag}_scales_mul"], name=f"{tag}_scales_mul"),
                    helper.make_node("Cast", [f"{node.output[0]}_output_quantized"], [f"{tag}_cast_out"],
                                     name=f"{tag}_cast", to=TensorProto.FLOAT),
                    helper.make_node("Mul", [f"{tag}_cast_out", f"{tag}_scales_mul"], [conv_out],
                                     name=f"{tag}_output_scale_mul"),
                ]
                if len(node.input) >= 3:
                    bias = node.input[2]
                    shape_name = f"{bias}_reshape_shape"
                    if shape_name not in self.inits:
                        shape = numpy_helper.from_array(np.array([1, -1, 1, 1], np.int64), shape_name)
                        self.top.initializer.append(shape)
                        self.inits[shape_name] = shape
                    out += [helper.make_node("Reshape", [bias, shape_name], [f"{tag}_bias_reshaped"], name=f"{tag}_bias_reshape"),
                            helper.make_node("Add", [conv_out, f"{tag}_bias_reshaped"], [node.output[0]], name=f"{tag}_bias_add")]
            else:
                out.append(node)
        del graph.node[:]
        graph.node.extend(out)

    def drop_unused(self):
        used = {i for g in all_graphs(self.top) for n in g.node for i in n.input}
        keep = [i for i in self.top.initializer if i.name in used]
        del self.top.initializer[:]
        self.top.initializer.extend(keep)


def quantize(model):
    """Returns (model, weight_type) with the model rewritten in place."""
    q = _Quantizer(model)
    # Innermost bodies first: rewriting a graph copies its nodes, so a body rewritten after its
    # parent would be a detached copy.
    for g in reversed(list(all_graphs(model.graph))):
        q.rewrite(g)
    q.drop_unused()
    del model.graph.value_info[:]
    # DynamicQuantizeLinear / MatMulInteger / ConvInteger need opset ≥ 10; the graphs are 14.
    return model, q.weight_type
