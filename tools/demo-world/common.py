"""Shared helpers: dataset loading (COCO captions JSON + PNG folder, nothing else), the word-level
tokenizer, checkpoints that make every stage resumable, and the step budgets of each stage."""
import json
import os
import re
import time

import numpy as np
import torch

SEED = 1234
MEAN = [0.5, 0.5, 0.5]  # pixel_values = (x/255 - 0.5)/0.5, i.e. [-1, 1] (also the VAE's range)
STD = [0.5, 0.5, 0.5]
PAD = 0  # <|endoftext|>: bos = eos = pad, like GPT-2
UNK = 1
SPECIALS = ["<|endoftext|>", "<unk>"]
TEXT_LEN = 32  # fixed text length of the generator's and the embedder's tokenizers

# Step budgets (fixed, so a run is deterministic); DEMO_TINY=1 shrinks them for a smoke test.
TINY = os.environ.get("DEMO_TINY") == "1"
# Sized for ~90 minutes on 2 shared CPU cores (measured rates in README.md).
STEPS = {
    "captioner": 20 if TINY else 900,
    "clip": 20 if TINY else 400,
    "diffusion": 20 if TINY else 4000,  # a schedule: the base run stops at train.DIFFUSION_STOP
    "slot-text": 20 if TINY else 1500,
    "layout": 20 if TINY else 2000,
    "reader": 20 if TINY else 800,
    "shapes": 20 if TINY else 600,
    "clip-recon": 20 if TINY else 300,
    "distill": 20 if TINY else 400,
}
if os.environ.get("DEMO_DIFFUSION_STEPS"):  # pilots of the recipe (with DEMO_GENERATOR_CHECKPOINT="")
    STEPS["diffusion"] = int(os.environ["DEMO_DIFFUSION_STEPS"])

_WORD = re.compile(r"\w+|[^\w\s]+")  # the HF "Whitespace" pre-tokenizer's regex


def words(text):
    return _WORD.findall(text.lower())


def set_threads():
    torch.set_num_threads(int(os.environ.get("DEMO_THREADS", "2")))


# ----------------------------------------------------------------------------- data
def load_split(data_dir, split, cache_dir):
    """Returns (uint8 images [N,64,64,3], image records, captions per image [[str]*5]).
    Images are decoded once and cached as .npy keyed by the captions file's mtime+size."""
    with open(os.path.join(data_dir, split, "captions.json")) as f:
        coco = json.load(f)
    imgs = sorted(coco["images"], key=lambda r: r["id"])
    caps = {r["id"]: [] for r in imgs}
    for a in sorted(coco["annotations"], key=lambda a: a["id"]):
        caps[a["image_id"]].append(a["caption"])
    import hashlib
    with open(os.path.join(data_dir, split, "captions.json"), "rb") as f:
        key = f"{split}-{hashlib.sha256(f.read()).hexdigest()[:16]}"  # same dataset bytes -> same cache
    os.makedirs(cache_dir, exist_ok=True)
    npy = os.path.join(cache_dir, f"images-{key}.npy")
    if os.path.exists(npy):
        arr = np.load(npy)
    else:
        from PIL import Image
        arr = np.stack([np.asarray(Image.open(os.path.join(data_dir, split, "images", r["file_name"])).convert("RGB"))
                        for r in imgs])
        np.save(npy + ".tmp.npy", arr)
        os.replace(npy + ".tmp.npy", npy)
    return arr, imgs, [caps[r["id"]] for r in imgs]


def to_pixels(u8):
    """uint8 [N,H,W,3] -> float32 [N,3,H,W] normalised with MEAN/STD."""
    x = torch.from_numpy(u8).permute(0, 3, 1, 2).float() / 255.0
    return (x - 0.5) / 0.5


