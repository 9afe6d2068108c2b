import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../backend/import/test-images.js';
import { Project } from '../project.js';

const projects: Project[] = [];
afterEach(() => projects.splice(0).forEach((p) => p.dispose()));

describe('ExportsRepo', () => {
  it('records exports and lists them newest first, surviving a reopen', () => {
    const dir = join(tempDir('exports-repo'), 'p');
    const project = Project.create(dir);
    projects.push(project);
    const base = { actor: 'ann', startedAt: '2025-01-01T00:00:00.000Z', finishedAt: '2025-01-01T00:00:01.000Z', provenance: { runs: [] } };
    const first = project.exports.record({ ...base, format: 'coco-captions', path: '/x/a.json', filters: { statuses: ['accepted'] }, counts: { images: 2, captions: 3 } });
    const second = project.exports.record({ ...base, format: 'scores', path: '/x/s.csv', filters: {}, counts: { rows: 10 }, provenance: { runs: [{ id: 1 }] } });
    expect(first).toMatchObject({ id: 1, format: 'coco-captions', filters: { statuses: ['accepted'] }, counts: { images: 2, captions: 3 } });
    project.dispose();

    const reopened = Project.open(dir);
    projects.push(reopened);
    expect(reopened.exports.list().map((e) => [e.id, e.format, e.path])).toEqual([
      [second.id, 'scores', '/x/s.csv'],
      [first.id, 'coco-captions', '/x/a.json'],
    ]);
    expect(reopened.exports.get(second.id)?.provenance).toEqual({ runs: [{ id: 1 }] });
  });
});
