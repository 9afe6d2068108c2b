"""An 8-bit copy of the SD 1.5 diffusers ONNX fixture (onnx-community--stable-diffusion-v1-5-ONNX),
made the way community int8 diffusers exports are made: the UNet and the text encoder go through
ORT `quantize_dynamic` (here quantize8.py, its IntegerOps form), the VAE stays fp32, and the
quantized graphs keep their weights in `model.onnx.data` beside them.

Precedent (the repo name is ours, the shape is theirs): latentdivergence/anything-v5-int8-onnx,
an SD 1.5 fine-tune whose card says "exported from PyTorch to ONNX (via optimum), then dynamically
quantized to int8 (quantize_dynamic, QInt8 weights) for the UNet and text encoder. The VAE is left
in fp32", with `unet/model.onnx (+ .onnx.data)` and `text_encoder/model.onnx (+ .onnx.data)`.
Its exact file list was not seen, so this folder keeps the converter's model_index.json and
scheduler config (a diffusers ONNX folder without them does not load in diffusers either) and,
like the converter run without a safety checker, no safety_checker/feature_extractor.

Graph I/O stays float32 (and int32 ids, int64 timestep), as quantize_dynamic leaves it: only the
weights are 8-bit, dequantized inside the graph. The UNet has Conv, so its weights are QUInt8
(ConvInteger; transformers.js QUINT8_OPS rule); the text encoder's are QInt8."""
import json
import os
import shutil

import onnx
from onnx import TensorProto
from onnx.external_data_helper import set_external_data

import quantize8
from common import write_json

SOURCE = "onnx-community--stable-diffusion-v1-5-ONNX"
QUANTIZED = ("text_encoder", "unet")
COPIED = ("vae_decoder/model.onnx", "vae_encoder/model.onnx", "scheduler/scheduler_config.json",
          "tokenizer/merges.txt", "tokenizer/special_tokens_map.json", "tokenizer/tokenizer_config.json",
          "tokenizer/vocab.json")


def write(root):
    source = os.path.join(os.path.dirname(root), SOURCE)
    if not os.path.isdir(source):
        raise SystemExit(f"{source}: build {SOURCE} first (this fixture is its 8-bit copy)")
    for component in QUANTIZED:
        # onnx.load reads the fp32 external data (unet/weights.pb) into the model.
        model = onnx.load(os.path.join(source, component, "model.onnx"))
        quantized, weight_type = quantize8.quantize(model)
        print(f"  {component}: 8-bit weights ({weight_type})")
        save_weights_outside(root, f"{component}/model.onnx", quantized, "model.onnx.data")
    for rel in COPIED:
        os.makedirs(os.path.dirname(os.path.join(root, rel)), exist_ok=True)
        shutil.copyfile(os.path.join(source, rel), os.path.join(root, rel))
    with open(os.path.join(source, "model_index.json"), encoding="utf-8") as f:
        index = json.load(f)
    # What the diffusers converter writes when it is run without a safety checker.
    index.update({"feature_extractor": [None, None], "safety_checker": [None, None], "requires_safety_checker": False})
    write_json(root, "model_index.json", index)


def save_weights_outside(root, rel, model, location):
    """Saves the graph with its weights (8-bit tables, float scales and biases) in `location` and
    small int64 tensors (Reshape shapes) inline. Real exports get the same split from onnx's
    1024-byte size_threshold, since every real weight is larger and every shape smaller; at this
    fixture's sizes a byte threshold would keep everything inline. ORT needs shape tensors inline:
    it refuses to infer a Reshape whose shape lives in external data ("Cannot parse data from
    external tensors")."""
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    data_path = os.path.join(os.path.dirname(path), location)
    if os.path.exists(data_path):
        os.remove(data_path)
    for tensor in model.graph.initializer:
        if tensor.data_type in (TensorProto.FLOAT, TensorProto.INT8, TensorProto.UINT8) and tensor.HasField("raw_data"):
            set_external_data(tensor, location)
    onnx.save_model(model, path)
