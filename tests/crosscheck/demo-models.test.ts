/**
 * The demo captioner and demo CLIP (resources/demo) against transformers.js (issue 15,
 * acceptance 2): the folders load in transformers.js unchanged, greedy captions are the same
 * token ids, and CLIP embeddings agree within 1e-4 once both are L2-normalised (Roundtrip's
 * embedders return unit vectors; transformers.js returns the projections as the graph gives them).
 * Images are held-out demo scenes rendered at the models' own 64×64, so no resampling happens on
 * either side and any difference is in the models' inputs, the decoding or the tokenizer.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Captioner } from '../../electron/inference/captioner/captioner.js';
import { loadImageEmbedder, loadTextEmbedder } from '../../electron/inference/embedders/index.js';
import { demoImage } from '../../electron/demo-world/dataset.js';
import { encodePng, renderScene } from '../../electron/demo-world/render.js';
import { defaultDemoRoot } from '../../electron/models/registry.js';
import { asDecoderSequence, maxAbsDiff, unit } from './compare.js';
import { peerClipEmbeddings, peerGreedyCaptions } from './peer.js';

const DEMO = defaultDemoRoot();
const scenes = Array.from({ length: 6 }, (_, i) => demoImage('test', 1, i));
let images: Buffer[];

beforeAll(async () => {
  images = await Promise.all(scenes.map((s) => encodePng(renderScene(s.scene))));
});

describe('demo captioner vs transformers.js (VisionEncoderDecoderModel, greedy)', () => {
  const dir = join(DEMO, 'captioner');
  // generation_config.json: max_length 42, i.e. the start token and 41 new ones.
  const MAX_NEW = 41;
  let captioner: Captioner;
  beforeAll(async () => {
    captioner = await Captioner.load(dir);
  });
  afterAll(async () => {
    await captioner?.dispose();
  });

  it('gives the same token ids and text for every image', async () => {
    const ours = (await captioner.caption(images, { strategy: 'greedy', maxNewTokens: MAX_NEW })).map((c) => c[0]!);
    const peer = await peerGreedyCaptions(dir, images, MAX_NEW);
    // bos = eos = decoder start = 0 (config.json, generation_config.json)
    expect(ours.map((c) => asDecoderSequence(c, 0, 0, MAX_NEW))).toEqual(peer.ids);
    expect(ours.map((c) => c.text)).toEqual(peer.texts);
    // The same probabilities, not only the same argmax: Roundtrip's KV-cached steps vs one uncached pass.
    ours.forEach((c, i) => expect(Math.abs(c.score - peer.logProbs[i]!)).toBeLessThan(1e-4));
    // Real captions, ended by the model: a comparison of empty or cut-off rows would prove little.
    for (const c of ours) {
      expect(c.tokens.length).toBeGreaterThan(2);
      expect(c.tokens.length).toBeLessThan(MAX_NEW);
    }
  });
});

describe('demo CLIP vs transformers.js (CLIP{Vision,Text}ModelWithProjection)', () => {
  const dir = join(DEMO, 'clip');
  const texts = scenes.map((s) => s.captions[0]!);

  it('gives image and text embeddings within 1e-4 (both L2-normalised)', async () => {
    const imageEmbedder = await loadImageEmbedder(dir);
    const textEmbedder = await loadTextEmbedder(dir);
    try {
      const oursImages = await imageEmbedder.embedImages(images);
      const oursTexts = await textEmbedder.embedTexts(texts);
      const peer = await peerClipEmbeddings(dir, images, texts);
      const imageDiffs = oursImages.map((v, i) => maxAbsDiff(v, unit(peer.images[i]!)));
      const textDiffs = oursTexts.map((v, i) => maxAbsDiff(v, unit(peer.texts[i]!)));
      for (const d of [...imageDiffs, ...textDiffs]) expect(d).toBeLessThan(1e-4);
      // Different inputs give different vectors, so agreement is not agreement on a constant.
      expect(maxAbsDiff(oursImages[0]!, oursImages[1]!)).toBeGreaterThan(1e-2);
      expect(maxAbsDiff(oursTexts[0]!, oursTexts[1]!)).toBeGreaterThan(1e-2);
    } finally {
      await Promise.all([imageEmbedder.dispose(), textEmbedder.dispose()]);
    }
  });

  it('needs texts padded to 32 as in training: the text tower attends to padding (resources/demo/README.md)', async () => {
    const full = await peerClipEmbeddings(dir, [], texts, 'max_length');
    const own = await peerClipEmbeddings(dir, [], texts, true);
    const moved = Math.max(...texts.map((_, i) => maxAbsDiff(unit(full.texts[i]!), unit(own.texts[i]!))));
    expect(moved).toBeGreaterThan(0.05);
  });
});
