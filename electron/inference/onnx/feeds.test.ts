import { join } from 'node:path';
import ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asInputDtype, boolTensor, emptyPastTensor, float32Tensor, float32Values, floatTensor, timestepTensor, tokenIdsTensor } from './feeds.js';
import { OnnxSession } from './session.js';

const FIXTURES = join(import.meta.dirname, '../../../tests/fixtures/models');
const open = (rel: string) => OnnxSession.open(join(FIXTURES, rel));

describe('feeds shaped from each export’s own metadata', () => {
  it('feeds input_ids as int32 or int64, as the text encoder declares', async () => {
    for (const rel of ['sd15-int64-timestep/text_encoder/model.onnx', 'sd-float-timestep/text_encoder/model.onnx']) {
      const te = await open(rel);
      const out = await te.run({ input_ids: tokenIdsTensor(te.input('input_ids'), [[2, 3, 6, 0], [2, 4, 7, 0]]) });
      expect(out.last_hidden_state!.dims).toEqual([2, 4, 8]);
      await te.dispose();
    }
    expect(tokenIdsTensor({ name: 'input_ids', dtype: 'int32', shape: [] }, [[1, 2]]).type).toBe('int32');
    expect(() => tokenIdsTensor({ name: 'x', dtype: 'int32', shape: [] }, [[1, 2], [3]])).toThrow(/pad them/);
  });

  it('feeds the timestep as int64 [1] or as a float32 scalar, and the UNet sees it', async () => {
    for (const rel of ['sd15-int64-timestep/unet/model.onnx', 'sd-float-timestep/unet/model.onnx']) {
      const unet = await open(rel);
      const te = await open(rel.replace('unet', 'text_encoder'));
      const text = (await te.run({ input_ids: tokenIdsTensor(te.input('input_ids'), [[2, 3, 6]]) })).last_hidden_state!;
      const sample = float32Tensor(new Float32Array(4 * 2 * 2).fill(0.5), [1, 4, 2, 2]);
      const at = async (t: number) =>
        (await unet.run({ sample, timestep: timestepTensor(unet.input('timestep'), t), encoder_hidden_states: text })).out_sample!.data as Float32Array;
      const [early, late] = [await at(100), await at(900)];
      // The fixture adds 0.001 × timestep to every element.
      expect(late[0]! - early[0]!).toBeCloseTo(0.8, 4);
      await unet.dispose();
      await te.dispose();
    }
  });

  it('drives the merged decoder’s KV cache: step by step equals one full pass', async () => {
    const encoder = await open('vit-gpt2/onnx/encoder_model.onnx');
    const decoder = await open('vit-gpt2/onnx/decoder_model_merged.onnx');
    const pixels = float32Tensor(Float32Array.from({ length: 3 * 8 * 8 }, (_, i) => Math.sin(i)), [1, 3, 8, 8]);
    const hidden = (await encoder.run({ pixel_values: pixels })).last_hidden_state!;
    const pastNames = decoder.info.inputs.filter((s) => s.name.startsWith('past_key_values.')).map((s) => s.name);
    expect(pastNames).toEqual(['past_key_values.0.key', 'past_key_values.0.value', 'past_key_values.1.key', 'past_key_values.1.value']);
    const tokens = [0, 2, 3, 6];

    const emptyPast = Object.fromEntries(pastNames.map((n) => [n, emptyPastTensor(decoder.input(n), 1)]));
    const full = await decoder.run({
      input_ids: tokenIdsTensor(decoder.input('input_ids'), [tokens]),
      encoder_hidden_states: hidden,
      use_cache_branch: boolTensor(false),
      ...emptyPast,
    });
    const vocab = full.logits!.dims[2]!;
    const fullLast = (full.logits!.data as Float32Array).slice((tokens.length - 1) * vocab);

    let past: Record<string, ort.Tensor> = emptyPast;
    let last: Float32Array = new Float32Array();
    for (const [i, token] of tokens.entries()) {
      const out = await decoder.run({
        input_ids: tokenIdsTensor(decoder.input('input_ids'), [[token]]),
        encoder_hidden_states: hidden,
        use_cache_branch: boolTensor(i > 0),
        ...past,
      });
      past = Object.fromEntries(pastNames.map((n) => [n, out[n.replace('past_key_values.', 'present.')]!]));
      last = out.logits!.data as Float32Array;
    }
    expect(past['past_key_values.1.value']!.dims).toEqual([1, 2, tokens.length, 4]);
    expect(Array.from(last)).toEqual(Array.from(fullLast).map((v) => expect.closeTo(v, 5)));
    await encoder.dispose();
    await decoder.dispose();
  });

  it('feeds an fp16 graph in float16 — pixels, empty KV cache, timestep — keeps use_cache_branch bool, and reads fp16 logits back as float32', async () => {
    const encoder = await open('vit-gpt2-dtypes/onnx/encoder_model_fp16.onnx');
    const decoder = await open('vit-gpt2-dtypes/onnx/decoder_model_merged_fp16.onnx');
    const reference = await open('vit-gpt2/onnx/decoder_model_merged.onnx');
    const referenceEncoder = await open('vit-gpt2/onnx/encoder_model.onnx');
    const values = Float32Array.from({ length: 3 * 8 * 8 }, (_, i) => Math.sin(i));
    const pixels = floatTensor(encoder.input('pixel_values'), values, [1, 3, 8, 8]);
    expect(pixels.type).toBe('float16');
    const hidden = (await encoder.run({ pixel_values: pixels })).last_hidden_state!;
    expect(hidden.type).toBe('float16');
    const pastNames = decoder.info.inputs.filter((s) => s.name.startsWith('past_key_values.')).map((s) => s.name);
    const feeds = (session: OnnxSession, encoded: ort.Tensor) => ({
      input_ids: tokenIdsTensor(session.input('input_ids'), [[0, 2, 3]]),
      encoder_hidden_states: asInputDtype(encoded, session.input('encoder_hidden_states')),
      use_cache_branch: boolTensor(false),
      ...Object.fromEntries(pastNames.map((n) => [n, emptyPastTensor(session.input(n), 1)])),
    });
    expect(emptyPastTensor(decoder.input(pastNames[0]!), 1).type).toBe('float16');
    const out = await decoder.run(feeds(decoder, hidden));
    expect(out.logits!.type).toBe('float16');
    expect(out['present.0.key']!.type).toBe('float16');
    const fp32Hidden = (await referenceEncoder.run({ pixel_values: float32Tensor(values, [1, 3, 8, 8]) })).last_hidden_state!;
    const expected = (await reference.run(feeds(reference, fp32Hidden))).logits!.data as Float32Array;
    // Same model in half precision: the logits agree to fp16's ~3 significant digits.
    expect(Array.from(float32Values(out.logits!, 'logits'))).toEqual(Array.from(expected).map((v) => expect.closeTo(v, 2)));
    for (const s of [encoder, decoder, reference, referenceEncoder]) await s.dispose();
  });

  it('converts between float16 and float32 when one graph’s output feeds another graph of the other precision', () => {
    const fp16 = floatTensor({ name: 'x', dtype: 'float16', shape: [2] }, Float32Array.of(1.5, -0.25), [2]);
    const asFp32 = asInputDtype(fp16, { name: 'encoder_hidden_states', dtype: 'float32', shape: [2] });
    expect(asFp32.type).toBe('float32');
    expect(Array.from(asFp32.data as Float32Array)).toEqual([1.5, -0.25]);
    expect(asInputDtype(asFp32, { name: 'y', dtype: 'float32', shape: [2] })).toBe(asFp32);
    expect(timestepTensor({ name: 'timestep', dtype: 'float16', shape: [1] }, 999).data).toEqual(Uint16Array.of(0x63ce));
    expect(() => floatTensor({ name: 'pixel_values', dtype: 'int8', shape: [] }, new Float32Array(1), [1])).toThrow(/input 'pixel_values' has type int8; expected float32 or float16/);
    expect(() => emptyPastTensor({ name: 'past_key_values.0.key', dtype: 'int8', shape: ['b', 2, 'p', 4] }, 1)).toThrow(/expected float32 or float16/);
  });
});
