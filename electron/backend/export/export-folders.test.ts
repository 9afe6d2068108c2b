/**
 * Folder exports re-import through the folder importer with the same captions (issue 8,
 * acceptance 1): hf-imagefolder through metadata.jsonl, sidecar-txt through the .txt sidecars.
 */
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { importFolder } from '../import/import-folder.js';
import { tempDir } from '../import/test-images.js';
import { EXPORT_MARKER } from '../../files/atomic-folder.js';
import { captionedFolder, exportAs, idsByName, projectTracker, referencesByName } from './export-test-support.js';

const projects = projectTracker();
afterEach(() => projects.disposeAll());

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const jsonl = (file: string) => readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);

async function decidedProject() {
  const project = projects.create();
  const source = await captionedFolder();
  const { datasetId } = await importFolder(project, source);
  const ids = idsByName(project, datasetId);
  const second = project.references.forImage(ids['a.png']!)[1]!;
  project.decisions.record({ imageId: ids['a.png']!, actor: 'ann', action: 'accept', finalText: second.text, referenceId: second.id, candidateId: null });
  project.decisions.record({ imageId: ids['sub/b.jpg']!, actor: 'bob', action: 'edit', finalText: 'an edited jpeg caption', referenceId: null, candidateId: null });
  return { project, source, datasetId };
}

describe('hf-imagefolder export', () => {
  it('writes images and metadata.jsonl that re-import with the same captions', async () => {
    const { project, source } = await decidedProject();
    const out = join(tempDir('export-out'), 'hf');
    const result = await exportAs(project, { format: 'hf-imagefolder', out });
    expect(result).toMatchObject({ format: 'hf-imagefolder', path: out, images: 2, captions: 2, files: 2, withoutCaption: 1 });

    expect(readdirSync(out).sort()).toEqual(['a.png', 'metadata.jsonl', EXPORT_MARKER, 'sub']);
    expect(sha(join(out, 'sub', 'b.jpg'))).toBe(sha(join(source, 'sub', 'b.jpg')));
    // Copies by default: rewriting an exported image must not change the source.
    expect(statSync(join(out, 'a.png')).ino).not.toBe(statSync(join(source, 'a.png')).ino);
    expect(jsonl(join(out, 'metadata.jsonl'))).toEqual([
      { file_name: 'a.png', text: 'a second caption', image_id: expect.any(Number), caption_source: 'accepted', decided_by: 'ann', run_id: null },
      { file_name: 'sub/b.jpg', text: 'an edited jpeg caption', image_id: expect.any(Number), caption_source: 'edited', decided_by: 'bob', run_id: null },
    ]);
    expect(JSON.parse(readFileSync(join(out, EXPORT_MARKER), 'utf8'))).toMatchObject({ format: 'hf-imagefolder', counts: { images: 2 }, runs: [] });

    const again = projects.create();
    const report = await importFolder(again, out);
    expect(report).toMatchObject({ imported: 2, problems: [] });
    expect(referencesByName(again, report.datasetId)).toEqual({ 'a.png': ['a second caption'], 'sub/b.jpg': ['an edited jpeg caption'] });
    writeFileSync(join(out, 'a.png'), 'rewritten by a trainer');
    expect(sha(join(source, 'a.png'))).not.toBe(sha(join(out, 'a.png')));
  });

  it('symlinks, copies or hard-links on request, and with --allow-empty keeps images without a caption', async () => {
    const { project, source } = await decidedProject();
    const out = join(tempDir('export-out'), 'hf');
    await exportAs(project, { format: 'hf-imagefolder', out, linkImages: 'symlink', allowEmpty: true, captions: 'references', includeReferences: true });
    expect(lstatSync(join(out, 'a.png')).isSymbolicLink()).toBe(true);
    const lines = jsonl(join(out, 'metadata.jsonl'));
    expect(lines.map((l) => [l.file_name, l.text, l.caption_source, l.references])).toEqual([
      ['a.png', 'a noisy png', 'reference', ['a noisy png', 'a second caption']],
      ['c.webp', '', null, []],
      ['sub/b.jpg', 'a jpeg in a folder', 'reference', ['a jpeg in a folder']],
    ]);
    await exportAs(project, { format: 'hf-imagefolder', out, linkImages: 'copy' });
    expect(lstatSync(join(out, 'a.png')).isSymbolicLink()).toBe(false);
    expect(statSync(join(out, 'a.png')).ino).not.toBe(statSync(join(source, 'a.png')).ino);
    expect(sha(join(out, 'a.png'))).toBe(sha(join(source, 'a.png')));
    // Hard links only when asked for: the same file, no copy.
    await exportAs(project, { format: 'hf-imagefolder', out, linkImages: 'hardlink' });
    expect(statSync(join(out, 'a.png')).ino).toBe(statSync(join(source, 'a.png')).ino);
  });
});

