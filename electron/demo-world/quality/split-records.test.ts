import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { writeDemoDataset } from '../dataset.js';
import { captionCounts, renderRecord, splitRecords } from './split-records.js';

describe('splitRecords', () => {
  it('are the images `roundtrip demo-data` writes: same ids, scenes, captions and pixels', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rt-quality-split-'));
    try {
      await writeDemoDataset(dir, { split: 'test', count: 4, seed: 1 });
      const coco = JSON.parse(readFileSync(join(dir, 'test', 'captions.json'), 'utf8')) as {
        images: { id: number; file_name: string; scene: { objects: { colour: string; shape: string }[] } }[];
        annotations: { image_id: number; caption: string }[];
      };
      const records = splitRecords('test', 4);
      expect(records.map((r) => r.id)).toEqual(coco.images.map((i) => i.id));
      expect(records.map((r) => r.captions)).toEqual(coco.images.map((i) => coco.annotations.filter((a) => a.image_id === i.id).map((a) => a.caption)));
      expect(records.map((r) => r.scene.objects.map((o) => `${o.colour} ${o.shape}`))).toEqual(coco.images.map((i) => i.scene.objects.map((o) => `${o.colour} ${o.shape}`)));
      for (const [k, record] of records.entries()) {
        const png = await sharp(join(dir, 'test', 'images', coco.images[k]!.file_name)).raw().toBuffer();
        expect(Buffer.from(renderRecord(record).rgb).equals(png)).toBe(true);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('captionCounts', () => {
  it('counts normalised captions; among equal counts the first seen wins (Counter.most_common)', () => {
    const counts = captionCounts([
      ['A red star.', 'b'],
      ['b', 'a red star'],
      ['c', 'C'],
    ]);
    expect(counts).toMatchObject({ mostFrequent: 'a red star', count: 2 });
    expect([...counts.all]).toEqual(['a red star', 'b', 'c']);
  });
});
