"""Small but real tokenizers in the publishers' formats, trained here on a tiny caption corpus
so the files are a few kB while the special-token ids stay where the real vocabularies put them:
- GPT-2 byte-level BPE (vit-gpt2): 256 byte tokens in GPT-2's order, a few merges, and
  `<|endoftext|>` at its real id 50256 (so config vocab_size stays 50257);
- CLIP BPE with the `</w>` end-of-word suffix: 256 bytes, 256 bytes+`</w>`, merges, and
  `<|startoftext|>` 49406 / `<|endoftext|>` 49407 (vocab_size 49408);
- BERT WordPiece (BLIP): [PAD] 0, [unused*], [UNK] 100, [CLS] 101, [SEP] 102, [MASK] 103, then
  the pieces; BLIP's added `[DEC]` 30522 (bos) and `[ENC]` 30523 (vocab_size 30524)."""
import re
from collections import Counter

CORPUS = """a red circle on the left of a blue square
a small green triangle next to a large red circle
two blue squares and a yellow circle on a white table
a man riding a horse on the beach
a cat sitting on the couch next to the window
a group of people standing in the street
a dog running in the grass with a ball
the train is parked at the station
a plate of food with broccoli and rice
a woman holding an umbrella in the rain"""


def bytes_to_unicode():
    """GPT-2's reversible byte → printable character table, in its id order."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return [(b, chr(c)) for b, c in zip(bs, cs)]


BYTE_CHARS = [c for _, c in bytes_to_unicode()]
BYTE_MAP = dict(bytes_to_unicode())


def _byte_level(word):
    return "".join(BYTE_MAP[b] for b in word.encode("utf-8"))


def train_bpe(words, n_merges):
    """Plain BPE: merge the most frequent adjacent pair; ties broken by the pair itself so
    the result is deterministic."""
    seqs = Counter(tuple(w) for w in words)
    merges = []
    for _ in range(n_merges):
        pairs = Counter()
        for seq, count in seqs.items():
            for a, b in zip(seq, seq[1:]):
                pairs[(a, b)] += count
        if not pairs:
            break
        best = max(pairs.items(), key=lambda kv: (kv[1], [-ord(ch) for ch in kv[0][0] + kv[0][1]]))[0]
        merges.append(best)
        merged = Counter()
        for seq, count in seqs.items():
            out, i = [], 0
            while i < len(seq):
                if i + 1 < len(seq) and (seq[i], seq[i + 1]) == best:
                    out.append(seq[i] + seq[i + 1])
                    i += 2
                else:
                    out.append(seq[i])
                    i += 1
            merged[tuple(out)] += count
        seqs = merged
    return merges


def gpt2(n_merges=64):
    words = [_byte_level(w) for w in re.findall(r" ?[a-zA-Z]+| ?[0-9]+| ?[^\sa-zA-Z0-9]+", CORPUS.replace("\n", " "))]
    merges = train_bpe([list(w) for w in words], n_merges)
    vocab = {c: i for i, c in enumerate(BYTE_CHARS)}
    for a, b in merges:
        vocab.setdefault(a + b, len(vocab))
    vocab["<|endoftext|>"] = 50256
    return vocab, [f"{a} {b}" for a, b in merges]


def clip(n_merges=64):
    words = []
    for w in re.findall(r"[a-z]+|[0-9]|[^\sa-z0-9]+", CORPUS.lower()):
        chars = list(_byte_level(w))
        chars[-1] += "</w>"
        words.append(chars)
    merges = train_bpe(words, n_merges)
    vocab = {c: i for i, c in enumerate(BYTE_CHARS)}
    for c in BYTE_CHARS:
        vocab[c + "</w>"] = len(vocab)
    for a, b in merges:
        vocab.setdefault(a + b, len(vocab))
    vocab["<|startoftext|>"] = 49406
    vocab["<|endoftext|>"] = 49407
    return vocab, [f"{a} {b}" for a, b in merges]


def wordpiece():
    vocab = {"[PAD]": 0}
    for i in range(99):
        vocab[f"[unused{i}]"] = len(vocab)
    for special in ("[UNK]", "[CLS]", "[SEP]", "[MASK]"):
        vocab[special] = len(vocab)
    first_piece = len(vocab)
    for ch in ".,'!?-0123456789abcdefghijklmnopqrstuvwxyz":
        vocab[ch] = len(vocab)
    for ch in "abcdefghijklmnopqrstuvwxyz":
        vocab["##" + ch] = len(vocab)
    for w in sorted(set(CORPUS.split())):
        vocab.setdefault(w, len(vocab))
    return vocab, first_piece


def added_token(id_, content, normalized=False, special=True):
    return {"id": id_, "content": content, "single_word": False, "lstrip": False, "rstrip": False,
            "normalized": normalized, "special": special}
