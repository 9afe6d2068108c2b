import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPromptTokenizer, parseMerges } from './clip-bpe-tokenizer.js';

// A hand-made CLIP-style vocabulary: "!" is id 0 as in CLIP's real vocab (SD 2.x pads with it).
const VOCAB = {
  '!': 0, '!</w>': 1, 'a</w>': 2, c: 3, a: 4, t: 5, 's</w>': 6, p: 7, h: 8, o: 9, 'o</w>': 10, 'f</w>': 11,
  ph: 12, pho: 13, 'to</w>': 14, 'photo</w>': 15, 'of</w>': 16, ca: 17, cat: 18, '<|startoftext|>': 19, '<|endoftext|>': 20,
};
const MERGES = '#version: 0.2\np h\nph o\nt o</w>\npho to</w>\no f</w>\nc a\nca t\n';

function tokenizerDir(files: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), 'rt-clip-bpe-'));
  writeFileSync(join(dir, 'vocab.json'), JSON.stringify(VOCAB));
  writeFileSync(join(dir, 'merges.txt'), MERGES);
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), JSON.stringify(content));
  return dir;
}

describe('CLIP BPE tokenizer from vocab.json + merges.txt', () => {
  it('parses merges after the version header', () => {
    expect(parseMerges(MERGES)).toEqual(['p h', 'ph o', 't o</w>', 'pho to</w>', 'o f</w>', 'c a', 'ca t']);
  });

  it('lowercases, collapses whitespace, splits, applies merges with </w>, wraps in bos/eos and pads with "!" (SD 2.x)', () => {
    const tok = loadPromptTokenizer(tokenizerDir({ 'tokenizer_config.json': { model_max_length: 12, pad_token: '!' } }));
    expect(tok.maxLength).toBe(12);
    expect(tok.padId).toBe(0);
    // a | photo | of | cat·s | !  →  a</w> photo</w> of</w> cat s</w> !</w>
    expect(tok.encode(['A  Photo\tof CATS!', ''])).toEqual([
      [19, 2, 15, 16, 18, 6, 1, 20, 0, 0, 0, 0],
      [19, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    ]);
  });

  it('pads with <|endoftext|> when special_tokens_map says so (SD 1.5), defaults to 77 and truncates keeping eos', () => {
    const dir = tokenizerDir({ 'special_tokens_map.json': { pad_token: { content: '<|endoftext|>' } } });
    const tok = loadPromptTokenizer(dir);
    expect(tok.maxLength).toBe(77);
    expect(tok.padId).toBe(20);
    expect(tok.encode(['a cats'])[0]!.slice(0, 7)).toEqual([19, 2, 18, 6, 20, 20, 20]);
    // The graph's fixed sequence length wins; truncation keeps the end token.
    expect(loadPromptTokenizer(dir, 5).encode(['a photo of cats'])).toEqual([[19, 2, 15, 16, 20]]);
  });

  it('names the missing file when neither tokenizer.json nor vocab/merges exist', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rt-clip-bpe-'));
    expect(() => loadPromptTokenizer(dir)).toThrow(/vocab\.json: missing file/);
  });
});
