/** Projects and exports for the export tests: real image files, synthetic runs, one call per export. */
import { join } from 'node:path';
import { ExportRequestSchema, type ExportRequestInput, type ExportResult } from '../../../shared/contract/export-schemas.js';
import { Project } from '../../storage/project.js';
import { noiseImage, tempDir, writeFiles } from '../import/test-images.js';
import { runExport, type ExportOptions } from './export-service.js';

export function projectTracker(): { create(): Project; disposeAll(): void } {
  const projects: Project[] = [];
  return {
    create() {
      const project = Project.create(join(tempDir('export-proj'), 'p'));
      projects.push(project);
      return project;
    },
    disposeAll() {
      projects.splice(0).forEach((p) => p.dispose());
    },
  };
}

export const exportAs = (project: Project, request: ExportRequestInput, options?: ExportOptions): Promise<ExportResult> =>
  runExport(project, ExportRequestSchema.parse(request), options);

/**
 * A folder dataset: `a.png` (two sidecar captions), `sub/b.jpg` (one metadata.jsonl caption),
 * `c.webp` (no caption). Returns the folder.
 */
export async function captionedFolder(name = 'photos'): Promise<string> {
  const root = join(tempDir('export-src'), name);
  writeFiles(root, {
    'a.png': await noiseImage('png', 24, 16, 1),
    'a.txt': 'a noisy png\na second caption\n',
    'sub/b.jpg': await noiseImage('jpeg', 20, 30, 2),
    'metadata.jsonl': '{"file_name": "sub/b.jpg", "text": "a jpeg in a folder"}\n',
    'c.webp': await noiseImage('webp', 16, 16, 3),
  });
  return root;
}

/** The image ids of a dataset by file name. */
export function idsByName(project: Project, datasetId: number): Record<string, number> {
  const { items } = project.images.list({ offset: 0, limit: 1000, datasetId });
  return Object.fromEntries(items.map((i) => [i.fileName, i.id]));
}

/** Each image of a dataset with its reference texts, by file name. */
export function referencesByName(project: Project, datasetId: number): Record<string, string[]> {
  const { items } = project.images.list({ offset: 0, limit: 1000, datasetId });
  return Object.fromEntries(items.map((i) => [i.fileName, project.references.forImage(i.id).map((r) => r.text)]));
}
