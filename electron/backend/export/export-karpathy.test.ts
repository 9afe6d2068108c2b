import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { addImages } from '../../evaluation/report/synthetic-runs.js';
import { tempDir } from '../import/test-images.js';
import { EXPORT_MARKER } from '../../files/atomic-folder.js';
import { exportAs, projectTracker } from './export-test-support.js';
import { commonRoot, karpathySplit } from './export-karpathy.js';

const projects = projectTracker();
afterEach(() => projects.disposeAll());

describe('karpathy export', () => {
  it('writes BLIP split files: a train entry per caption, a val/test entry per image with its captions', async () => {
    const project = projects.create();
    const train = addImages(project, 'train', [['a red circle', 'red round'], ['a blue square']]);
    addImages(project, 'val', [['a green star', 'green star', 'star']]);
    addImages(project, 'test', [['a yellow moon']]);
    project.decisions.record({ imageId: train[1]!, actor: 'ann', action: 'edit', finalText: 'a bright blue square', referenceId: null, candidateId: null });

    const out = join(tempDir('export-karpathy'), 'annotations');
    expect(await exportAs(project, { format: 'karpathy', out })).toMatchObject({ images: 4, captions: 7, files: 3 });
    expect(readdirSync(out).sort()).toEqual(['coco_karpathy_test.json', 'coco_karpathy_train.json', 'coco_karpathy_val.json', EXPORT_MARKER]);
    const read = (name: string) => JSON.parse(readFileSync(join(out, name), 'utf8')) as unknown;
    expect(read('coco_karpathy_train.json')).toEqual([
      { caption: 'a red circle', image: 'train/train-0.png', image_id: 1 },
      { caption: 'red round', image: 'train/train-0.png', image_id: 1 },
      { caption: 'a bright blue square', image: 'train/train-1.png', image_id: 2 },
    ]);
    expect(read('coco_karpathy_val.json')).toEqual([{ image: 'val/val-0.png', caption: ['a green star', 'green star', 'star'], image_id: 3 }]);
    expect(read('coco_karpathy_test.json')).toEqual([{ image: 'test/test-0.png', caption: ['a yellow moon'], image_id: 4 }]);
    expect(read(EXPORT_MARKER)).toMatchObject({ format: 'karpathy', image_root: '/synthetic', splits: { train: { images: 2, captions: 3 }, val: { images: 1 }, test: { images: 1 } } });

    // One split: image paths relative to that dataset's own folder, and the old folder replaced.
    expect(await exportAs(project, { format: 'karpathy', out, split: 'val', includeReferences: true })).toMatchObject({ images: 1, files: 1 });
    expect(readdirSync(out).sort()).toEqual(['coco_karpathy_val.json', EXPORT_MARKER]);
    expect(read('coco_karpathy_val.json')).toEqual([{ image: 'val-0.png', caption: ['a green star', 'green star', 'star'], image_id: 3 }]);
    await expect(exportAs(project, { format: 'karpathy', out, split: 'nope' })).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('train, val, test') });
  });

  it('maps dataset names to splits and finds the common image root', () => {
    expect(['train', 'restval', 'VAL', 'validation', 'test', 'photos'].map(karpathySplit)).toEqual(['train', 'train', 'val', 'val', 'test', 'train']);
    expect(commonRoot(['/data/coco/train2014', '/data/coco/val2014'])).toBe('/data/coco');
    expect(commonRoot(['/data/x'])).toBe('/data/x');
    expect(commonRoot(['/a', '/b'])).toBe('/');
  });
});
