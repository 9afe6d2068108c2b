/**
 * Exports a COCO captions file ({info, licenses, images, annotations}). Image and annotation
 * ids from the source dataset are kept; items without one get ids after the largest in use.
 * `file_name` is the image's path relative to its dataset root, so the export plus the image
 * folder re-imports to the same ids, file names and captions.
 *
 * Three passes over the images, each read in pages (see ImagesRepo.page): check that the ids
 * are unique before anything is written, then stream the images, then the annotations, into a
 * temporary file that replaces the target only when complete.
 */
import { resolve } from 'node:path';
import { ApiError, ErrorCode } from '../../../shared/contract/errors.js';
import type { CaptionSource, ExportResult } from '../../../shared/contract/schemas.js';
import type { Project } from '../../storage/project.js';
import type { ImageRecord } from '../../storage/repos/images-repo.js';
import { ProgressTicker, type ProgressFn } from '../import/progress.js';
import { writeFileAtomically, type WriteChunk } from './atomic-file.js';
import { CaptionPicker } from './export-captions.js';

export interface CocoExportRequest {
  out: string;
  captions: CaptionSource;
  datasetId?: number | undefined;
}

export interface ExportOptions {
  onProgress?: ProgressFn;
  /** Images read per page; each page is one short synchronous read. */
  pageSize?: number;
}

interface Plan {
  images: number;
  annotations: number;
  nextImageId: number;
  nextAnnotationId: number;
  /** The newest image when the export started; images added during it are left out. */
  lastImageId: number;
}

export async function exportCoco(project: Project, request: CocoExportRequest, options: ExportOptions = {}): Promise<ExportResult> {
  const out = resolve(request.out);
  if (request.datasetId !== undefined && !project.datasets.get(request.datasetId)) {
    throw new ApiError(ErrorCode.NotFound, `There is no dataset ${request.datasetId} in this project.`);
  }
  const exporter = new CocoExporter(project, request, options);
  const plan = await exporter.plan();
  let written = { images: 0, annotations: 0 };
  await writeFileAtomically(out, async (write) => {
    written = await exporter.write(plan, write);
  });
  return { path: out, ...written };
}

class CocoExporter {
  private readonly picker: CaptionPicker;

  constructor(
    private readonly project: Project,
    private readonly request: CocoExportRequest,
    private readonly options: ExportOptions,
  ) {
    this.picker = new CaptionPicker(project, request.captions);
  }

  /** Checks that image and annotation ids are unique and works out where new ids start. */
  async plan(): Promise<Plan> {
    const imageIds = new Map<number, string>();
    const annotationIds = new Map<number, string>();
    let images = 0;
    let annotations = 0;
    let maxImageId = 0;
    let maxAnnotationId = this.project.references.maxExternalId();
    let lastImageId = 0;
    const total = this.request.datasetId === undefined ? this.project.images.count() : this.project.datasets.get(this.request.datasetId)!.imageCount;
    const ticker = new ProgressTicker(this.options.onProgress, 'checking', total, 500).start();
    for await (const page of this.pages(Number.MAX_SAFE_INTEGER)) {
      for (const image of page) {
        ticker.tick();
        lastImageId = image.id;
        const captions = this.picker.captionsFor(image);
        if (!captions) continue;
        images++;
        annotations += captions.length;
        if (image.externalId !== null) {
          claim(imageIds, image.externalId, describeImage(image), 'image');
          maxImageId = Math.max(maxImageId, image.externalId);
        }
        for (const caption of captions) {
          if (caption.externalId === null) continue;
          claim(annotationIds, caption.externalId, `a caption of ${describeImage(image)}`, 'annotation');
          maxAnnotationId = Math.max(maxAnnotationId, caption.externalId);
        }
      }
    }
    ticker.finish();
    return { images, annotations, nextImageId: maxImageId + 1, nextAnnotationId: maxAnnotationId + 1, lastImageId };
  }

  async write(plan: Plan, write: WriteChunk): Promise<{ images: number; annotations: number }> {
    const info = {
      description: `Exported from Roundtrip (captions: ${this.request.captions})`,
      version: '1.0',
      year: new Date().getFullYear(),
      contributor: 'Roundtrip',
      date_created: new Date().toISOString(),
    };
    await write(`{"info":${JSON.stringify(info)},"licenses":[],"images":[`);
    // Internal id → exported image id, for the annotations pass. Only images written here get
    // annotations, so every annotation's image is in the file.
    const exportedIds = new Map<number, number>();
    const used = new Set<number>();
    let nextImageId = plan.nextImageId;
    let ticker = new ProgressTicker(this.options.onProgress, 'writing images', plan.images).start();
    for await (const page of this.pages(plan.lastImageId)) {
      const lines: string[] = [];
      for (const image of page) {
        if (!this.picker.captionsFor(image)) continue;
        const id = image.externalId ?? nextImageId++;
        if (used.has(id)) throw conflict(`image id ${id} is used twice (${describeImage(image)}); the project changed during the export`);
        used.add(id);
        exportedIds.set(image.id, id);
        lines.push(JSON.stringify({ id, file_name: image.fileName, width: image.width, height: image.height }));
        ticker.tick();
      }
      if (lines.length) await write(`${exportedIds.size > lines.length ? ',' : ''}\n${lines.join(',\n')}`);
    }
    ticker.finish();

    await write('\n],"annotations":[');
    const usedAnnotations = new Set<number>();
    let nextAnnotationId = plan.nextAnnotationId;
    let annotations = 0;
    ticker = new ProgressTicker(this.options.onProgress, 'writing annotations', exportedIds.size).start();
    for await (const page of this.pages(plan.lastImageId)) {
      const lines: string[] = [];
      for (const image of page) {
        const imageId = exportedIds.get(image.id);
        if (imageId === undefined) continue;
        for (const caption of this.picker.captionsFor(image) ?? []) {
          const id = caption.externalId ?? nextAnnotationId++;
          if (usedAnnotations.has(id)) throw conflict(`annotation id ${id} is used twice (${describeImage(image)}); the project changed during the export`);
          usedAnnotations.add(id);
          lines.push(JSON.stringify({ id, image_id: imageId, caption: caption.text }));
        }
        ticker.tick();
      }
      if (lines.length) await write(`${annotations > 0 ? ',' : ''}\n${lines.join(',\n')}`);
      annotations += lines.length;
    }
    ticker.finish();
    await write('\n]}\n');
    return { images: exportedIds.size, annotations };
  }

  /**
   * Pages of images up to `lastId`, yielding to the event loop between pages so the app stays
   * responsive. No statement stays open across the await, so other writes are never blocked.
   */
  private async *pages(lastId: number): AsyncGenerator<ImageRecord[]> {
    const size = this.options.pageSize ?? 500;
    let after = 0;
    for (;;) {
      const page = this.project.images.page(after, size, this.request.datasetId).filter((image) => image.id <= lastId);
      if (page.length === 0) return;
      yield page;
      after = page[page.length - 1]!.id;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
}

function claim(ids: Map<number, string>, id: number, owner: string, kind: 'image' | 'annotation'): void {
  const first = ids.get(id);
  if (first !== undefined) {
    throw conflict(
      `${kind} id ${id} would be used twice: by ${first} and by ${owner}. Export one dataset at a time, or the dataset that holds both.`,
    );
  }
  ids.set(id, owner);
}

const describeImage = (image: ImageRecord): string => `${image.fileName} in ${image.rootPath}`;

const conflict = (problem: string): ApiError => new ApiError(ErrorCode.Conflict, `Cannot export COCO captions: ${problem}.`);
