/**
 * What the folder formats (hf-imagefolder, sidecar-txt) share: a file per exported image placed
 * in the folder (linked or copied), a JSONL file with a line per image, and roundtrip-export.json
 * (what the export is: filters, counts, the runs its captions came from). A check pass (blank
 * captions, source files present) runs over every page before the folder is built, and the
 * folder replaces the target only when complete (atomic-folder.ts).
 */
import { join } from 'node:path';
import type { ExportImage } from '../../storage/repos/export-source-repo.js';
import { ErrorCode } from '../../../shared/contract/errors.js';
import { mapPool } from '../import/map-pool.js';
import { EXPORT_MARKER, writeFolderAtomically } from '../../files/atomic-folder.js';
import { openChunkWriter } from './chunk-writer.js';
import type { CaptionPicker, ExportCaption } from './export-captions.js';
import { checkCaptionText, checkFilesExist, ExportProblems, refuseEmpty } from './export-checks.js';
import { describeImage, type ExportContext, type ExportCounts, type ExportPage } from './export-context.js';
import { exportInfo } from './export-info.js';
import { ImagePlacer, pathInside, type ExportNames } from './image-placement.js';
import { exportFolderKind, refuseProtectedTarget } from './export-target.js';

export interface FolderItem {
  /** The project image the item is about (for ids and messages). */
  image: ExportImage;
  /** POSIX path of the file inside the export. */
  name: string;
  /** Absolute path of the file to place there. */
  file: string;
  captions: ExportCaption[];
  /** The item's JSONL line. */
  line: Record<string, unknown>;
}

export interface FolderSpec {
  /** The page's items, and how many images of the page were left out for want of a caption. */
  items(page: ExportPage): { items: FolderItem[]; withoutCaption: number };
  /** The JSONL file with one line per item (metadata.jsonl, roundtrip-provenance.jsonl). */
  linesFile: string;
  /** Why nothing would be written, when the generic reason (no images, no captions) is not it. */
  empty?(): string;
  /** Checks of the format's own, before anything is written. */
  check?(item: FolderItem, problems: ExportProblems): void;
  /** Writes what goes beside an item's image (a sidecar); returns the number of files written. */
  beside?(folder: string, item: FolderItem): Promise<number>;
}

export async function writeImageFolder(ctx: ExportContext, spec: FolderSpec): Promise<ExportCounts> {
  const problems = new ExportProblems();
  let ticker = ctx.ticker('checking');
  let writing = 0;
  for await (const page of ctx.pages()) {
    const { items } = spec.items(page);
    writing += items.length;
    for (const item of items) {
      for (const c of item.captions) checkCaptionText(ctx, problems, c.text, item.image);
      checkInside(problems, item.name, item.image);
      spec.check?.(item, problems);
    }
    await checkFilesExist(problems, items.map(({ file, image }) => ({ file, image })));
    ticker.tick(page.images.length);
  }
  ticker.finish();
  problems.throwIfAny();
  refuseEmpty(ctx, writing, spec.empty?.());

  const counts: ExportCounts = { images: 0, captions: 0, files: 0, withoutCaption: 0 };
  await writeFolderAtomically(ctx.out, async (folder) => {
    const placer = new ImagePlacer(folder, ctx.request.linkImages);
    const lines = openChunkWriter(join(folder, spec.linesFile));
    ticker = ctx.ticker('writing');
    try {
      for await (const page of ctx.pages()) {
        const { items, withoutCaption } = spec.items(page);
        const written = await mapPool(items, 8, async (item) => {
          await placer.place(item.file, item.name, item.image);
          return 1 + ((await spec.beside?.(folder, item)) ?? 0);
        });
        if (items.length) await lines.write(items.map((item) => `${JSON.stringify(item.line)}\n`).join(''));
        for (const item of items) for (const c of item.captions) ctx.runs.note(c.provenance);
        counts.images += items.length;
        counts.captions += items.reduce((n, item) => n + item.captions.length, 0);
        counts.files += written.reduce((a, b) => a + b, 0);
        counts.withoutCaption += withoutCaption;
        ticker.tick(page.images.length);
      }
    } finally {
      await lines.close();
    }
    ticker.finish();
    const marker = openChunkWriter(join(folder, EXPORT_MARKER));
    await marker.write(`${JSON.stringify({ ...exportInfo(ctx), counts, runs: ctx.runs.list() }, null, 2)}\n`);
    await marker.close();
  }, { guard: () => refuseProtectedTarget(ctx.project, ctx.out), kind: exportFolderKind(ctx.project) });
  return counts;
}

/** A name stored in the project that would leave the export folder (`../x.png`), as a problem found before writing. */
export function checkInside(problems: ExportProblems, name: string, image: ExportImage): void {
  try {
    pathInside('/export', name, image);
  } catch {
    problems.add(ErrorCode.InvalidInput, 'image paths would leave the export folder', `${name} (${describeImage(image)})`, 'fix or remove those images');
  }
}

/**
 * The folder items of a page for a captioner set (hf-imagefolder, sidecar-txt): each image the
 * picker keeps, under its export name; images without a caption are counted and left out unless
 * --allow-empty. `make` builds the item of one image.
 */
export function captionedItems(
  ctx: ExportContext,
  page: ExportPage,
  picker: CaptionPicker,
  names: ExportNames,
  make: (image: ExportImage, captions: ExportCaption[], name: string) => FolderItem,
): { items: FolderItem[]; withoutCaption: number } {
  const items: FolderItem[] = [];
  let withoutCaption = 0;
  for (const image of page.images) {
    const captions = picker.captionsFor(image, page.references.get(image.id) ?? []);
    if (!captions) continue;
    if (captions.length === 0 && !ctx.request.allowEmpty) {
      withoutCaption++;
      continue;
    }
    items.push(make(image, captions, names.of(image)));
  }
  return { items, withoutCaption };
}

