import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OnnxSession } from './session.js';

const FIXTURES = join(import.meta.dirname, '../../../tests/fixtures/models');

describe('OnnxSession', () => {
  it('reads tensor names, dtypes and shapes from the graph', async () => {
    const unet = await OnnxSession.open(join(FIXTURES, 'sd15-int64-timestep/unet/model.onnx'));
    try {
      expect(unet.input('timestep')).toEqual({ name: 'timestep', dtype: 'int64', shape: [1] });
      expect(unet.input('sample').shape).toEqual(['batch_size', 4, 'height', 'width']);
      expect(unet.info.outputs.map((o) => o.name)).toEqual(['out_sample']);
      expect(unet.info).toMatchObject({ provider: 'cpu', fallbackReason: null });
      expect(() => unet.input('timestep_cond')).toThrow(/unet\/model\.onnx: missing input 'timestep_cond' \(the graph has sample, timestep, encoder_hidden_states\)/);
    } finally {
      await unet.dispose();
    }
  });

  it('names the file when it is missing or not an ONNX model', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rt-onnx-'));
    await expect(OnnxSession.open(join(dir, 'absent.onnx'))).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('absent.onnx: missing file') });
    const corrupt = join(dir, 'corrupt.onnx');
    writeFileSync(corrupt, Buffer.from('this is not a protobuf at all, just text pretending'));
    await expect(OnnxSession.open(corrupt)).rejects.toMatchObject({ code: 'BAD_FORMAT', message: expect.stringContaining('corrupt.onnx: not a valid ONNX model') });
  });

  it('falls back to the CPU when a GPU provider is missing, and says why', async () => {
    const session = await OnnxSession.open(join(FIXTURES, 'dinov2/onnx/model.onnx'), { provider: 'cuda' });
    try {
      // On a machine with CUDA the provider is used; here (no GPU) the session says why not.
      if (session.info.provider === 'cpu') expect(session.info.fallbackReason).toMatch(/^cuda is not available/);
      else expect(session.info).toMatchObject({ provider: 'cuda', fallbackReason: null });
    } finally {
      await session.dispose();
    }
  });

  it('says when the provider has no kernel for an operator of the variant, naming file, operator and what to choose instead', async () => {
    // fp16 com.microsoft.GroupNorm, as Olive fp16 SD builds use: the CPU provider has no kernel for it.
    const file = join(FIXTURES, 'cuda-only-ops/model.onnx');
    const error = await OnnxSession.open(file).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'NOT_SUPPORTED' });
    expect((error as Error).message).toBe(
      `${file}: the CPU execution provider cannot run operator com.microsoft.GroupNorm (version 1) of this variant; choose the fp32 variant (or q8) of this model, or another execution provider`,
    );
  });

  it('records the variant a loader chose in the session info', async () => {
    const session = await OnnxSession.open(join(FIXTURES, 'vit-gpt2-dtypes/onnx/encoder_model_fp16.onnx'), { dtype: 'fp16' });
    try {
      expect(session.info.dtype).toBe('fp16');
      expect(session.input('pixel_values').dtype).toBe('float16');
    } finally {
      await session.dispose();
    }
  });
});
