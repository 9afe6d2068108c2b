/**
 * Issue 16, defect 6: what an import accepts as text. Captions longer than MAX_CAPTION_CHARS or
 * holding a lone surrogate, image ids of 0 or below, references past MAX_REFERENCES_PER_IMAGE:
 * each refused and reported. Text files decoded strictly: UTF-8 (BOM or not) and UTF-16 with a
 * BOM read, anything else reported with the encoding problem and the byte offset. Animated GIFs
 * reported, not skipped.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_CAPTION_CHARS, MAX_REFERENCES_PER_IMAGE } from '../../../shared/contract/limits.js';
import { Project } from '../../storage/project.js';
import { importCoco } from './import-coco.js';
import { importFolder } from './import-folder.js';
import { noiseImage, tempDir, writeFiles } from './test-images.js';

let project: Project | undefined;
afterEach(() => project?.dispose());

const newProject = (): Project => (project = Project.create(join(tempDir('proj'), 'p')));
const utf16le = (text: string): Buffer => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);

async function imagesDir(count: number): Promise<string> {
  const dir = tempDir('imgs');
  for (let i = 1; i <= count; i++) writeFiles(dir, { [`${i}.png`]: await noiseImage('png', 8, 8, i) });
  return dir;
}

describe('COCO import limits', () => {
  it('refuses over-long captions, lone surrogates and ids of 0 or below, and reports each', async () => {
    const images = await imagesDir(2);
    const file = join(tempDir('coco'), 'captions.json');
    // Written by hand: JSON.stringify would not write a lone surrogate as a \\u escape in every runtime.
    writeFileSync(
      file,
      `{"images": [{"id": 1, "file_name": "1.png"}, {"id": 0, "file_name": "2.png"}, {"id": -3, "file_name": "2.png"}],
        "annotations": [
          {"id": 10, "image_id": 1, "caption": "a fine caption"},
          {"id": 11, "image_id": 1, "caption": "${'x'.repeat(MAX_CAPTION_CHARS + 1)}"},
          {"id": 12, "image_id": 1, "caption": "half a pair \\ud83d here"},
          {"id": 0, "image_id": 1, "caption": "annotation id zero"}
        ]}`,
    );
    const report = await importCoco(newProject(), file, images);
    expect(report).toMatchObject({ imported: 1, references: 1 });
    const byItem = Object.fromEntries(report.problems.map((p) => [p.item, p]));
    expect(byItem['images[1]']?.message).toBe('images[1]: id: must be a positive integer (COCO ids start at 1)');
    expect(byItem['images[2]']?.code).toBe('invalid-entry');
    expect(byItem['annotation 11']?.message).toBe(`annotation 11: the caption is 10,001 characters long; the limit is 10,000.`);
    expect(byItem['annotation 12']?.message).toMatch(/^annotation 12: the caption holds half of a UTF-16 surrogate pair at character 12/);
    expect(byItem['annotation 0']?.message).toBe('annotation 0: id: must be a positive integer (COCO ids start at 1)');
    expect(project!.references.forImage(1).map((r) => r.text)).toEqual(['a fine caption']);
  });

  it(`keeps at most ${MAX_REFERENCES_PER_IMAGE} references per image, reporting the rest once, also on a re-import`, async () => {
    const images = await imagesDir(1);
    const file = join(tempDir('coco'), 'captions.json');
    const annotations = (from: number, count: number) =>
      Array.from({ length: count }, (_, i) => ({ id: from + i, image_id: 1, caption: `caption ${from + i}` }));
    writeFileSync(file, JSON.stringify({ images: [{ id: 1, file_name: '1.png' }], annotations: annotations(1, MAX_REFERENCES_PER_IMAGE + 50) }));
    const report = await importCoco(newProject(), file, images);
    expect(report.references).toBe(MAX_REFERENCES_PER_IMAGE);
    expect(report.problems).toEqual([
      { item: '1.png', code: 'too-large', message: `1.png: 50 reference caption(s) not imported; an image keeps at most ${MAX_REFERENCES_PER_IMAGE} references.` },
    ]);

    writeFileSync(file, JSON.stringify({ images: [{ id: 1, file_name: '1.png' }], annotations: annotations(1, MAX_REFERENCES_PER_IMAGE + 60) }));
    const again = await importCoco(project!, file, images);
    expect(again.references).toBe(0);
    expect(again.problems.map((p) => p.message)).toEqual([`1.png: 60 reference caption(s) not imported; an image keeps at most ${MAX_REFERENCES_PER_IMAGE} references.`]);
    expect(project!.references.countForImage(1)).toBe(MAX_REFERENCES_PER_IMAGE);
  });

  it('reads a UTF-16 COCO file with a byte order mark, and names the byte offset of invalid UTF-8', async () => {
    const images = await imagesDir(1);
    const dir = tempDir('coco');
    const json = JSON.stringify({ images: [{ id: 1, file_name: '1.png' }], annotations: [{ id: 1, image_id: 1, caption: 'un café noir' }] });
    writeFileSync(join(dir, 'utf16.json'), utf16le(json));
    const report = await importCoco(newProject(), join(dir, 'utf16.json'), images);
    expect(report).toMatchObject({ imported: 1, references: 1, problems: [] });
    expect(project!.references.forImage(1)[0]?.text).toBe('un café noir');

    writeFileSync(join(dir, 'latin1.json'), Buffer.from(json, 'latin1'));
    const offset = Buffer.from(json, 'latin1').indexOf(0xe9);
    await expect(importCoco(project!, join(dir, 'latin1.json'), images)).rejects.toMatchObject({
      code: 'BAD_FORMAT',
      message: `${join(dir, 'latin1.json')} is not valid UTF-8: byte ${offset} (0xE9 0x20 0x6E 0x6F) does not start a valid UTF-8 character. Save the file as UTF-8.`,
    });
  });
});

describe('folder import text and formats', () => {
  it('reads UTF-16 sidecars, reports non-UTF-8 ones by byte offset, over-long lines and metadata lone surrogates', async () => {
    const root = tempDir('folder');
    writeFiles(root, {
      '1.png': await noiseImage('png', 8, 8, 1),
      '1.txt': utf16le('a UTF-16 caption\r\n'),
      '2.png': await noiseImage('png', 8, 8, 2),
      '2.txt': Buffer.from('ok line\nun caf\xe9\n', 'latin1'),
      '3.png': await noiseImage('png', 8, 8, 3),
      '3.txt': `short one\n${'y'.repeat(MAX_CAPTION_CHARS + 5)}\n`,
      'metadata.jsonl': '{"file_name": "3.png", "text": "lone \\udc00 surrogate"}\n',
    });
    const report = await importFolder(newProject(), root);
    expect(report).toMatchObject({ imported: 3, references: 2 });
    const byItem = Object.fromEntries(report.problems.map((p) => [p.item, p]));
    expect(byItem['2.txt']).toEqual({ item: '2.txt', code: 'invalid-entry', message: '2.txt is not valid UTF-8: byte 14 (0xE9 0x0A) does not start a valid UTF-8 character. Save the file as UTF-8.' });
    expect(byItem['3.txt line 2']?.message).toBe('3.txt line 2: the caption is 10,005 characters long; the limit is 10,000.');
    expect(byItem['metadata.jsonl line 1']?.message).toMatch(/the caption holds half of a UTF-16 surrogate pair at character 5/);
    expect(report.problems).toHaveLength(3);
  });

  it('reports a FIFO with an image or caption file name, by name, instead of skipping it or hanging', async () => {
    const root = tempDir('folder');
    writeFiles(root, { 'a.png': await noiseImage('png', 8, 8, 1) });
    execFileSync('mkfifo', [join(root, 'pipe.jpg')]);
    execFileSync('mkfifo', [join(root, 'a.txt')]);
    const report = await importFolder(newProject(), root);
    expect(report.imported).toBe(1);
    expect(report.problems).toEqual([
      { item: 'a.txt', code: 'unreadable', message: 'a.txt is a FIFO (named pipe), not a regular file; Roundtrip reads only regular files.' },
      { item: 'pipe.jpg', code: 'unreadable', message: 'pipe.jpg is a FIFO (named pipe), not a regular file; Roundtrip reads only regular files.' },
    ]);
  });

  it('reports GIFs, animated or not, instead of skipping them', async () => {
    const root = tempDir('folder');
    const sharp = (await import('sharp')).default;
    const frames = Buffer.concat([Buffer.alloc(8 * 8 * 3, 10), Buffer.alloc(8 * 8 * 3, 200)]);
    const animated = await sharp(frames, { raw: { width: 8, height: 16, channels: 3, pageHeight: 8 } as never }).gif().toBuffer();
    writeFiles(root, { 'a.png': await noiseImage('png', 8, 8, 1), 'moving.gif': animated, 'still.GIF': await noiseImage('gif', 8, 8, 2) });
    const report = await importFolder(newProject(), root);
    expect(report.imported).toBe(1);
    expect(report.problems).toEqual([
      { item: 'moving.gif', code: 'unsupported', message: 'moving.gif is an animated GIF (2 frames); Roundtrip imports JPEG, PNG and WebP only.' },
      { item: 'still.GIF', code: 'unsupported', message: 'still.GIF is a GIF image; Roundtrip imports JPEG, PNG and WebP only.' },
    ]);
  });
});
