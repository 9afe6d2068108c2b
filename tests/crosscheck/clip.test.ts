/**
 * The published-layout CLIP fixture (Xenova/clip-vit-base-patch32's file tree, tiny random
 * weights; tests/fixtures/published) against transformers.js's CLIPVisionModelWithProjection /
 * CLIPTextModelWithProjection with AutoProcessor / AutoTokenizer, in each precision variant it
 * ships (MODELS.md appendix §2): image and text embeddings within 1e-4, both L2-normalised
 * (Roundtrip's embedders return unit vectors; the projections come out raw). Images are 224×224,
 * so the shortest-edge resize and the centre crop of preprocessor_config.json change nothing on
 * either side; texts are padded to 77 on both sides.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadImageEmbedder, loadTextEmbedder } from '../../electron/inference/embedders/index.js';
import { maxAbsDiff, unit } from './compare.js';
import { shapeImages } from './images.js';
import { peerClipEmbeddings, type PeerDtype } from './peer.js';

const DIR = join(import.meta.dirname, '../fixtures/published/Xenova--clip-vit-base-patch32');
const TEXTS = ['a red square on a white wall', 'a photo of a yellow square at night', 'Two dogs.', ''];

let images: Buffer[];
beforeAll(async () => {
  images = await shapeImages(224);
});

describe.each<PeerDtype>(['fp32', 'q8', 'fp16'])('CLIP (Xenova layout) %s vs transformers.js', (dtype) => {
  it('gives image and text embeddings within 1e-4 (both L2-normalised)', async () => {
    // q8 graphs quantize activations with one scale per batch (DynamicQuantizeLinear), so rows
    // depend on their batch-mates: one input per run there, as the peer runs them (batched, image
    // vectors moved by up to 0.013 here). For the same reason a q8 text vector depends on the
    // padding length (0.005 between 77 and the text's own length); fp32/fp16 ones do not.
    const options = { dtype, ...(dtype === 'q8' ? { batchSize: 1 } : {}) };
    const imageEmbedder = await loadImageEmbedder(DIR, options);
    const textEmbedder = await loadTextEmbedder(DIR, options);
    try {
      const suffix = dtype === 'fp32' ? '' : dtype === 'q8' ? '_quantized' : '_fp16';
      expect([...imageEmbedder.sessions, ...textEmbedder.sessions].map((s) => s.file.split('/').at(-1))).toEqual([`vision_model${suffix}.onnx`, `text_model${suffix}.onnx`]);
      const oursImages = await imageEmbedder.embedImages(images);
      const oursTexts = await textEmbedder.embedTexts(TEXTS);
      const peer = await peerClipEmbeddings(DIR, images, TEXTS, 'max_length', dtype);
      const diffs = [...oursImages.map((v, i) => maxAbsDiff(v, unit(peer.images[i]!))), ...oursTexts.map((v, i) => maxAbsDiff(v, unit(peer.texts[i]!)))];
      for (const d of diffs) expect(d).toBeLessThan(1e-4);
      // Different inputs give different vectors, so agreement is not agreement on a constant.
      expect(maxAbsDiff(oursImages[0]!, oursImages[1]!)).toBeGreaterThan(1e-3);
      expect(maxAbsDiff(oursTexts[0]!, oursTexts[1]!)).toBeGreaterThan(1e-3);
    } finally {
      await Promise.all([imageEmbedder.dispose(), textEmbedder.dispose()]);
    }
  });
});
