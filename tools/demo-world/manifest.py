"""Write resources/demo/manifest.json (role, family, files with sha256, training steps) and each
folder's roundtrip-model.json from whatever models exist so far. resources/demo/README.md is kept
by hand: its figures come from the app's own measurements (npm run demo:quality, npm run bench
selection-gain), through onnxruntime-node.
Usage: manifest.py WORK_DIR OUT_DIR"""
import hashlib
import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import STEPS
import train as T

VERSION = "1.0.0"  # per model below when it changes: the generator is demo world v2's
RUN_DEFAULTS = {"steps": 4, "guidance": 1.0, "note": (
    "4 DDIM steps (trailing timesteps 999, 749, 499, 249) without classifier-free guidance: 10 candidates x 4 = 40 "
    "UNet evaluations per suggestion. Measured: resources/demo/README.md (npm run bench selection-gain).")}
# "layout" is the public family whose files/tensor names the folder follows (electron/models/families.ts);
# the app's per-folder manifest (roundtrip-model.json) says family "demo", which maps to that layout.
MODELS = [
    {"dir": "captioner", "role": "captioner", "layout": "vit-gpt2",
     "name": "demo-captioner", "stages": ["captioner"]},
    {"dir": "generator", "role": "generator", "layout": "stable-diffusion",
     "name": "demo-pixel-diffusion", "version": "2.0.0", "stages": ["diffusion", "slot-text", "layout", "distill"],
     # Steps and guidance a run uses when it names none (electron/models/run-defaults.ts): measured on
     # the committed generator (npm run bench selection-gain / gain-sweep); re-measure after retraining.
     "runDefaults": RUN_DEFAULTS},
    {"dir": "clip", "role": "image-embedder", "layout": "clip", "name": "demo-clip-vision", "stages": ["clip"],
     "files": ["onnx/vision_model.onnx", "config.json", "preprocessor_config.json"]},
    {"dir": "clip", "role": "text-embedder", "layout": "clip", "name": "demo-clip-text", "stages": ["clip"],
     "files": ["onnx/text_model.onnx", "config.json", "tokenizer.json", "tokenizer_config.json",
               "special_tokens_map.json"]},
]
FOLDER_MANIFEST = "roundtrip-model.json"


def sha(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        h.update(f.read())
    return h.hexdigest()


def stage_info(work, stage):
    p = os.path.join(work, f"{stage}.pt")
    if not os.path.exists(p):
        return None
    st = torch.load(p)
    return {"steps": st["step"], "done": bool(st.get("done")), "minutes": round(st.get("seconds", 0) / 60, 1)}


def metrics(work, name):
    p = os.path.join(work, f"metrics-{name}.json")
    return json.load(open(p)) if os.path.exists(p) else None


def previous_entries(out):
    """The manifest being replaced, by model name: a model whose files did not change (e.g. the
    captioner when only the generator was retrained) keeps the training facts recorded when it was
    trained, whatever WORK_DIR holds now."""
    p = os.path.join(out, "manifest.json")
    if not os.path.exists(p):
        return {}
    return {e["name"]: e for e in json.load(open(p)).get("models", [])}


def training(work, model, files, before):
    """Training facts belong to the weights: a change to configs or tokenizer files alone (e.g. keys
    transformers.js reads) keeps the ones recorded when the ONNX files were trained."""
    graphs = lambda fs: [f for f in fs if f["path"].endswith(".onnx")]
    if before and graphs(before.get("files", [])) == graphs(files):
        return before.get("training")
    return {s: stage_info(work, s) for s in model["stages"]}


def main(work, out):
    entries = []
    before = previous_entries(out)
    for m in MODELS:
        folder = os.path.join(out, m["dir"])
        if not os.path.isdir(folder):
            continue
        everything = sorted(os.path.relpath(os.path.join(r, f), folder).replace(os.sep, "/")
                            for r, _, fs in os.walk(folder) for f in fs if f != FOLDER_MANIFEST)
        rel = m.get("files", everything)
        info = lambda rs: [{"path": r, "bytes": os.path.getsize(os.path.join(folder, r)),
                            "sha256": sha(os.path.join(folder, r))} for r in rs]
        entries.append({"role": m["role"], "family": "demo", "layout": m["layout"], "name": m["name"],
                        "version": m.get("version", VERSION), "licence": "MIT (trained here)", "path": m["dir"], "files": info(rel),
                        "training": training(work, m, info(rel), before.get(m["name"]))})
        if m["role"] != "text-embedder":  # one app manifest per folder; the CLIP folder serves both roles
            with open(os.path.join(folder, FOLDER_MANIFEST), "w") as f:
                folder_manifest = {"id": f"demo/{m['dir']}", "role": m["role"], "family": "demo", "name": m["name"],
                                   "version": m.get("version", VERSION), "licence": "MIT (trained here)"}
                if "runDefaults" in m:
                    folder_manifest["runDefaults"] = m["runDefaults"]
                json.dump({**folder_manifest, "files": info(everything)}, f, indent=2)
                f.write("\n")
    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump({"schema": 1, "world": "roundtrip demo world", "models": entries}, f, indent=2)
        f.write("\n")
    total = sum(os.path.getsize(os.path.join(r, f)) for r, _, fs in os.walk(out) for f in fs)
    print(f"manifest: {len(entries)} models, resources/demo total {total / 2**20:.2f} MiB "
          "(update the figures in resources/demo/README.md: npm run demo:quality, npm run bench selection-gain)")


if __name__ == "__main__":
    main(*sys.argv[1:3])
