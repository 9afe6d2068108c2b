import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Project } from '../../storage/project.js';
import { importCoco } from '../import/import-coco.js';
import { importFolder } from '../import/import-folder.js';
import { noiseImage, tempDir, writeFiles } from '../import/test-images.js';
import { ExportRequestSchema, type ExportRequestInput } from '../../../shared/contract/export-schemas.js';
import { runExport, type ExportOptions } from './export-service.js';

const exportCoco = (project: Project, request: Omit<ExportRequestInput, 'format'>, options?: ExportOptions) =>
  runExport(project, ExportRequestSchema.parse({ format: 'coco-captions', ...request }), options);

const projects: Project[] = [];
afterEach(() => projects.splice(0).forEach((p) => p.dispose()));
const newProject = (): Project => {
  const project = Project.create(join(tempDir('proj'), 'p'));
  projects.push(project);
  return project;
};

interface Coco {
  info: Record<string, unknown>;
  licenses: unknown[];
  images: { id: number; file_name: string; width: number; height: number }[];
  annotations: { id: number; image_id: number; caption: string; provenance?: unknown }[];
}
const readCoco = (file: string): Coco => JSON.parse(readFileSync(file, 'utf8')) as Coco;
const byId = <T extends { id: number }>(items: T[]): T[] => [...items].sort((a, b) => a.id - b.id);

const ORIGINAL_IMAGES = [
  { id: 5, file_name: '1.jpg', width: 40, height: 30 },
  { id: 9, file_name: 'sub/2.png', width: 20, height: 10 },
  { id: 2, file_name: '3.webp', width: 16, height: 16 },
];
const ORIGINAL_ANNOTATIONS = [
  { id: 205, image_id: 9, caption: 'a png, deep down' },
  { id: 100, image_id: 5, caption: 'one' },
  { id: 7, image_id: 2, caption: 'a small webp' },
  { id: 101, image_id: 5, caption: 'uno ' },
];

async function cocoDataset(): Promise<{ dir: string; images: string; file: string }> {
  const dir = tempDir('coco');
  const images = join(dir, 'images');
  writeFiles(images, {
    '1.jpg': await noiseImage('jpeg', 40, 30, 1),
    'sub/2.png': await noiseImage('png', 20, 10, 2),
    '3.webp': await noiseImage('webp', 16, 16, 3),
  });
  const file = join(dir, 'captions.json');
  writeFileSync(file, JSON.stringify({ images: ORIGINAL_IMAGES, annotations: ORIGINAL_ANNOTATIONS }));
  return { dir, images, file };
}

