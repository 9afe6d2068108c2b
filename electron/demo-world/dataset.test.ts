import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { demoImage, SPLITS, splitOfScene, writeDemoDataset } from './dataset.js';
import { sceneKey } from './scene.js';

describe('demoImage', () => {
  it('is fixed by split, seed and index, and changes with the seed', () => {
    expect(demoImage('test', 1, 5)).toEqual(demoImage('test', 1, 5));
    expect(demoImage('test', 2, 5).captions).not.toEqual(demoImage('test', 1, 5).captions);
  });

  it('keeps splits disjoint: distinct ids, and no scene content shared between splits', () => {
    const bySplit = SPLITS.map((split) => Array.from({ length: 400 }, (_, i) => demoImage(split, 1, i)));
    const ids = bySplit.flat().map((image) => image.id);
    expect(new Set(ids).size).toBe(ids.length);
    const keys = bySplit.map((images) => new Set(images.map((image) => sceneKey(image.scene))));
    for (let a = 0; a < keys.length; a++) {
      for (const image of bySplit[a]!) expect(splitOfScene(image.scene)).toBe(SPLITS[a]);
      for (let b = a + 1; b < keys.length; b++) expect([...keys[a]!].filter((k) => keys[b]!.has(k))).toEqual([]);
    }
  });
});

describe('writeDemoDataset', () => {
  it('writes COCO captions with scenes and 64×64 PNGs, byte-identical on a second run', async () => {
    const [first, second] = [mkdtempSync(join(tmpdir(), 'rt-demo-')), mkdtempSync(join(tmpdir(), 'rt-demo-'))];
    const progress: number[] = [];
    await writeDemoDataset(first, { split: 'val', count: 12, seed: 3, onProgress: (done) => progress.push(done) });
    await writeDemoDataset(second, { split: 'val', count: 12, seed: 3 });
    expect(progress.at(-1)).toBe(12);

    const text = readFileSync(join(first, 'val', 'captions.json'), 'utf8');
    expect(readFileSync(join(second, 'val', 'captions.json'), 'utf8')).toBe(text);
    const coco = JSON.parse(text);
    expect(coco.info).toMatchObject({ seed: 3, split: 'val', generator: 'roundtrip-demo-world' });
    expect(coco.images).toHaveLength(12);
    expect(coco.annotations).toHaveLength(60);
    expect(new Set(coco.annotations.map((a: { id: number }) => a.id)).size).toBe(60);
    const image = coco.images[0];
    expect(image).toMatchObject({ id: 1_000_001, file_name: '000001.png', width: 64, height: 64 });
    expect(Object.keys(image.scene.objects[0]).sort()).toEqual(['colour', 'shape', 'size', 'x', 'y']);
    for (const { file_name } of coco.images) {
      const bytes = readFileSync(join(first, 'val', 'images', file_name));
      expect(bytes.equals(readFileSync(join(second, 'val', 'images', file_name)))).toBe(true);
    }
    const meta = await sharp(join(first, 'val', 'images', '000012.png')).metadata();
    expect([meta.width, meta.height, meta.channels]).toEqual([64, 64, 3]);
    expect(existsSync(join(first, 'val', 'captions.json.partial'))).toBe(false);
  });
});
