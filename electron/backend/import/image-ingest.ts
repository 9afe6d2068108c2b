/**
 * Adds new images to a dataset in batches: probe (and thumbnail) a batch with a small
 * concurrency, then insert its rows, references and thumbnails in one transaction. A crash
 * loses at most the batch in flight; existing rows are never modified or deleted.
 */
import { join } from 'node:path';
import { ApiError, ErrorCode } from '../../../shared/contract/errors.js';
import { MAX_REFERENCES_PER_IMAGE } from '../../../shared/contract/limits.js';
import type { Project } from '../../storage/project.js';
import type { DatasetRecord } from '../../storage/repos/datasets-repo.js';
import type { ReportBuilder } from './import-report.js';
import { mapPool } from './map-pool.js';
import { probeImage, type ProbedImage } from './probe-image.js';
import { writeThumbnailSync } from './thumbnail.js';

export interface NewReference {
  text: string;
  externalId: number | null;
}

export interface NewImageItem {
  /** POSIX path relative to the dataset root. */
  relPath: string;
  externalId: number | null;
  references: NewReference[];
}

export interface IngestOptions {
  maxPixels?: number;
  /** Images decoded at once; two suits the two-core machines this runs on. */
  concurrency?: number;
  /** Cancels the import: no further file is read, and the batch in flight is not saved. */
  signal?: AbortSignal;
}

export const BATCH_SIZE = 200;

export class ImageIngest {
  constructor(
    private readonly project: Project,
    private readonly dataset: DatasetRecord,
    private readonly report: ReportBuilder,
    private readonly options: IngestOptions = {},
  ) {}

  /** Probes and stores `items`; bad files become problems named by their relative path. */
  async addBatch(items: NewImageItem[], onProbed: () => void = () => {}): Promise<void> {
    const { signal } = this.options;
    const probes = await mapPool(
      items,
      this.options.concurrency ?? 2,
      async (item) => {
        const result = await probeImage(join(this.dataset.rootPath, item.relPath), {
          name: item.relPath,
          ...(this.options.maxPixels === undefined ? {} : { maxPixels: this.options.maxPixels }),
          ...(signal ? { signal } : {}),
        });
        onProbed();
        return result;
      },
      signal,
    );
    try {
      this.project.db.transaction(() => {
        items.forEach((item, index) => {
          const probe = probes[index]!;
          if (probe.ok) this.insert(item, probe);
          else this.report.problem(item.relPath, probe.code, probe.message);
        });
      })();
    } catch (error) {
      throw new ApiError(
        ErrorCode.Io,
        `Import stopped while saving images to the project: ${(error as Error).message}. Images saved before this batch are kept; re-run the import to continue.`,
      );
    }
  }

  /**
   * Adds references to an image (new or already in the project); returns how many were new. An
   * image keeps at most MAX_REFERENCES_PER_IMAGE; the rest are reported once for the image.
   * `stored`: how many it holds already (0 for an image just inserted, which saves a query per image).
   */
  addReferences(imageId: number, references: NewReference[], item: string, stored = this.project.references.countForImage(imageId)): number {
    let room = MAX_REFERENCES_PER_IMAGE - stored;
    let added = 0;
    let refused = 0;
    for (const ref of references) {
      if (room <= 0) {
        // Only a reference that would be new counts as refused; one already stored is not lost.
        if (!this.project.references.has(imageId, ref.text, ref.externalId)) refused++;
        continue;
      }
      if (this.project.references.add(imageId, ref.text, ref.externalId)) {
        added++;
        room--;
      }
    }
    if (refused > 0) {
      this.report.problem(
        item,
        'too-large',
        `${item}: ${refused.toLocaleString('en-US')} reference caption(s) not imported; an image keeps at most ${MAX_REFERENCES_PER_IMAGE} references.`,
      );
    }
    return added;
  }

  private insert(item: NewImageItem, probe: ProbedImage): void {
    // Another import of the same folder may have stored it since this batch was planned.
    if (this.project.images.findByRelPath(this.dataset.id, item.relPath)) {
      this.report.alreadyPresent++;
      return;
    }
    if (item.externalId !== null && this.project.images.findByExternalId(this.dataset.id, item.externalId) !== undefined) {
      this.report.problem(item.relPath, 'duplicate-id', `${item.relPath}: image id ${item.externalId} is already in the project for another file.`);
      return;
    }
    const imageId = this.project.images.insert({
      datasetId: this.dataset.id,
      externalId: item.externalId,
      relPath: item.relPath,
      sha256: probe.sha256,
      bytes: probe.bytes,
      identity: probe.identity,
      width: probe.width,
      height: probe.height,
    });
    this.report.references += this.addReferences(imageId, item.references, item.relPath, 0);
    // Inside the transaction: if the write fails, the row goes too. If the commit failed after
    // it, the orphan thumbnail is overwritten when its id is next used.
    writeThumbnailSync(this.project.assetsDir, imageId, probe.thumbnail);
    this.report.imported++;
  }
}
