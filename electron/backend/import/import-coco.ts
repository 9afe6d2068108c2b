/**
 * Imports a COCO captions file: the images it lists (found under `imagesDir`) become a dataset
 * keeping their COCO ids, and the annotations become reference captions keeping theirs.
 * Re-importing the same file adds nothing twice.
 */
import { basename, resolve } from 'node:path';
import type { ImportReport } from '../../../shared/contract/schemas.js';
import type { Project } from '../../storage/project.js';
import { planCocoImport, type CocoImagePlan } from './coco-plan.js';
import { readCocoFile } from './coco-schema.js';
import { BATCH_SIZE, ImageIngest } from './image-ingest.js';
import { requireFolder, type ImportOptions } from './import-folder.js';
import { rethrowCancelled } from './import-cancel.js';
import { ReportBuilder } from './import-report.js';
import { ProgressTicker } from './progress.js';

export async function importCoco(project: Project, file: string, imagesDir: string, options: ImportOptions = {}): Promise<ImportReport> {
  const path = resolve(file);
  const root = resolve(imagesDir);
  const { signal } = options;
  const report = new ReportBuilder();
  const data = await readCocoFile(path, {
    ...(signal ? { signal } : {}),
    onProgress: (done, total) => options.onProgress?.({ phase: 'reading', done, total }),
  }).catch((error: unknown) => rethrowCancelled(error, signal, report));
  await requireFolder(root);
  const plan = planCocoImport(data, report);

  const dataset = project.datasets.ensure(root, basename(root), 'coco');
  const ingest = new ImageIngest(project, dataset, report, options);
  const ticker = new ProgressTicker(options.onProgress, 'importing', plan.length).start();
  try {
    await addAll(project, dataset.id, plan, ingest, ticker, report, signal);
  } catch (error) {
    rethrowCancelled(error, signal, report);
  }
  ticker.finish();
  return report.build(dataset.id);
}

async function addAll(
  project: Project,
  datasetId: number,
  plan: CocoImagePlan[],
  ingest: ImageIngest,
  ticker: ProgressTicker,
  report: ReportBuilder,
  signal: AbortSignal | undefined,
): Promise<void> {
  for (let start = 0; start < plan.length; start += BATCH_SIZE) {
    const fresh: CocoImagePlan[] = [];
    const known: { imageId: number; plan: CocoImagePlan }[] = [];
    signal?.throwIfAborted();
    for (const image of plan.slice(start, start + BATCH_SIZE)) {
      const existing = findExisting(project, datasetId, image);
      if (existing === null) {
        fresh.push(image);
        continue;
      }
      ticker.tick();
      if (typeof existing === 'string') report.problem(image.relPath, 'duplicate-id', existing);
      else known.push({ imageId: existing, plan: image });
    }
    // Images already imported keep their rows; only annotations they lack are added.
    project.db.transaction(() => {
      for (const { imageId, plan: image } of known) {
        report.alreadyPresent++;
        report.references += ingest.addReferences(imageId, image.references, image.relPath);
      }
    })();
    await ingest.addBatch(fresh, () => ticker.tick());
  }
}

/** The id of the same image already in the dataset, null if it is new, or why it conflicts. */
function findExisting(project: Project, datasetId: number, image: CocoImagePlan): number | string | null {
  const byPath = project.images.findByRelPath(datasetId, image.relPath);
  const byId = project.images.findByExternalId(datasetId, image.externalId);
  if (byId !== undefined && byId !== byPath?.id) {
    return `${image.relPath}: image id ${image.externalId} is already in the project for another file.`;
  }
  if (byPath && byPath.externalId !== null && byPath.externalId !== image.externalId) {
    return `${image.relPath}: already in the project as image id ${byPath.externalId}, not ${image.externalId}.`;
  }
  // An image imported from the same folder without an id takes the annotations as they are.
  return byPath ? byPath.id : null;
}
