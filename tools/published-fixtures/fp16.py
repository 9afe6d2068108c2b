"""float32 → float16 conversion of a graph, written after onnxconverter-common's
`convert_float_to_float16`, which transformers.js's `scripts/quantize.py` (quantize_fp16) and
its older `convert.py` call with keep_io_types=True: weights and arithmetic become float16,
while float graph inputs and outputs stay float32 behind Cast nodes. keep_io_types=False gives
the other published form (float16 I/O, e.g. `optimum-cli export onnx --dtype fp16`)."""
import numpy as np
from onnx import TensorProto, helper, numpy_helper

from graph_walk import all_graphs

FP16_MAX = 65504.0


def _to_fp16(tensor):
    array = numpy_helper.to_array(tensor).astype(np.float32)
    # onnxconverter-common clamps to the finite float16 range instead of overflowing to inf.
    array = np.clip(array, -FP16_MAX, FP16_MAX)
    return numpy_helper.from_array(array.astype(np.float16), tensor.name)


def _float32_only_inputs(graph):
    """Inputs whose dtype the operator fixes at float32 (Resize scales)."""
    constants = set()
    scales = set()
    for g in all_graphs(graph):
        constants |= {i.name for i in g.initializer}
        constants |= {n.output[0] for n in g.node if n.op_type == "Constant"}
        scales |= {n.input[2] for n in g.node if n.op_type == "Resize" and len(n.input) > 2}
    return scales & constants


def _resize_scales_to_float32(graph, keep32):
    """Resize takes its scales as float32 only; when they are computed in the graph (torch's
    interpolate exports a Concat), cast them back."""
    if not any(n.op_type == "Resize" for n in graph.node):
        return
    nodes = []
    for node in graph.node:
        if node.op_type == "Resize" and len(node.input) > 2 and node.input[2] and node.input[2] not in keep32:
            cast_out = node.input[2] + "_float32"
            nodes.append(helper.make_node("Cast", [node.input[2]], [cast_out], name=node.name + "_scales_cast",
                                          to=TensorProto.FLOAT))
            node.input[2] = cast_out
        nodes.append(node)
    del graph.node[:]
    graph.node.extend(nodes)


def convert(model, keep_io_types):
    graph = model.graph
    keep32 = _float32_only_inputs(graph)
    for g in all_graphs(graph):
        for i, init in enumerate(g.initializer):
            if init.data_type == TensorProto.FLOAT and init.name not in keep32:
                g.initializer[i].CopyFrom(_to_fp16(init))
        for node in g.node:
            for attr in node.attribute:
                # Cast targets and generator dtypes (RandomNormalLike in the VAE encoder's sample()).
                if (node.op_type == "Cast" and attr.name == "to" or attr.name == "dtype") and attr.i == TensorProto.FLOAT:
                    attr.i = TensorProto.FLOAT16
            for attr in node.attribute:
                if attr.type == 4 and attr.t.data_type == TensorProto.FLOAT:  # TENSOR attribute
                    if not (node.op_type == "Constant" and node.output[0] in keep32):
                        attr.t.CopyFrom(_to_fp16(attr.t))
        _resize_scales_to_float32(g, keep32)
        del g.value_info[:]
        if g is not graph:
            for value in list(g.input) + list(g.output):
                if value.type.tensor_type.elem_type == TensorProto.FLOAT:
                    value.type.tensor_type.elem_type = TensorProto.FLOAT16

    float_inputs = [v for v in graph.input if v.type.tensor_type.elem_type == TensorProto.FLOAT]
    float_outputs = [v for v in graph.output if v.type.tensor_type.elem_type == TensorProto.FLOAT]
    if not keep_io_types:
        for value in float_inputs + float_outputs:
            value.type.tensor_type.elem_type = TensorProto.FLOAT16
        return model

    casts_in, casts_out = [], []
    for i, value in enumerate(float_inputs):
        cast_name = f"graph_input_cast{i}"
        for g in all_graphs(graph):
            for node in g.node:
                for j, name in enumerate(node.input):
                    if name == value.name:
                        node.input[j] = cast_name
        casts_in.append(helper.make_node("Cast", [value.name], [cast_name], name=f"graph_input_cast_{i}",
                                         to=TensorProto.FLOAT16))
    for i, value in enumerate(float_outputs):
        cast_name = f"graph_output_cast{i}"
        for g in all_graphs(graph):
            for node in g.node:
                # The value may also feed other nodes (CLIP's text_embeds feeds the logits).
                node.input[:] = [cast_name if n == value.name else n for n in node.input]
                if g is graph:
                    node.output[:] = [cast_name if n == value.name else n for n in node.output]
        casts_out.append(helper.make_node("Cast", [cast_name], [value.name], name=f"graph_output_cast_{i}",
                                          to=TensorProto.FLOAT))
    nodes = casts_in + list(graph.node) + casts_out
    del graph.node[:]
    graph.node.extend(nodes)
    return model
