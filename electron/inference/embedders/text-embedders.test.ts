import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OnnxSession } from '../onnx/session.js';
import { loadTextEmbedder } from './load.js';
import { loadTextTokenizer } from './text-tokens.js';
import type { TextEmbedder } from './types.js';

const MODELS = join(import.meta.dirname, '../../../tests/fixtures/models');
const CLIP = join(MODELS, 'clip-vit-b32');
const MINILM = join(MODELS, 'all-minilm-l6-v2');
// Fixture vocabulary (tools/fixtures/make_contract_fixtures.py): ids written out here so the
// expected vectors do not depend on the tokenizer code under test.
const PAD = 0;
const SHORT = 'A red circle';
const SHORT_IDS = [2, 3, 6];
const LONG = 'a small blue square on the left and a large green circle on the right .';

let tmp: string;
let clip: TextEmbedder;
let minilm: TextEmbedder;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'rt-embed-txt-'));
  clip = await loadTextEmbedder(CLIP, { batchSize: 2 });
  minilm = await loadTextEmbedder(MINILM, { batchSize: 2 });
});

afterAll(async () => {
  await clip?.dispose();
  await minilm?.dispose();
  rmSync(tmp, { recursive: true, force: true });
});

const int64 = (rows: number[][]) => new ort.Tensor('int64', BigInt64Array.from(rows.flat(), BigInt), [rows.length, rows[0]!.length]);

async function runDirect(file: string, feeds: Record<string, ort.Tensor>, output: string): Promise<Float32Array> {
  const session = await OnnxSession.open(file);
  try {
    return (await session.run(feeds))[output]!.data as Float32Array;
  } finally {
    await session.dispose();
  }
}

function normalised(v: Float32Array | number[]): Float32Array {
  const n = Math.sqrt(Array.from(v).reduce((s, x) => s + x * x, 0));
  return Float32Array.from(v, (x) => x / n);
}

function expectClose(a: Float32Array, b: Float32Array, tol = 1e-5): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i]! - b[i]!)).toBeLessThanOrEqual(tol);
}

describe.each([
  ['CLIP text tower', () => clip, 6],
  ['sentence-transformers MiniLM', () => minilm, 8],
] as const)('%s text embedder on the contract fixture', (_, embedder, dim) => {
  it('returns one unit vector of the model dimension per text', async () => {
    expect(embedder().dimension).toBe(dim);
    const vectors = await embedder().embedTexts([SHORT, LONG, '']);
    expect(vectors).toHaveLength(3);
    for (const v of vectors.slice(0, 2)) {
      expect(v).toHaveLength(dim);
      expect(Math.hypot(...v)).toBeCloseTo(1, 5);
    }
    expect(vectors[2]!.every((x) => Number.isFinite(x))).toBe(true);
  });

  it('gives the same vectors batched (across chunks) as one at a time', async () => {
    const texts = [SHORT, LONG, 'the green square'];
    const batched = await embedder().embedTexts(texts);
    for (let i = 0; i < texts.length; i++) expectClose(batched[i]!, (await embedder().embedTexts([texts[i]!]))[0]!);
  });
});

describe('CLIP text embedder', () => {
  it('returns the normalised text_embeds of ids padded to the max length with the pad token', async () => {
    const ids = [...SHORT_IDS, ...new Array<number>(16 - SHORT_IDS.length).fill(PAD)];
    const expected = await runDirect(join(CLIP, 'onnx', 'text_model.onnx'), { input_ids: int64([ids]) }, 'text_embeds');
    expectClose((await clip.embedTexts([SHORT]))[0]!, normalised(expected));
  });

  it('truncates to the tokenizer max length (16)', async () => {
    const longer = `${LONG} and the red square`;
    const words = longer.split(' ');
    expect(words.length).toBeGreaterThan(16);
    const [long, cut] = await clip.embedTexts([longer, words.slice(0, 16).join(' ')]);
    expectClose(long!, cut!);
  });
});

describe('sentence embedder (masked mean pooling)', () => {
  it('ignores padding: a short sentence batched with a long one equals the unpadded direct pooling', async () => {
    const hidden = await runDirect(
      join(MINILM, 'onnx', 'model.onnx'),
      { input_ids: int64([SHORT_IDS]), attention_mask: int64([[1, 1, 1]]), token_type_ids: int64([[0, 0, 0]]) },
      'last_hidden_state',
    ); // [1, 3, 8]
    const mean = Array.from({ length: 8 }, (_, d) => (hidden[d]! + hidden[8 + d]! + hidden[16 + d]!) / 3);
    const expected = normalised(mean);
    const [short] = await minilm.embedTexts([SHORT, LONG]);
    expectClose(short!, expected);
    expectClose((await minilm.embedTexts([SHORT]))[0]!, expected);
    // The pad token's own embedding is not zero here, so an unmasked mean would differ.
    const padRow = await runDirect(
      join(MINILM, 'onnx', 'model.onnx'),
      { input_ids: int64([[PAD]]), attention_mask: int64([[1]]), token_type_ids: int64([[0]]) },
      'last_hidden_state',
    );
    expect(Math.hypot(...padRow)).toBeGreaterThan(0.01);
  });

  it('prefers sentence_bert_config max_seq_length and keeps a final special token when truncating', async () => {
    const dir = join(tmp, 'minilm-short');
    cpSync(MINILM, dir, { recursive: true });
    writeFileSync(join(dir, 'sentence_bert_config.json'), JSON.stringify({ max_seq_length: 4 }));
    const tok = loadTextTokenizer(dir, { defaultMaxLength: 512 });
    expect(tok.maxLength).toBe(4);
    expect(tok.padId).toBe(PAD);
    // '<|endoftext|>' is a special token: truncation keeps it at the end, as transformers does.
    const batch = tok.encode(['a red circle on the left <|endoftext|>', 'a'], 'longest');
    expect(batch.ids).toEqual([[2, 3, 6, 0], [2, 0, 0, 0]]);
    expect(batch.mask).toEqual([[1, 1, 1, 1], [1, 0, 0, 0]]);
  });
});

describe('loading text embedders', () => {
  it('names the missing text_model.onnx', async () => {
    const dir = join(tmp, 'clip-no-text');
    cpSync(CLIP, dir, { recursive: true });
    rmSync(join(dir, 'onnx', 'text_model.onnx'));
    await expect(loadTextEmbedder(dir)).rejects.toThrow(/clip-no-text[/\\]onnx[/\\]text_model\.onnx: missing file/);
  });

  it('names tokenizer_config.json when the pad token is not in the vocabulary', async () => {
    const dir = join(tmp, 'minilm-bad-pad');
    cpSync(MINILM, dir, { recursive: true });
    writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify({ model_max_length: 16, pad_token: '[PAD]' }));
    await expect(loadTextEmbedder(dir)).rejects.toThrow(/tokenizer_config\.json: pad token "\[PAD\]" is not in the vocabulary/);
  });
});
