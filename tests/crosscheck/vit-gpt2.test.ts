/**
 * The published-layout ViT-GPT2 fixture (Xenova/vit-gpt2-image-captioning's file tree, tiny
 * random weights; tests/fixtures/published) against transformers.js, in each precision variant
 * it ships (MODELS.md appendix §1: fp32, fp16, q8): the same greedy token ids, and the same
 * caption log-probabilities (random weights often repeat one token whatever the image, so the
 * ids alone would not notice a wrongly fed pixel; the probabilities do). Images are 224×224,
 * the size preprocessor_config.json asks for, so neither side resamples.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Captioner } from '../../electron/inference/captioner/captioner.js';
import { asDecoderSequence } from './compare.js';
import { eachAlone, shapeImages } from './images.js';
import { peerGreedyCaptions, type PeerDtype } from './peer.js';

const DIR = join(import.meta.dirname, '../fixtures/published/Xenova--vit-gpt2-image-captioning');
// config.json / generation_config.json: decoder start = eos = 50256.
const START = 50256;
const EOS = 50256;
const MAX_NEW = 12;

let images: Buffer[];
beforeAll(async () => {
  images = await shapeImages(224);
});

describe.each<PeerDtype>(['fp32', 'q8', 'fp16'])('ViT-GPT2 (Xenova layout) %s vs transformers.js', (dtype) => {
  let captioner: Captioner;
  beforeAll(async () => {
    captioner = await Captioner.load(DIR, { dtype });
  });
  afterAll(async () => {
    await captioner?.dispose();
  });

  it('gives the same greedy token ids, text and log-probabilities', async () => {
    expect(captioner.sessions.map((s) => s.file.split('/').at(-1))).toEqual(
      dtype === 'fp32' ? ['encoder_model.onnx', 'decoder_model_merged.onnx'] : [`encoder_model_${dtype === 'q8' ? 'quantized' : dtype}.onnx`, `decoder_model_merged_${dtype === 'q8' ? 'quantized' : dtype}.onnx`],
    );
    const greedy = { strategy: 'greedy', maxNewTokens: MAX_NEW } as const;
    // q8 graphs quantize activations dynamically, one scale per tensor across the whole batch
    // (DynamicQuantizeLinear), so a row's logits depend on its batch-mates: there, compare like
    // with like, one image per call as transformers.js runs them (batched, log-probabilities
    // moved by 0.04–0.08 on this fixture). fp32 and fp16 rows are independent: one batch.
    const ours =
      dtype === 'q8'
        ? await eachAlone(images, async (image) => (await captioner.caption([image], greedy))[0]![0]!)
        : (await captioner.caption(images, greedy)).map((c) => c[0]!);
    const peer = await peerGreedyCaptions(DIR, images, MAX_NEW, dtype);
    expect(ours.map((c) => asDecoderSequence(c, START, EOS, MAX_NEW))).toEqual(peer.ids);
    expect(ours.map((c) => c.text)).toEqual(peer.texts);
    ours.forEach((c, i) => expect(Math.abs(c.score - peer.logProbs[i]!)).toBeLessThan(1e-4));
  });
});
