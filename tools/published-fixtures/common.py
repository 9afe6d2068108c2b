"""Shared helpers for the published-layout fixtures: seeded weights, JSON in the publishers'
formatting, torch.onnx.export with fixed settings, and a file tree writer.

Every builder writes into tests/fixtures/published/<org>--<name>/ exactly the files the
publisher's repository holds (see tests/fixtures/published/README.md)."""
import json
import os

import numpy as np
import onnx
import torch

# Optimum and the diffusers converter export these families at opset 14 (Trilu for CLIP text).
OPSET = 14


def seed(value):
    """Every builder reseeds so one fixture's weights do not depend on another's build."""
    torch.manual_seed(value)
    np.random.seed(value)


def write_json(root, rel, obj, indent=2, sort_keys=False):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        json.dump(obj, f, indent=indent, sort_keys=sort_keys, ensure_ascii=False)
        f.write("\n")


def write_text(root, rel, text):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def export(module, args, input_names, output_names, dynamic_axes):
    """torch.onnx.export to an in-memory ModelProto. Constant folding stays off so tiny weight
    tables are not expanded into large folded constants (e.g. the vocabulary mask)."""
    import io
    buffer = io.BytesIO()
    module.eval()
    with torch.no_grad():
        torch.onnx.export(module, args, buffer, input_names=input_names, output_names=output_names,
                          dynamic_axes=dynamic_axes, opset_version=OPSET, do_constant_folding=False)
    model = onnx.load_from_string(buffer.getvalue())
    model.producer_name = "pytorch"
    model.producer_version = torch.__version__.split("a")[0]
    onnx.checker.check_model(model)
    return model


def save(root, rel, model, external_data=None):
    """Save a graph; external_data names the single data file next to it (ORT resolves it
    relative to the .onnx file: MODELS.md appendix §7)."""
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if external_data:
        data_path = os.path.join(os.path.dirname(path), external_data)
        if os.path.exists(data_path):
            os.remove(data_path)
        onnx.save_model(model, path, save_as_external_data=True, all_tensors_to_one_file=True,
                        location=external_data, size_threshold=0, convert_attribute=False)
    else:
        onnx.save_model(model, path)
