/** The four rankings on hand-made candidates, with the committed demo CLIP as the embedder. */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadImageEmbedder } from '../../inference/embedders/load.js';
import type { ImageEmbedder } from '../../inference/embedders/types.js';
import { defaultDemoRoot } from '../../models/registry.js';
import { describeScene } from '../noun-phrases.js';
import { boxDownsample, type DiagnosisImage, diagnoseSelection, oracleImage, pixelSimilarity } from './selection-diagnosis.js';
import { renderRecord, splitRecords } from './split-records.js';

let embedder: ImageEmbedder;
beforeAll(async () => {
  embedder = await loadImageEmbedder(join(defaultDemoRoot(), 'clip'));
});
afterAll(() => embedder.dispose());

describe('pixel similarity', () => {
  it('is minus the RMS grey-level difference of 4×4-block means', () => {
    const a = { rgb: new Uint8Array(64 * 64 * 3).fill(100), width: 64, height: 64 };
    const b = { rgb: new Uint8Array(64 * 64 * 3).fill(110), width: 64, height: 64 };
    expect(boxDownsample(a)).toHaveLength(16 * 16 * 3);
    expect(pixelSimilarity(boxDownsample(a), boxDownsample(b))).toBeCloseTo(-10, 12);
    expect(pixelSimilarity(boxDownsample(a), boxDownsample(a))).toBeCloseTo(0, 12);
    expect(() => boxDownsample({ rgb: new Uint8Array(10 * 10 * 3), width: 10, height: 10 })).toThrow(/10×10/);
  });
});

describe('diagnoseSelection', () => {
  it('an oracle that draws the right caption exactly picks it; the app’s ranking is what the run stored', async () => {
    const records = splitRecords('test', 12);
    const images: DiagnosisImage[] = records.map((r, i) => {
      const right = describeScene(r.scene);
      const wrong = describeScene({ ...r.scene, background: r.scene.background === 'black' ? 'sand' : 'black', objects: r.scene.objects.map((o) => ({ ...o, colour: o.colour === 'red' ? 'green' : 'red' })) });
      const vague = 'a few shapes';
      const texts = [wrong, vague, right];
      // the stored similarities prefer the wrong caption: the app's ranking must follow them
      return {
        imageId: i + 1,
        references: r.captions,
        source: renderRecord(r),
        candidates: texts.map((text, idx) => ({ idx, text, similarity: [0.9, 0.5, 0.1][idx]!, reconstruction: oracleImage(text, idx) })),
      };
    });
    const gains = await diagnoseSelection(images, embedder);
    const rightOnly = await diagnoseSelection(images.map((i) => ({ ...i, candidates: [i.candidates[2]!] })), embedder);
    const wrongOnly = await diagnoseSelection(images.map((i) => ({ ...i, candidates: [{ ...i.candidates[0]!, idx: 0 }] })), embedder);
    expect(gains['oracle + pixels'].selected.CIDEr).toBeCloseTo(rightOnly['oracle + pixels'].selected.CIDEr, 12);
    expect(gains['generator + pixels'].selected.CIDEr).toBeCloseTo(rightOnly['oracle + pixels'].selected.CIDEr, 12);
    expect(gains['generator + embedder (the app)'].selected.CIDEr).toBeCloseTo(wrongOnly['oracle + pixels'].selected.CIDEr, 12);
    expect(gains['oracle + embedder'].selected.CIDEr).toBeGreaterThan(gains['oracle + embedder'].baseline.CIDEr);
    for (const g of Object.values(gains)) expect(g.baseline).toEqual(gains['oracle + pixels'].baseline);
  });
});
