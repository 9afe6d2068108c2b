/** The `florence-2` family descriptor against the onnx-community layout fixture (tools/published-fixtures/florence2.py). */
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { descriptorFor, graphPath } from './families.js';
import { openWithOnnxRuntime } from './graph-check.js';
import { inferFamily } from './infer-family.js';
import { selectFiles } from './select-files.js';
import { manifestFor } from './testing/model-folders.js';
import { verifyFolder } from './verify.js';

const FIXTURE = join(import.meta.dirname, '../../tests/fixtures/published/onnx-community--Florence-2-base-ft');
const scratch = mkdtempSync(join(tmpdir(), 'rt-florence2-family-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function filesOf(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split('\\').join('/'))
    .sort();
}

describe('florence-2 family', () => {
  it('is inferred from config.json model_type florence2', () => {
    expect(inferFamily({ files: filesOf(FIXTURE), config: { model_type: 'florence2' } })).toBe('florence-2');
  });

  it('selects the four graphs of the chosen dtype and the configs, nothing else', () => {
    const descriptor = descriptorFor('florence-2')!;
    const fp16 = selectFiles(descriptor, filesOf(FIXTURE), 'fp16');
    expect(fp16.missing).toEqual([]);
    const graphs = fp16.files.filter((f) => f.endsWith('.onnx')).sort();
    expect(graphs).toEqual(['onnx/decoder_model_merged_fp16.onnx', 'onnx/embed_tokens_fp16.onnx', 'onnx/encoder_model_fp16.onnx', 'onnx/vision_encoder_fp16.onnx']);
    expect(fp16.files).toEqual(expect.arrayContaining(['config.json', 'generation_config.json', 'preprocessor_config.json', 'tokenizer.json', 'added_tokens.json']));
    expect(descriptor.graphs.map((g) => graphPath(descriptor, g, 'q8'))).toContain('onnx/embed_tokens_quantized.onnx');
  });

  it.each(['fp32', 'fp16', 'q8'] as const)('models verify passes on the published layout at %s, loading every graph', async (dtype) => {
    const dir = join(scratch, dtype);
    cpSync(FIXTURE, dir, { recursive: true });
    const manifest = await manifestFor(dir, 'florence-2', filesOf(dir), { dtype });
    const report = await verifyFolder({ id: 'f2', path: dir, family: 'florence-2', role: 'captioner', dtype, manifest }, { openGraph: openWithOnnxRuntime });
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.graphsChecked).toBeGreaterThanOrEqual(4);
  });

  it('verify names a missing embed_tokens graph', async () => {
    const dir = join(scratch, 'broken');
    cpSync(FIXTURE, dir, { recursive: true });
    rmSync(join(dir, 'onnx', 'embed_tokens.onnx'));
    const report = await verifyFolder({ id: 'f2', path: dir, family: 'florence-2', role: 'captioner' }, { openGraph: openWithOnnxRuntime });
    expect(report.ok).toBe(false);
    expect(report.problems.join('\n')).toMatch(/onnx\/embed_tokens\.onnx/);
  });
});
