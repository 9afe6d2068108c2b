/**
 * Imports a folder of images (recursively) as a dataset, with reference captions from
 * kohya-style `.txt` sidecars and a root `metadata.jsonl`. Images already in the dataset are
 * counted and left alone, so re-running an import only adds what is new.
 */
import { realpath, stat } from 'node:fs/promises';
import { basename, join, posix, resolve } from 'node:path';
import { ApiError, ErrorCode } from '../../../shared/contract/errors.js';
import type { ImportReport } from '../../../shared/contract/schemas.js';
import type { Project } from '../../storage/project.js';
import { BATCH_SIZE, ImageIngest, type IngestOptions, type NewImageItem } from './image-ingest.js';
import { rethrowCancelled } from './import-cancel.js';
import { ReportBuilder } from './import-report.js';
import { mapPool } from './map-pool.js';
import { ProgressTicker, type ProgressFn } from './progress.js';
import { METADATA_FILE, readMetadataJsonl, readSidecar, sidecarPath } from './sidecar-captions.js';
import { walkFolder } from './walk-folder.js';

export interface ImportOptions extends IngestOptions {
  /** Includes a 'reading' phase (bytes of the COCO file) before 'importing' (images). */
  onProgress?: ProgressFn;
  /** Who started the import. Imports record no decisions, so this is kept for the job log only. */
  actor?: string;
}

export const IMAGE_EXTENSIONS = new Set(['.jpg', '.jpeg', '.png', '.webp']);
/**
 * Images in formats Roundtrip does not import. They are probed all the same, so the report names
 * each one and its format (issue 16: animated GIFs used to be skipped without a word).
 */
const REPORTED_EXTENSIONS = new Set(['.gif', '.bmp', '.tif', '.tiff', '.avif', '.heic', '.heif']);

export const isImageName = (relPath: string): boolean => IMAGE_EXTENSIONS.has(posix.extname(relPath).toLowerCase());

export async function importFolder(project: Project, folder: string, options: ImportOptions = {}): Promise<ImportReport> {
  const root = resolve(folder);
  await requireFolder(root);
  const report = new ReportBuilder();
  options.onProgress?.({ phase: 'scanning', done: 0, total: 0 });
  // A project kept inside the folder it imports must not import its own thumbnails.
  const walk = await walkFolder(root, { exclude: [await realpath(project.assetsDir)] });
  for (const { item, message } of walk.unreadable) report.problem(item, 'unreadable', message);
  const files = new Set(walk.files);
  const images = walk.files.filter((file) => isImageName(file) || REPORTED_EXTENSIONS.has(posix.extname(file).toLowerCase()));
  const { signal } = options;

  const metadata = files.has(METADATA_FILE)
    ? await readMetadataJsonl(join(root, METADATA_FILE), signal).catch((error: unknown) => rethrowCancelled(error, signal, report))
    : { captions: new Map<string, string[]>(), problems: [] };
  report.problems.push(...metadata.problems);
  const imageSet = new Set(images);
  for (const file of metadata.captions.keys()) {
    if (!imageSet.has(file)) report.problem(METADATA_FILE, 'missing-file', `${METADATA_FILE} names ${file}, which is not an image in the folder.`);
  }

  const dataset = project.datasets.ensure(root, basename(root), 'folder');
  const ingest = new ImageIngest(project, dataset, report, options);
  const ticker = new ProgressTicker(options.onProgress, 'importing', images.length).start();
  const captionsFor = async (relPath: string): Promise<NewImageItem> => {
    const texts = [...(metadata.captions.get(relPath) ?? [])];
    const sidecar = sidecarPath(relPath);
    if (files.has(sidecar)) {
      const read = await readSidecar(join(root, sidecar), sidecar, signal);
      if ('problem' in read) report.problems.push(read.problem);
      else {
        texts.push(...read.captions);
        report.problems.push(...read.problems);
      }
    }
    return { relPath, externalId: null, references: texts.map((text) => ({ text, externalId: null })) };
  };

  try {
    for (let start = 0; start < images.length; start += BATCH_SIZE) {
      signal?.throwIfAborted();
      await addBatch(images.slice(start, start + BATCH_SIZE));
    }
  } catch (error) {
    rethrowCancelled(error, signal, report);
  }
  ticker.finish();
  return report.build(dataset.id);

  async function addBatch(batch: string[]): Promise<void> {
    const fresh: string[] = [];
    for (const relPath of batch) {
      if (project.images.findByRelPath(dataset.id, relPath)) {
        report.alreadyPresent++;
        ticker.tick();
      } else {
        fresh.push(relPath);
      }
    }
    await ingest.addBatch(await mapPool(fresh, 4, captionsFor, signal), () => ticker.tick());
  }
}

/** Throws an ApiError a user can act on unless `root` is an existing folder. */
export async function requireFolder(root: string): Promise<void> {
  const info = await stat(root).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') throw new ApiError(ErrorCode.NotFound, `Folder ${root} does not exist.`);
    throw new ApiError(ErrorCode.Io, `Cannot open folder ${root}: ${error.message}`);
  });
  if (!info.isDirectory()) throw new ApiError(ErrorCode.InvalidInput, `${root} is a file, not a folder; choose the folder that holds the images.`);
}
