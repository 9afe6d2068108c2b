/**
 * `karpathy`: a folder of split files in the layout BLIP's captioning finetuning reads
 * (salesforce/BLIP data/coco_karpathy_dataset.py):
 *   coco_karpathy_train.json  [{"caption", "image", "image_id"}, …]  one entry per caption
 *   coco_karpathy_val.json    [{"image", "caption": [...], "image_id"}, …]  one entry per image
 *   coco_karpathy_test.json   likewise
 * An image's split is its dataset's name (train, val, test; restval counts as train, validation
 * as val); images of datasets with other names are training data. `image` is relative to the
 * `image_root` recorded in roundtrip-export.json: the common folder of the exported datasets, so
 * BLIP's `image_root` setting points there. Captions follow the caption source like coco-captions.
 */
import { join, relative, sep } from 'node:path';
import { writeFolderAtomically, EXPORT_MARKER } from '../../files/atomic-folder.js';
import { openChunkWriter, type ChunkWriter } from './chunk-writer.js';
import { CaptionPicker } from './export-captions.js';
import { checkCaptionText, checkImageIdsUnique, ExportProblems, refuseEmpty } from './export-checks.js';
import type { ExportContext, ExportCounts } from './export-context.js';
import { exportInfo } from './export-info.js';
import { exportFolderKind, refuseProtectedTarget } from './export-target.js';
import type { ExportImage } from '../../storage/repos/export-source-repo.js';

export type KarpathySplit = 'train' | 'val' | 'test';

const SPLIT_OF: Record<string, KarpathySplit> = { train: 'train', restval: 'train', val: 'val', validation: 'val', valid: 'val', test: 'test' };

export const karpathySplit = (datasetName: string): KarpathySplit => SPLIT_OF[datasetName.toLowerCase()] ?? 'train';

export const karpathyFile = (split: KarpathySplit): string => `coco_karpathy_${split}.json`;

export async function exportKarpathy(ctx: ExportContext): Promise<ExportCounts> {
  checkImageIdsUnique(ctx);
  const picker = new CaptionPicker(ctx.request.captions, ctx.request.includeReferences);
  const problems = new ExportProblems();
  let ticker = ctx.ticker('checking');
  let captions = 0;
  for await (const page of ctx.pages()) {
    for (const image of page.images) {
      ticker.tick();
      for (const caption of picker.captionsFor(image, page.references.get(image.id) ?? []) ?? []) {
        checkCaptionText(ctx, problems, caption.text, image);
        captions++;
      }
    }
  }
  ticker.finish();
  problems.throwIfAny();
  refuseEmpty(ctx, captions);

  const imageRoot = commonRoot(ctx.source.datasets(ctx.scope).map((d) => d.rootPath));
  const counts: ExportCounts = { images: 0, captions: 0, files: 0, withoutCaption: 0 };
  const perSplit: Partial<Record<KarpathySplit, { images: number; captions: number }>> = {};
  await writeFolderAtomically(ctx.out, async (folder) => {
    const files = new Map<KarpathySplit, { writer: ChunkWriter; entries: number }>();
    const fileFor = async (split: KarpathySplit) => {
      let file = files.get(split);
      if (!file) {
        file = { writer: openChunkWriter(join(folder, karpathyFile(split))), entries: 0 };
        files.set(split, file);
        await file.writer.write('[');
      }
      return file;
    };
    ticker = ctx.ticker('writing');
    try {
      for await (const page of ctx.pages()) {
        for (const image of page.images) {
          ticker.tick();
          const captions = picker.captionsFor(image, page.references.get(image.id) ?? []);
          if (!captions) continue;
          if (captions.length === 0) {
            counts.withoutCaption++;
            continue;
          }
          const split = karpathySplit(image.datasetName);
          const file = await fileFor(split);
          const path = imagePath(imageRoot, image);
          const id = ctx.imageId(image);
          const entries =
            split === 'train'
              ? captions.map((c) => JSON.stringify({ caption: c.text, image: path, image_id: id }))
              : [JSON.stringify({ image: path, caption: captions.map((c) => c.text), image_id: id })];
          await file.writer.write(`${file.entries > 0 ? ',' : ''}\n${entries.join(',\n')}`);
          file.entries += entries.length;
          counts.images++;
          counts.captions += captions.length;
          const tally = (perSplit[split] ??= { images: 0, captions: 0 });
          tally.images++;
          tally.captions += captions.length;
          for (const c of captions) ctx.runs.note(c.provenance);
        }
      }
      for (const file of files.values()) await file.writer.write('\n]\n');
    } finally {
      for (const file of files.values()) await file.writer.close();
    }
    ticker.finish();
    counts.files = files.size;
    const marker = { ...exportInfo(ctx), image_root: imageRoot, splits: perSplit, runs: ctx.runs.list() };
    const writer = openChunkWriter(join(folder, EXPORT_MARKER));
    await writer.write(`${JSON.stringify(marker, null, 2)}\n`);
    await writer.close();
  }, { guard: () => refuseProtectedTarget(ctx.project, ctx.out), kind: exportFolderKind(ctx.project) });
  return counts;
}

/** The deepest folder holding every root (the root itself for one dataset). */
export function commonRoot(roots: readonly string[]): string {
  if (roots.length === 0) return '';
  const split = roots.map((r) => r.split(sep));
  const common: string[] = [];
  for (let i = 0; split.every((parts) => i < parts.length && parts[i] === split[0]![i]); i++) common.push(split[0]![i]!);
  return common.join(sep) || sep;
}

/** The image's POSIX path relative to `root` (a folder holding its dataset root). */
export const imagePath = (root: string, image: ExportImage): string => relative(root, join(image.rootPath, image.relPath)).split(sep).join('/');