describe('sidecar-txt export', () => {
  it('writes each image with a .txt beside it that re-imports with the same captions', async () => {
    const { project } = await decidedProject();
    const out = join(tempDir('export-out'), 'kohya');
    const result = await exportAs(project, { format: 'sidecar-txt', out, includeReferences: true });
    expect(result).toMatchObject({ images: 2, captions: 4, files: 4, withoutCaption: 1 });
    // The decided caption first (what kohya trains on), then the other references.
    expect(readFileSync(join(out, 'a.txt'), 'utf8')).toBe('a second caption\na noisy png\n');
    expect(readFileSync(join(out, 'sub', 'b.txt'), 'utf8')).toBe('an edited jpeg caption\na jpeg in a folder\n');
    expect(jsonl(join(out, 'roundtrip-provenance.jsonl'))[0]).toMatchObject({ file_name: 'a.png', captions: [{ source: 'accepted', by: 'ann' }, { source: 'reference' }] });

    const again = projects.create();
    const report = await importFolder(again, out);
    expect(report).toMatchObject({ imported: 2, problems: [] });
    expect(referencesByName(again, report.datasetId)).toEqual({
      'a.png': ['a second caption', 'a noisy png'],
      'sub/b.jpg': ['an edited jpeg caption', 'a jpeg in a folder'],
    });
  });

  it('puts each dataset in its own folder when several are exported, and filters by status', async () => {
    const project = projects.create();
    const one = await importFolder(project, await captionedFolder('train'));
    await importFolder(project, await captionedFolder('train'));
    const out = join(tempDir('export-out'), 'kohya');
    await exportAs(project, { format: 'sidecar-txt', out });
    expect(readdirSync(out).sort()).toEqual([EXPORT_MARKER, 'roundtrip-provenance.jsonl', `train-${one.datasetId}`, `train-${one.datasetId + 1}`].sort());
    expect(readFileSync(join(out, `train-${one.datasetId}`, 'a.txt'), 'utf8')).toBe('a noisy png\na second caption\n');

    const ids = idsByName(project, one.datasetId);
    project.decisions.record({ imageId: ids['c.webp']!, actor: 'ann', action: 'edit', finalText: 'now captioned', referenceId: null, candidateId: null });
    const decided = await exportAs(project, { format: 'sidecar-txt', out, statuses: ['accepted', 'edited'] });
    expect(decided).toMatchObject({ images: 1, captions: 1 });
    expect(readdirSync(out).sort()).toEqual(['c.txt', 'c.webp', EXPORT_MARKER, 'roundtrip-provenance.jsonl']);
  });

  it('refuses images that would share a caption file, and a target folder that is not an export', async () => {
    const project = projects.create();
    const source = await captionedFolder();
    writeFileSync(join(source, 'a.jpg'), readFileSync(join(source, 'sub', 'b.jpg')));
    await importFolder(project, source);
    const out = join(tempDir('export-out'), 'kohya');
    await expect(exportAs(project, { format: 'sidecar-txt', out })).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('a.png → a.txt') });

    const precious = join(tempDir('export-out'), 'precious');
    mkdirSync(precious);
    writeFileSync(join(precious, 'thesis.tex'), 'do not delete');
    await expect(exportAs(project, { format: 'hf-imagefolder', out: precious })).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('not a Roundtrip export') });
    expect(readdirSync(precious)).toEqual(['thesis.tex']);
  });
});
