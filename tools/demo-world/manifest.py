"""Write resources/demo/manifest.json (role, family, files with sha256) and README.md (training
facts and measured quality) from whatever models exist so far.
Usage: manifest.py WORK_DIR OUT_DIR"""
import hashlib
import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import STEPS
import train as T

VERSION = "1.0.0"
# "layout" is the public family whose files/tensor names the folder follows (electron/models/families.ts);
# the app's per-folder manifest (roundtrip-model.json) says family "demo", which maps to that layout.
MODELS = [
    {"dir": "captioner", "role": "captioner", "layout": "vit-gpt2",
     "name": "demo-captioner", "stages": ["captioner"]},
    {"dir": "generator", "role": "generator", "layout": "stable-diffusion",
     "name": "demo-latent-diffusion", "stages": ["vae", "diffusion"],
     # Steps a run uses when it names none (electron/models/run-defaults.ts): measured on the committed
     # generator with `npm run bench gain-sweep`; re-measure after retraining.
     "runDefaults": {"steps": 4, "note": "npm run bench gain-sweep (N = 10, top-p 0.9, DDIM, guidance 4), CIDEr-D selection gain: 200 test images 1 step -4.9%, 2 +10.9%, 4 +7.5%, 10 +8.6%, 20 +6.1%, 25 +8.4%, 50 +7.2%; 500 images 1 -1.5%, 2 +6.3%, 4 +5.2%, 20 +6.6% (95% intervals about +-8 points). 4, not the sweep's cheapest 2: 2-step reconstructions are mostly noise to the annotator who sees them and 1 step loses the gain; 4 draws legible shapes at a fifth of the cost of 20."}},
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


def main(work, out):
    entries = []
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
                        "version": VERSION, "licence": "MIT (trained here)", "path": m["dir"], "files": info(rel),
                        "training": {s: stage_info(work, s) for s in m["stages"]}})
        if m["role"] != "text-embedder":  # one app manifest per folder; the CLIP folder serves both roles
            with open(os.path.join(folder, FOLDER_MANIFEST), "w") as f:
                folder_manifest = {"id": f"demo/{m['dir']}", "role": m["role"], "family": "demo", "name": m["name"],
                                   "version": VERSION, "licence": "MIT (trained here)"}
                if "runDefaults" in m:
                    folder_manifest["runDefaults"] = m["runDefaults"]
                json.dump({**folder_manifest, "files": info(everything)}, f, indent=2)
                f.write("\n")
    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump({"schema": 1, "world": "roundtrip demo world", "models": entries}, f, indent=2)
        f.write("\n")
    total = sum(os.path.getsize(os.path.join(r, f)) for r, _, fs in os.walk(out) for f in fs)
    print(f"manifest: {len(entries)} models, resources/demo total {total / 2**20:.2f} MiB")
    write_readme(work, out, total)


def fmt(x, pct=False):
    if x is None:
        return "–"
    return f"{100 * x:.1f}%" if pct else f"{x:.3f}"


