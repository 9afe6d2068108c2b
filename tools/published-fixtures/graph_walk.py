"""Walk an ONNX graph and the subgraphs held in node attributes (If/Loop bodies), the way
onnxconverter-common's float16 converter and onnxruntime's quantizer (EnableSubgraph) do."""
from onnx import AttributeProto


def subgraphs(node):
    for attr in node.attribute:
        if attr.type == AttributeProto.GRAPH:
            yield attr.g
        elif attr.type == AttributeProto.GRAPHS:
            yield from attr.graphs


def all_graphs(graph):
    yield graph
    for node in graph.node:
        for sub in subgraphs(node):
            yield from all_graphs(sub)
