/**
 * Roundtrip's `pixel_values` (electron/inference/image/preprocess.ts) against transformers.js's
 * image processors on every cross-checked folder's preprocessor_config.json — `size` as
 * {height,width} (ViT, Florence-2, the demo) and {shortest_edge} + centre crop (CLIP), rescale,
 * normalise, channel order — on images already at the size each model resizes to, so no
 * resampling happens (resampling is where the two are known to differ, and neither is PIL: see
 * the report of issue 15's cross-check). Landscape and portrait images exercise CLIP's crop.
 * The values agree to within two float32 units in the last place: transformers.js rounds after
 * rescaling and again after normalising, Roundtrip once.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePreprocessorConfig, pixelValues } from '../../electron/inference/image/preprocess.js';
import { defaultDemoRoot } from '../../electron/models/registry.js';
import { maxAbsDiff } from './compare.js';
import { shapeImagesOf } from './images.js';
import { peerPixelValues } from './peer.js';

const PUBLISHED = join(import.meta.dirname, '../fixtures/published');
const FOLDERS: [string, string, [number, number][]][] = [
  ['demo captioner', join(defaultDemoRoot(), 'captioner'), [[64, 64]]],
  ['demo CLIP', join(defaultDemoRoot(), 'clip'), [[64, 64]]],
  ['ViT-GPT2', join(PUBLISHED, 'Xenova--vit-gpt2-image-captioning'), [[224, 224]]],
  // shortest_edge 224 then a 224×224 centre crop: the crop alone acts on these.
  ['CLIP', join(PUBLISHED, 'Xenova--clip-vit-base-patch32'), [[224, 224], [300, 224], [224, 301]]],
  ['Florence-2', join(PUBLISHED, 'onnx-community--Florence-2-base-ft'), [[768, 768]]],
];

describe.each(FOLDERS)('%s preprocessing vs transformers.js', (_, dir, sizes) => {
  it.each(sizes)('%i×%i images give the same pixel_values', async (width, height) => {
    const config = parsePreprocessorConfig(JSON.parse(readFileSync(join(dir, 'preprocessor_config.json'), 'utf8')), dir);
    for (const image of await shapeImagesOf(width, height)) {
      const ours = await pixelValues(image, config);
      const theirs = await peerPixelValues(dir, image);
      expect(ours.length).toBe(theirs.length);
      expect(maxAbsDiff(ours, theirs)).toBeLessThan(5e-7);
    }
  });
});
