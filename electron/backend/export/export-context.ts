/**
 * What every export format works from: the request, the images it covers (read in pages), the
 * ids images get in exported files, progress, and the runs its captions came from.
 *
 * Exported image ids are stable across exports of one project, whatever their filters: an
 * image's id in its source dataset when it has one, else the largest such id in the project plus
 * its internal id. So a coco-results file lines up with a coco-captions file of the same project
 * even when one was filtered by split or status and the other not.
 */
import { join } from 'node:path';
import type { ExportRequest } from '../../../shared/contract/export-schemas.js';
import type { Project } from '../../storage/project.js';
import { ExportSourceRepo, type ExportImage, type ExportReference, type ExportScope } from '../../storage/repos/export-source-repo.js';
import { ProgressTicker, type ProgressFn } from '../import/progress.js';
import { RunsSeen } from './provenance.js';

export interface ExportPage {
  images: ExportImage[];
  references: Map<number, ExportReference[]>;
}

export interface ExportCounts {
  images: number;
  captions: number;
  files: number;
  withoutCaption: number;
}

export class ExportContext {
  readonly source: ExportSourceRepo;
  readonly runs: RunsSeen;
  /** Images in scope when the export started. */
  readonly total: number;
  private readonly idOffset: number;

  constructor(
    readonly project: Project,
    readonly request: ExportRequest,
    /** Absolute output path. */
    readonly out: string,
    readonly scope: ExportScope,
    private readonly options: { onProgress?: ProgressFn | undefined; pageSize?: number | undefined } = {},
  ) {
    this.source = new ExportSourceRepo(project.db);
    this.runs = new RunsSeen(project);
    this.total = this.source.count(scope);
    this.idOffset = this.source.maxExternalImageId();
  }

  /** The image's id in exported files (see the file comment). */
  imageId(image: ExportImage): number {
    return image.externalId ?? this.idOffset + image.id;
  }

  /** Absolute path of the source image file. */
  imageFile(image: ExportImage): string {
    return join(image.rootPath, image.relPath);
  }

  ticker(phase: string, total = this.total): ProgressTicker {
    return new ProgressTicker(this.options.onProgress, phase, total, 500).start();
  }

  /**
   * The images in scope in id order, a page at a time with their references (unless a format
   * needs none), yielding to the event loop between pages so the app stays responsive. No
   * statement stays open across the await, so other writes (an annotator's decision) go through.
   */
  async *pages(scope: ExportScope = this.scope, { references = true } = {}): AsyncGenerator<ExportPage> {
    const size = this.options.pageSize ?? 500;
    let after = 0;
    for (;;) {
      const images = this.source.page(scope, after, size);
      if (images.length === 0) return;
      yield { images, references: references ? this.source.references(images.map((i) => i.id)) : new Map() };
      after = images[images.length - 1]!.id;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
}

/** `name.jpg in /data/train`, for messages. */
export const describeImage = (image: ExportImage): string => `${image.relPath} in ${image.rootPath}`;