# ----------------------------------------------------------------------------- tokenizer
class Vocab:
    def __init__(self, itos):
        self.itos = itos
        self.stoi = {w: i for i, w in enumerate(itos)}

    @staticmethod
    def build(captions, min_count=1):
        from collections import Counter
        c = Counter(w for cs in captions for t in cs for w in words(t))
        # frequency order, ties alphabetical: deterministic
        itos = SPECIALS + [w for w, n in sorted(c.items(), key=lambda kv: (-kv[1], kv[0])) if n >= min_count]
        return Vocab(itos)

    def encode(self, text):
        return [self.stoi.get(w, UNK) for w in words(text)]

    def decode(self, ids):
        out = []
        for i in ids:
            if i == PAD:
                break
            w = self.itos[i]
            # WordPiece-decoder style cleanup: no space before punctuation
            if out and re.fullmatch(r"[^\w\s]+", w):
                out[-1] += w
            else:
                out.append(w)
        return " ".join(out)

    def pad(self, texts, length=TEXT_LEN):
        a = np.zeros((len(texts), length), dtype=np.int64)
        for i, t in enumerate(texts):
            ids = self.encode(t)[:length]
            a[i, : len(ids)] = ids
        return torch.from_numpy(a)

    def save(self, path):
        with open(path, "w") as f:
            json.dump(self.itos, f)

    @staticmethod
    def load(path):
        with open(path) as f:
            return Vocab(json.load(f))


def tokenizer_json(vocab, fixed_len=None):
    """Hugging Face tokenizers format: WordLevel model, Lowercase normaliser, Whitespace
    pre-tokenizer (\\w+|[^\\w\\s]+, i.e. punctuation split off), WordPiece decoder for spacing."""
    pad = None
    trunc = None
    if fixed_len:
        pad = {"strategy": {"Fixed": fixed_len}, "direction": "Right", "pad_to_multiple_of": None,
               "pad_id": PAD, "pad_type_id": 0, "pad_token": SPECIALS[PAD]}
        trunc = {"direction": "Right", "max_length": fixed_len, "strategy": "LongestFirst", "stride": 0}
    return {
        "version": "1.0",
        "truncation": trunc,
        "padding": pad,
        "added_tokens": [
            {"id": i, "content": t, "single_word": False, "lstrip": False, "rstrip": False,
             "normalized": False, "special": True} for i, t in enumerate(SPECIALS)],
        "normalizer": {"type": "Lowercase"},
        "pre_tokenizer": {"type": "Whitespace"},
        "post_processor": None,
        "decoder": {"type": "WordPiece", "prefix": "##", "cleanup": True},
        "model": {"type": "WordLevel", "vocab": {w: i for i, w in enumerate(vocab.itos)}, "unk_token": "<unk>"},
    }


def tokenizer_config(model_max_length, cls="PreTrainedTokenizerFast"):
    return {
        "tokenizer_class": cls,
        "model_max_length": model_max_length,
        "bos_token": "<|endoftext|>", "eos_token": "<|endoftext|>", "pad_token": "<|endoftext|>",
        "unk_token": "<unk>", "clean_up_tokenization_spaces": True, "add_prefix_space": False,
        "do_lower_case": True,
    }


SPECIAL_TOKENS_MAP = {"bos_token": "<|endoftext|>", "eos_token": "<|endoftext|>",
                      "pad_token": "<|endoftext|>", "unk_token": "<unk>"}


# ----------------------------------------------------------------------------- checkpoints
class Checkpointer:
    """Saves {model, opt, step, rng} atomically every `every` seconds and at the end; a stage
    whose final checkpoint exists ('done': True) is skipped on rerun."""

    def __init__(self, path, every=180):
        self.path, self.every, self.last = path, every, time.time()

    def load(self):
        if os.path.exists(self.path):
            return torch.load(self.path)
        return None

    def save(self, state, force=False):
        if not force and time.time() - self.last < self.every:
            return
        state = dict(state, rng=torch.get_rng_state())
        torch.save(state, self.path + ".tmp")
        os.replace(self.path + ".tmp", self.path)
        self.last = time.time()


def cosine_lr(step, total, base, warmup=100):
    if step < warmup:
        return base * (step + 1) / warmup
    p = (step - warmup) / max(1, total - warmup)
    return base * (0.05 + 0.95 * 0.5 * (1 + np.cos(np.pi * min(1.0, p))))


def epoch_order(n, epoch, seed=SEED):
    """Deterministic permutation of the training set for an epoch."""
    return np.random.RandomState(seed + 7919 * epoch).permutation(n)


class Log:
    def __init__(self, name):
        self.name, self.t0 = name, time.time()

    def __call__(self, *a):
        print(f"[{self.name} {time.time() - self.t0:7.0f}s]", *a, flush=True)