def write_readme(work, out, total):
    cap, gen, clip = metrics(work, "captioner"), metrics(work, "generator"), metrics(work, "clip")
    si = {s: stage_info(work, s) for s in ["vae", "captioner", "diffusion", "clip"]}

    def tr(s):
        i = si[s]
        if not i:
            return "not trained yet"
        return f"{i['steps']} steps{'' if i['done'] else ' (unfinished)'}, {i['minutes']} min"

    def size(d):
        p = os.path.join(out, d)
        if not os.path.isdir(p):
            return "–"
        return f"{sum(os.path.getsize(os.path.join(r, f)) for r, _, fs in os.walk(p) for f in fs) / 2**20:.1f} MiB"

    L = []
    L.append(open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "README.head.md")).read())
    L.append(f"Total size of `resources/demo/`: **{total / 2**20:.1f} MiB**.\n")
    L.append("## Training runs (this commit's files)\n")
    L.append("| stage | batch | steps | time on 2 shared cores |\n|---|---|---|---|")
    for s, b in [("vae", 64), ("captioner", 64), ("diffusion", 64), ("clip", 128)]:
        L.append(f"| {s} | {b} | {STEPS[s]} planned | {tr(s)} |")
    L.append("")
    L.append("## Measured quality (held-out test split)\n")
    if cap:
        L.append(f"**Captioner** ({size('captioner')}): greedy corpus CIDEr-D **{fmt(cap['greedy_cider_d'])}** on "
                 f"{cap['test_images']} test images vs. **{fmt(cap['baseline_cider_d'])}** for the trivial baseline "
                 f"(every image gets the most frequent training caption, \"{cap['baseline_caption']}\") = "
                 f"**{cap['ratio_to_baseline']:.1f}×** (target ≥ 3×). Top-p 0.9 sampling, 10 samples for each of "
                 f"{cap['sample_images']} test images: **{fmt(cap['distinct_share_top_p'], True)}** of the samples "
                 f"are distinct within their image; their mean CIDEr-D is {fmt(cap['top_p_mean_cider_d'])}; "
                 f"{fmt(cap['top_p_samples_identical_to_some_training_caption'], True)} of them are word-for-word "
                 f"a training caption (the rest are new combinations of the same grammar).\n")
        tsm = cap.get("typescript_metrics") or {}
        if "CIDEr" in tsm.get("greedy", {}) and "CIDEr" in tsm.get("baseline", {}):
            g, b = tsm["greedy"], tsm["baseline"]
            L.append(f"Cross-check with the app's own metrics module (`node dist/cli/roundtrip.mjs metrics --refs "
                     f"build/demo-data/test/captions.json --results build/demo-train/results-captioner-greedy.json`; "
                     f"PTB tokenizer, CIDEr-D): greedy CIDEr {g['CIDEr']:.3f}, BLEU-4 {g['Bleu_4']:.3f}, "
                     f"ROUGE-L {g['ROUGE_L']:.3f}; baseline CIDEr {b['CIDEr']:.3f} "
                     f"(`results-captioner-baseline.json`) = {g['CIDEr'] / b['CIDEr']:.1f}×.\n")
        L.append("Examples (test images, greedy then three top-p samples):\n")
        for e in cap["examples"][:4]:
            L.append(f"- refs: “{e['references'][0]}” / “{e['references'][1]}” → greedy “{e['greedy']}”; samples: "
                     + "; ".join(f"“{s}”" for s in e["top_p"][:3]))
        L.append("")
    else:
        L.append("**Captioner**: not measured yet.\n")
    if gen:
        L.append(f"**Generator** ({size('generator')}): for {gen['prompts']} held-out test captions that name their "
                 f"scene's main object's colour and shape, {gen['sampler']}: the main object's colour appears in "
                 f"**{fmt(gen['main_object_colour_match'], True)}** of the images and colour *and* shape in "
                 f"**{fmt(gen['main_object_colour_and_shape_match'], True)}** (target ≥ 70%). The judge "
                 f"finds the main object in {fmt(gen['judge_on_real_test_images'], True)} of the real test images and in "
                 f"{fmt(gen.get('judge_on_vae_reconstructions_of_test_images'), True)} of their VAE reconstructions "
                 f"(encode → decode, no diffusion: the autoencoder's blur caps the shape score). "
                 f"Two seeds for the same caption differ by {gen['seed_pair_mean_abs_pixel_difference']:.1f} grey "
                 f"levels per pixel on average ({fmt(gen['seed_pairs_differing_by_more_than_2_levels'], True)} of "
                 f"20 pairs differ by more than 2).\n")
        import glob
        for path in sorted(glob.glob(os.path.join(work, "metrics-generator-g*.json"))):
            g = json.load(open(path))
            L.append(f"- same prompts and seeds, guidance {g['guidance']:g}: colour "
                     f"{fmt(g['main_object_colour_match'], True)}, colour and shape "
                     f"{fmt(g['main_object_colour_and_shape_match'], True)} "
                     f"(`DEMO_GUIDANCE={g['guidance']:g} evaluate.py generator ...`)")
        L.append("")
    else:
        L.append("**Generator**: not measured yet.\n")
    if clip:
        L.append(f"**Embedders** ({size('clip')}): image → text recall@1 among 100 test items "
                 f"**{fmt(clip['image_to_text_recall_at_1'], True)}** (mean of 50 trials: 10 groups of 100 test images × "
                 f"caption 0..4; range {fmt(clip['min_over_trials'], True)}–{fmt(clip['max_over_trials'], True)}; "
                 f"chance 1%; target ≥ 50%); text → image {fmt(clip['text_to_image_recall_at_1'], True)}; with each "
                 f"image's longest (most detailed) caption as its text: "
                 f"{fmt(clip.get('image_to_text_recall_at_1_longest_caption'), True)}. Some captions are vague by "
                 f"design (\"a few shapes on a dark background\"), which caps the all-captions number.\n")
    else:
        L.append("**Embedders**: not measured yet.\n")
    L.append(open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "README.tail.md")).read())
    with open(os.path.join(out, "README.md"), "w") as f:
        f.write("\n".join(L))


if __name__ == "__main__":
    main(*sys.argv[1:3])
