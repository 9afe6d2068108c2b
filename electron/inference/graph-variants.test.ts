import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chooseFirstGraphVariant, chooseGraphVariant, declaredDtype, graphVariants } from './graph-variants.js';

const PUBLISHED = join(import.meta.dirname, '../../tests/fixtures/published');

/** A folder with empty files under the given names (the chooser only looks at names). */
function folder(files: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'rt-variants-'));
  for (const f of files) {
    mkdirSync(join(dir, f, '..'), { recursive: true });
    writeFileSync(join(dir, f), '');
  }
  return dir;
}

// Xenova/vit-gpt2-image-captioning's onnx/ (MODELS.md appendix §1): fp32, fp16 and q8 only.
const VIT_GPT2 = ['encoder_model', 'decoder_model_merged'].flatMap((g) => ['', '_fp16', '_quantized'].map((s) => `onnx/${g}${s}.onnx`));

describe('graph variants', () => {
  it('lists the variants present under onnx/ by the transformers.js suffixes', () => {
    const dir = folder([...VIT_GPT2, 'onnx/decoder_model_quantized.onnx', 'onnx/encoder_model_q4f16.onnx', 'onnx/encoder_model_bnb4.onnx', 'onnx/encoder_model_uint8.onnx']);
    expect(graphVariants(dir, 'encoder_model').map((v) => v.dtype)).toEqual(['fp32', 'fp16', 'q8', 'uint8', 'q4f16', 'bnb4']);
    // decoder_model_merged's files are not variants of decoder_model.
    expect(graphVariants(dir, 'decoder_model').map((v) => v.dtype)).toEqual(['q8']);
    expect(graphVariants(dir, 'encoder_model')[1]!.file).toBe(join(dir, 'onnx', 'encoder_model_fp16.onnx'));
  });

  it('takes the chosen dtype first, then the manifest’s, then the best present for the provider', () => {
    const dir = folder(VIT_GPT2);
    expect(chooseGraphVariant(dir, 'encoder_model', { dtype: 'q8', manifestDtype: 'fp16' })).toMatchObject({ dtype: 'q8', reason: 'chosen', file: join(dir, 'onnx', 'encoder_model_quantized.onnx') });
    expect(chooseGraphVariant(dir, 'encoder_model', { manifestDtype: 'fp16' })).toMatchObject({ dtype: 'fp16', reason: 'manifest' });
    expect(chooseGraphVariant(dir, 'encoder_model', {})).toMatchObject({ dtype: 'fp32', reason: 'best present' });
    expect(chooseGraphVariant(dir, 'encoder_model', { provider: 'cuda' })).toMatchObject({ dtype: 'fp16', reason: 'best present' });
  });

  it('on the CPU prefers fp32, then 8-bit, then fp16, then 4-bit; on CUDA fp16 first', () => {
    expect(chooseGraphVariant(folder(['onnx/m_fp16.onnx', 'onnx/m_quantized.onnx', 'onnx/m_q4.onnx']), 'm').dtype).toBe('q8');
    expect(chooseGraphVariant(folder(['onnx/m_fp16.onnx', 'onnx/m_q4.onnx']), 'm').dtype).toBe('fp16');
    expect(chooseGraphVariant(folder(['onnx/m_q4f16.onnx', 'onnx/m_q4.onnx']), 'm').dtype).toBe('q4');
    expect(chooseGraphVariant(folder(['onnx/m.onnx', 'onnx/m_q4f16.onnx']), 'm', { provider: 'cuda' }).dtype).toBe('fp32');
    expect(chooseGraphVariant(folder(['onnx/m_quantized.onnx', 'onnx/m_q4f16.onnx']), 'm', { provider: 'cuda' }).dtype).toBe('q4f16');
  });

  it('finds root-level graphs of flat exports', () => {
    const dir = folder(['model.onnx', 'model_fp16.onnx']);
    expect(chooseGraphVariant(dir, 'model', { dtype: 'fp16' }).file).toBe(join(dir, 'model_fp16.onnx'));
  });

  it('names the missing file and lists what is there when the chosen or manifest dtype is absent', () => {
    const dir = folder(VIT_GPT2);
    expect(() => chooseGraphVariant(dir, 'encoder_model', { dtype: 'q4' })).toThrow(
      `${join(dir, 'onnx', 'encoder_model_q4.onnx')}: missing file (dtype q4 was chosen for this model; present: fp32 (onnx/encoder_model.onnx), fp16 (onnx/encoder_model_fp16.onnx), q8 (onnx/encoder_model_quantized.onnx))`,
    );
    expect(() => chooseGraphVariant(dir, 'encoder_model', { manifestDtype: 'int8' })).toThrow(/encoder_model_int8\.onnx: missing file \(roundtrip-model\.json says the folder holds dtype int8; present: fp32/);
    expect(() => chooseGraphVariant(dir, 'vision_model', {})).toThrow(`${join(dir, 'onnx', 'vision_model.onnx')}: missing file (no variant of vision_model in ${dir})`);
  });

  it('falls back from the merged decoder to the no-cache one only when the merged lacks the wanted variant', () => {
    const dir = folder(['onnx/decoder_model_merged.onnx', 'onnx/decoder_model_merged_fp16.onnx', 'onnx/decoder_model_quantized.onnx']);
    const order = ['decoder_model_merged', 'decoder_model'];
    expect(chooseFirstGraphVariant(dir, order, {})).toMatchObject({ graph: 'decoder_model_merged', dtype: 'fp32' });
    expect(chooseFirstGraphVariant(dir, order, { dtype: 'fp16' })).toMatchObject({ graph: 'decoder_model_merged', dtype: 'fp16' });
    expect(chooseFirstGraphVariant(dir, order, { dtype: 'q8' })).toMatchObject({ graph: 'decoder_model', dtype: 'q8' });
    expect(() => chooseFirstGraphVariant(dir, order, { dtype: 'q4' })).toThrow(/decoder_model_merged_q4\.onnx: missing file \(dtype q4 was chosen/);
  });

  it('reads a diffusers component’s dtype from its weights, not its inputs, and refuses another chosen one', () => {
    // SD-turbo: float16 weights behind float32 inputs and outputs (MODELS.md appendix §4).
    const turbo = join(PUBLISHED, 'schmuell--sd-turbo-ort-web/unet/model.onnx');
    expect(declaredDtype(turbo)).toBe('fp16');
    expect(declaredDtype(turbo, 'fp16')).toBe('fp16');
    expect(() => declaredDtype(turbo, 'fp32')).toThrow(`${turbo}: holds float16 weights (dtype fp16); a diffusers ONNX folder holds one variant per component, so dtype fp32 cannot be chosen for it`);
    const sd15 = join(PUBLISHED, 'onnx-community--stable-diffusion-v1-5-ONNX/unet/model.onnx');
    expect(declaredDtype(sd15, 'fp32')).toBe('fp32');
  });

  it('takes q8 for 8-bit weights, and int8 or uint8 by the integer type they use', () => {
    const int8 = join(PUBLISHED, 'roundtrip-fixtures--stable-diffusion-v1-5-int8-onnx');
    const unet = join(int8, 'unet/model.onnx');
    const text = join(int8, 'text_encoder/model.onnx');
    expect([declaredDtype(unet), declaredDtype(text)]).toEqual(['q8', 'q8']);
    expect([declaredDtype(unet, 'q8'), declaredDtype(unet, 'uint8'), declaredDtype(text, 'int8')]).toEqual(['q8', 'q8', 'q8']);
    expect(() => declaredDtype(unet, 'int8')).toThrow(`${unet}: holds 8-bit uint8 weights (ConvInteger, DynamicQuantizeLinear, MatMulInteger: dtype q8 or uint8); a diffusers ONNX folder holds one variant per component, so dtype int8 cannot be chosen for it`);
    expect(() => declaredDtype(unet, 'fp32')).toThrow(/unet\/model\.onnx: holds 8-bit uint8 weights .* so dtype fp32 cannot be chosen/);
  });

  it('names the file it cannot read', () => {
    const dir = folder(['unet/model.onnx']);
    expect(() => declaredDtype(join(dir, 'unet/model.onnx'), 'fp16')).toThrow(`${join(dir, 'unet/model.onnx')}: not a readable ONNX model`);
  });
});