describe('exportCoco', () => {
  it('round-trips: import, decide, export, re-import into a new project', async () => {
    const { dir, images, file } = await cocoDataset();
    const a = newProject();
    const { datasetId } = await importCoco(a, file, images);
    const five = a.images.findByExternalId(datasetId, 5)!;
    const nine = a.images.findByExternalId(datasetId, 9)!;
    const uno = a.references.forImage(five).find((r) => r.externalId === 101)!;
    a.decisions.record({ imageId: five, actor: 'ann', action: 'accept', finalText: uno.text, referenceId: uno.id, candidateId: null });
    a.decisions.record({ imageId: nine, actor: 'ann', action: 'edit', finalText: 'an edited caption', referenceId: null, candidateId: null });

    const out = join(dir, 'export.json');
    const progress: string[] = [];
    const result = await exportCoco(a, { out, captions: 'prefer-decided' }, { onProgress: (p) => progress.push(p.phase) });
    expect(result).toMatchObject({ format: 'coco-captions', path: out, images: 3, captions: 3, withoutCaption: 0 });
    expect(progress).toEqual(expect.arrayContaining(['checking', 'writing images', 'writing annotations']));
    const exported = readCoco(out);
    expect(exported.licenses).toEqual([]);
    expect(exported.images).toEqual(ORIGINAL_IMAGES);
    // Decided captions say who decided them and when; references carry nothing extra.
    const decidedBy = { by: 'ann', at: expect.any(String) };
    expect(exported.annotations).toEqual([
      { id: 101, image_id: 5, caption: 'uno ', provenance: { source: 'accepted', ...decidedBy } },
      { id: 206, image_id: 9, caption: 'an edited caption', provenance: { source: 'edited', ...decidedBy } },
      { id: 7, image_id: 2, caption: 'a small webp' },
    ]);
    expect(a.exports.list()[0]).toMatchObject({ format: 'coco-captions', path: out, counts: { images: 3, captions: 3 }, filters: { captions: 'prefer-decided' } });

    const b = newProject();
    const report = await importCoco(b, out, images);
    expect(report).toMatchObject({ imported: 3, references: 3, problems: [] });
    const reimported = b.images.list({ offset: 0, limit: 10 }).items;
    expect(reimported.map((i) => [i.externalId, i.fileName, i.width, i.height])).toEqual(ORIGINAL_IMAGES.map((i) => [i.id, i.file_name, i.width, i.height]));
    expect(b.references.forImage(b.images.findByExternalId(report.datasetId, 9)!).map((r) => [r.externalId, r.text])).toEqual([
      [206, 'an edited caption'],
    ]);

    const references = join(dir, 'references.json');
    expect(await exportCoco(a, { out: references, captions: 'references' })).toMatchObject({ images: 3, captions: 4 });
    const original = readCoco(references);
    expect(byId(original.images)).toEqual(byId(ORIGINAL_IMAGES));
    expect(byId(original.annotations)).toEqual(byId(ORIGINAL_ANNOTATIONS));

    const decided = join(dir, 'decided.json');
    expect(await exportCoco(a, { out: decided, captions: 'decided-only', datasetId })).toMatchObject({ images: 2, captions: 2 });
    expect(readCoco(decided).images.map((i) => i.id)).toEqual([5, 9]);
  });

  it('numbers images without ids after the largest in use (by internal id, so stable across exports), captions likewise, and refuses clashing ids', async () => {
    const { dir, images, file } = await cocoDataset();
    const folder = join(dir, 'plain');
    writeFiles(folder, { 'x.png': await noiseImage('png', 8, 8, 4), 'x.txt': 'plain caption', 'y.png': await noiseImage('png', 8, 8, 5) });
    const p = newProject();
    await importCoco(p, file, images);
    const plain = await importFolder(p, folder);

    const out = join(dir, 'all.json');
    expect(await exportCoco(p, { out, captions: 'prefer-decided' })).toMatchObject({ images: 5, captions: 5, withoutCaption: 1 });
    const all = readCoco(out);
    // Largest COCO id 9, plus internal ids 4 and 5.
    // Paths relative to the folder holding both datasets: images/…, plain/….
    expect(all.images.map((i) => i.file_name)).toEqual(['images/1.jpg', 'images/sub/2.png', 'images/3.webp', 'plain/x.png', 'plain/y.png']);
    expect(all.images.slice(3).map((i) => [i.id, i.file_name])).toEqual([
      [13, 'plain/x.png'],
      [14, 'plain/y.png'],
    ]);
    expect(all.annotations.at(-1)).toEqual({ id: 206, image_id: 13, caption: 'plain caption' });

    // A second copy of the COCO dataset elsewhere clashes with the first when exporting everything.
    const copy = await cocoDataset();
    await importCoco(p, copy.file, copy.images);
    writeFileSync(out, 'previous export');
    const error = await exportCoco(p, { out, captions: 'references' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/image id 2 would be used twice: by 3\.webp in .* and by 3\.webp in /) });
    expect(readFileSync(out, 'utf8')).toBe('previous export');
    const onlyPlain = await exportCoco(p, { out, captions: 'references', datasetId: plain.datasetId });
    expect(onlyPlain).toMatchObject({ images: 2, captions: 1 });
    expect(readCoco(out).images.map((i) => i.id)).toEqual([13, 14]);
    await expect(exportCoco(p, { out, captions: 'references', datasetId: 999 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('gives images of two datasets with the same file names distinct file_names, and re-imports them from the common folder', async () => {
    const dir = tempDir('two-datasets');
    for (const [split, seed] of [['train', 1], ['val', 2]] as const) {
      writeFiles(join(dir, split), { '1.png': await noiseImage('png', 8, 8, seed), '1.txt': `the ${split} one`, 'sub/2.png': await noiseImage('png', 8, 8, seed + 10), 'sub/2.txt': `the deep ${split} one` });
    }
    const p = newProject();
    await importFolder(p, join(dir, 'train'));
    await importFolder(p, join(dir, 'val'));
    const out = join(tempDir('two-out'), 'both.json');
    expect(await exportCoco(p, { out })).toMatchObject({ images: 4, captions: 4 });
    const both = readCoco(out);
    expect(both.images.map((i) => i.file_name)).toEqual(['train/1.png', 'train/sub/2.png', 'val/1.png', 'val/sub/2.png']);
    expect(new Set(both.images.map((i) => i.id)).size).toBe(4);
    expect(both.info).toMatchObject({ roundtrip: { image_root: dir } });

    const again = newProject();
    const report = await importCoco(again, out, dir);
    expect(report).toMatchObject({ imported: 4, references: 4, problems: [] });
    const texts = again.images.list({ offset: 0, limit: 10 }).items.map((i) => [i.fileName, again.references.forImage(i.id).map((r) => r.text)]);
    expect(texts).toEqual([
      ['train/1.png', ['the train one']],
      ['train/sub/2.png', ['the deep train one']],
      ['val/1.png', ['the val one']],
      ['val/sub/2.png', ['the deep val one']],
    ]);
  });

  it('writes annotations only for images in the file, even when a decision during the export brings another in', async () => {
    const { dir, images, file } = await cocoDataset();
    const p = newProject();
    const { datasetId } = await importCoco(p, file, images);
    const [five, nine] = [p.images.findByExternalId(datasetId, 5)!, p.images.findByExternalId(datasetId, 9)!];
    p.decisions.record({ imageId: five, actor: 'ann', action: 'edit', finalText: 'decided before', referenceId: null, candidateId: null });
    const out = join(dir, 'decided.json');
    const onProgress = ({ phase }: { phase: string }) => {
      if (phase === 'writing annotations' && p.decisions.current(nine) === null) {
        p.decisions.record({ imageId: nine, actor: 'ann', action: 'edit', finalText: 'decided during', referenceId: null, candidateId: null });
      }
    };
    expect(await exportCoco(p, { out, captions: 'decided-only' }, { onProgress })).toMatchObject({ images: 1, captions: 1 });
    const written = readCoco(out);
    expect(written.images.map((i) => i.id)).toEqual([5]);
    expect(written.annotations.map((a) => [a.image_id, a.caption])).toEqual([[5, 'decided before']]);
  });

  it('leaves the previous file byte-identical and no temporary file when the export fails midway', async () => {
    const { dir, images, file } = await cocoDataset();
    const p = newProject();
    await importCoco(p, file, images);
    const out = join(dir, 'out.json');
    // The previous file is an earlier export (anything else is not replaced at all).
    await exportCoco(p, { out, captions: 'references', statuses: ['undecided'] });
    const previous = readFileSync(out);
    const failure = new Error('disk vanished');
    const onProgress = ({ phase, done }: { phase: string; done: number }) => {
      if (phase === 'writing annotations' && done > 0) throw failure;
    };
    await expect(exportCoco(p, { out, captions: 'references' }, { onProgress, pageSize: 1 })).rejects.toBe(failure);
    expect(readFileSync(out).equals(previous)).toBe(true);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('streams a large project in pages without blocking other writes', async () => {
    const dir = tempDir('big');
    const p = newProject();
    const ds = p.datasets.ensure('/nowhere', 'nowhere', 'coco');
    const count = 10_000;
    p.db.transaction(() => {
      for (let i = 1; i <= count; i++) {
        const id = p.images.insert({ datasetId: ds.id, externalId: i, relPath: `${i}.jpg`, sha256: 'h', bytes: 1, width: 4, height: 3 });
        p.references.add(id, `caption ${i}`, 1000 + i);
      }
    })();
    const first = p.images.findByExternalId(ds.id, 1)!;
    let decided = false;
    const out = join(dir, 'big.json');
    const started = performance.now();
    const result = await exportCoco(p, { out, captions: 'references' }, {
      onProgress: ({ phase }) => {
        // Recording a decision mid-export works: no statement is left open across awaits.
        if (phase === 'writing images' && !decided) {
          p.decisions.record({ imageId: first, actor: 'ann', action: 'reject', finalText: null, referenceId: null, candidateId: null });
          decided = true;
        }
      },
    });
    const ms = performance.now() - started;
    expect(result).toMatchObject({ images: count, captions: count });
    expect(decided).toBe(true);
    const parsed = readCoco(out);
    expect(parsed.images).toHaveLength(count);
    expect(parsed.annotations[count - 1]).toEqual({ id: 1000 + count, image_id: count, caption: `caption ${count}` });
    expect(existsSync(out)).toBe(true);
    console.info(`exported ${count} images in ${Math.round(ms)} ms`);
  }, 60_000);
});
