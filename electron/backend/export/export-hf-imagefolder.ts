/**
 * `hf-imagefolder`: a folder the Hugging Face `imagefolder` loader reads: the images and a root
 * `metadata.jsonl` with a line per image (`file_name`, `text`, plus provenance columns, typed the
 * same on every line so the loader infers one schema).
 *
 * - Captioner set (default): each source image with its caption (the decided one, else its first
 *   reference; `references` lists them all with --include-references).
 * - Generator set (`generatorSet`): for text-to-image finetuning, each source text of a
 *   verify-images run with the image the run found best for it (text → image → text: the drawing
 *   whose re-caption came closest to the text), plus its seed and scores.
 */
import { join } from 'node:path';
import { ApiError, ErrorCode } from '../../../shared/contract/errors.js';
import type { ExportGeneratedImage } from '../../storage/repos/export-source-repo.js';
import { CaptionPicker } from './export-captions.js';
import type { ExportContext, ExportCounts } from './export-context.js';
import { captionedItems, writeImageFolder, type FolderItem } from './folder-export.js';
import { ExportNames, withoutExtension } from './image-placement.js';
import { referenceProvenance } from './provenance.js';

export const METADATA_FILE = 'metadata.jsonl';

export async function exportHfImagefolder(ctx: ExportContext): Promise<ExportCounts> {
  return ctx.request.generatorSet ? generatorSet(ctx) : captionerSet(ctx);
}

function captionerSet(ctx: ExportContext): Promise<ExportCounts> {
  const picker = new CaptionPicker(ctx.request.captions, ctx.request.includeReferences);
  const names = new ExportNames(ctx.source.datasets(ctx.scope));
  return writeImageFolder(ctx, {
    linesFile: METADATA_FILE,
    items: (page) =>
      captionedItems(ctx, page, picker, names, (image, captions, name) => {
        const first = captions[0];
        const line: Record<string, unknown> = {
          file_name: name,
          text: first?.text ?? '',
          image_id: ctx.imageId(image),
          caption_source: first?.provenance.source ?? null,
          decided_by: first?.provenance.by ?? null,
          run_id: first?.provenance.run_id ?? null,
        };
        if (ctx.request.includeReferences) line.references = (page.references.get(image.id) ?? []).map((r) => r.text);
        return { image, name, file: ctx.imageFile(image), captions: first ? [first] : [], line };
      }),
  });
}

function generatorSet(ctx: ExportContext): Promise<ExportCounts> {
  const runId = ctx.scope.runId;
  if (runId === undefined) throw new Error('a generator set needs its verify-images run in scope');
  ctx.runs.noteRun(runId);
  const names = new ExportNames(ctx.source.datasets(ctx.scope));
  return writeImageFolder(ctx, {
    linesFile: METADATA_FILE,
    empty: () => `verify-images run ${runId} drew no image for the ${ctx.total} image(s) in scope`,
    items(page) {
      const generated = ctx.source.generatedImages(runId, page.images.map((i) => i.id));
      const items: FolderItem[] = [];
      let withoutCaption = 0;
      for (const image of page.images) {
        const best = bestPerText(generated.get(image.id) ?? []);
        if (best.length === 0) withoutCaption++;
        best.forEach((g, k) => {
          const name = `${withoutExtension(names.of(image))}-t2i-${k}.png`;
          items.push({
            image,
            name,
            file: join(ctx.project.dir, g.path),
            captions: [{ externalId: null, text: g.text, provenance: referenceProvenance }],
            line: {
              file_name: name,
              text: g.text,
              source_image: names.of(image),
              image_id: ctx.imageId(image),
              run_id: runId,
              seed: g.seed,
              recaption: g.recaption,
              text_similarity: g.textSimilarity,
              real_similarity: g.realSimilarity,
            },
          });
        });
      }
      return { items, withoutCaption };
    },
  });
}

/**
 * The best generated image of each source text of one image, texts in the run's order: rank 1
 * where the run ranked them, else the highest text similarity (ties by seed index).
 */
export function bestPerText(generated: readonly ExportGeneratedImage[]): ExportGeneratedImage[] {
  const byText = new Map<string, ExportGeneratedImage>();
  for (const g of generated) {
    const key = `${g.referenceId ?? ''}\u0000${g.text}`;
    const held = byText.get(key);
    if (!held || better(g, held)) byText.set(key, g);
  }
  return [...byText.values()];
}

function better(a: ExportGeneratedImage, b: ExportGeneratedImage): boolean {
  if (a.rank !== null && b.rank !== null && a.rank !== b.rank) return a.rank < b.rank;
  const sa = a.textSimilarity ?? Number.NEGATIVE_INFINITY;
  const sb = b.textSimilarity ?? Number.NEGATIVE_INFINITY;
  return sa !== sb ? sa > sb : a.idx < b.idx;
}

/** The verify-images run a generator set comes from: the one asked for, else the newest with finished images. */
export function generatorRun(ctx: { project: ExportContext['project'] }, runId: number | undefined): number {
  const runs = ctx.project.runs.list().filter((r) => r.kind === 'verify-images');
  if (runId !== undefined) {
    const run = runs.find((r) => r.id === runId);
    if (!run) throw new ApiError(ErrorCode.InvalidInput, `Run ${runId} is not a verify-images run of this project; a generator set needs one (roundtrip verify-images).`);
    return run.id;
  }
  const newest = runs.filter((r) => r.done > 0).at(-1);
  if (!newest) throw new ApiError(ErrorCode.NotFound, 'This project has no verify-images run with finished images; run `roundtrip verify-images` first, or leave out --generator-set.');
  return newest.id;
}
