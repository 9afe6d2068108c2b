/**
 * The published-layout Florence-2 fixture (onnx-community/Florence-2-base-ft's file tree, tiny
 * random weights; tests/fixtures/published) against transformers.js's
 * Florence2ForConditionalGeneration + Florence2Processor, for the caption tasks and each
 * precision variant it ships: the same greedy token ids, caption text and log-probabilities.
 *
 * Like with like: transformers.js applies the folder's generation_config.json by default —
 * forced `<s>` as the first token, forced `</s>` as the last one the length allows,
 * no_repeat_ngram_size 3, num_beams 3 — and so does Roundtrip's Florence-2 captioner (the
 * publisher's settings); both are asked for greedy (num_beams 1). The same comparison with the
 * no-repeat rule switched off on both sides checks that the rule, not luck, made them agree.
 * Images are 768×768, the size preprocessor_config.json asks for, so neither side resamples.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Florence2Captioner } from '../../electron/inference/captioner/florence2/florence2-captioner.js';
import { asDecoderSequence } from './compare.js';
import { eachAlone, shapeImages } from './images.js';
import { peerFlorence2Captions, type PeerDtype } from './peer.js';

const DIR = join(import.meta.dirname, '../fixtures/published/onnx-community--Florence-2-base-ft');
// generation_config.json: decoder_start 2, eos 2.
const START = 2;
const EOS = 2;
const MAX_NEW = 16;
const TASKS = ['<CAPTION>', '<MORE_DETAILED_CAPTION>'];
/**
 * |Δ Σ log p| allowed over a 16-token caption. The two sides' float32 pixel values differ in the
 * last bit or two (transformers.js rounds after rescaling and again after normalising, Roundtrip
 * once; preprocess.test.ts); fp32 graphs keep that below 1e-5 (measured 8e-6), but rounding the
 * vision features to fp16, or quantizing activations to 8 bits, turns it into a step of one unit
 * now and then (measured fp16 7.1e-4, q8 5.3e-5).
 */
const TOLERANCE: Record<PeerDtype, number> = { fp32: 1e-4, q8: 5e-4, fp16: 5e-3 };

let images: Buffer[];
beforeAll(async () => {
  images = await shapeImages(768);
});

describe.each<PeerDtype>(['fp32', 'q8', 'fp16'])('Florence-2 (onnx-community layout) %s vs transformers.js', (dtype) => {
  let captioner: Florence2Captioner;
  beforeAll(async () => {
    captioner = await Florence2Captioner.load(DIR, { dtype });
  });
  afterAll(async () => {
    await captioner?.dispose();
  });

  it.each([
    ['with the publisher\'s generation settings', {}, {}],
    ['with no_repeat_ngram_size 0 on both sides', { noRepeatNgramSize: 0 }, { no_repeat_ngram_size: 0 }],
  ])('gives the same greedy ids, text and log-probabilities %s', async (_, ours, theirs) => {
    for (const task of TASKS) {
      const request = { strategy: 'greedy', maxNewTokens: MAX_NEW, task, ...ours } as const;
      // q8 rows depend on their batch-mates (dynamic activation quantization): one image per call.
      const captions =
        dtype === 'q8'
          ? await eachAlone(images, async (image) => (await captioner.caption([image], request))[0]![0]!)
          : (await captioner.caption(images, request)).map((c) => c[0]!);
      const peer = await peerFlorence2Captions(DIR, images, task, MAX_NEW, dtype, theirs);
      expect(captions.map((c) => asDecoderSequence(c, START, EOS, MAX_NEW))).toEqual(peer.ids);
      expect(captions.map((c) => c.text)).toEqual(peer.texts);
      captions.forEach((c, i) => expect(Math.abs(c.score - peer.logProbs[i]!)).toBeLessThan(TOLERANCE[dtype]));
    }
  });
});
