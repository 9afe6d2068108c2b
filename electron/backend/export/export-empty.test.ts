/** An export that would hold nothing is refused with the reason, unless --allow-empty asks for it. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { importFolder } from '../import/import-folder.js';
import { noiseImage, tempDir, writeFiles } from '../import/test-images.js';
import { captionedFolder, exportAs, projectTracker } from './export-test-support.js';

const projects = projectTracker();
afterEach(() => projects.disposeAll());

describe('empty exports', () => {
  it('are refused for an empty project, and written with --allow-empty', async () => {
    const project = projects.create();
    const dir = tempDir('export-out');
    for (const [format, out] of [['coco-captions', join(dir, 'c.json')], ['karpathy', join(dir, 'k')], ['hf-imagefolder', join(dir, 'hf')]] as const) {
      await expect(exportAs(project, { format, out })).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining(`Nothing to export as ${format}: the project has no images`) });
    }
    await expect(exportAs(project, { format: 'scores', out: join(dir, 's.jsonl') })).rejects.toMatchObject({ message: expect.stringContaining('the project has no runs') });
    expect(readdirSync(dir)).toEqual([]);
    await expect(exportAs(project, { format: 'coco-captions', out: join(dir, 'c.json'), allowEmpty: true })).resolves.toMatchObject({ images: 0, captions: 0 });
    expect(JSON.parse(readFileSync(join(dir, 'c.json'), 'utf8'))).toMatchObject({ images: [], annotations: [] });
  });

  it('explain what is missing: decided captions for coco-results without --run, and for decided-only', async () => {
    const project = projects.create();
    await importFolder(project, await captionedFolder());
    const dir = tempDir('export-out');
    await expect(exportAs(project, { format: 'coco-results', out: join(dir, 'r.json') })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining("no decided captions among the 3 image(s) in scope; pass --run ID to export a suggest run's selected captions"),
    });
    await expect(exportAs(project, { format: 'sidecar-txt', out: join(dir, 'k'), captions: 'decided-only' })).rejects.toMatchObject({
      message: expect.stringContaining('none of the 3 image(s) in scope has a decided caption'),
    });
    await expect(exportAs(project, { format: 'karpathy', out: join(dir, 'k'), statuses: ['accepted'] })).rejects.toMatchObject({
      message: expect.stringContaining('no image matches the filters'),
    });
    expect(existsSync(join(dir, 'r.json'))).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('still write coco-captions of images that have no caption yet (an image list, COCO test-set style)', async () => {
    const project = projects.create();
    const folder = tempDir('uncaptioned');
    writeFiles(folder, { 'a.png': await noiseImage('png'), 'b.png': await noiseImage('png', 64, 48, 2) });
    await importFolder(project, folder);
    const dir = tempDir('export-out');
    const out = join(dir, 'list.json');
    // decided-only leaves undecided images out altogether: nothing to list, refused.
    await expect(exportAs(project, { format: 'coco-captions', out, captions: 'decided-only' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(exportAs(project, { format: 'coco-captions', out })).resolves.toMatchObject({ images: 2, captions: 0, withoutCaption: 2 });
    const json = JSON.parse(readFileSync(out, 'utf8')) as { images: unknown[]; annotations: unknown[] };
    expect([json.images.length, json.annotations.length]).toEqual([2, 0]);
  });
});
