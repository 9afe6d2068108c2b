/**
 * `coco-results`: `[{"image_id", "caption"}]`, one caption per image, what the COCO caption
 * evaluation toolkit (and `roundtrip metrics`) scores. With a suggest run, each image's caption
 * is the one the run selected by reconstruction; without, the caption an annotator decided.
 * Image ids are the project's stable export ids, so the file scores against a `coco-captions`
 * export of the same project. Each entry carries `provenance` (run and candidate, or who decided);
 * the runs' models and settings are in the project's export log and in a `scores` export.
 */
import type { ExportImage } from '../../storage/repos/export-source-repo.js';
import { writeFileAtomically } from '../../files/atomic-file.js';
import { CaptionPicker, type ExportCaption } from './export-captions.js';
import { checkCaptionText, checkImageIdsUnique, ExportProblems, refuseEmpty } from './export-checks.js';
import type { ExportContext, ExportCounts, ExportPage } from './export-context.js';
import { requireRun } from './run-candidates.js';

export async function exportCocoResults(ctx: ExportContext): Promise<ExportCounts> {
  const runId = ctx.request.runId;
  if (runId !== undefined) {
    requireRun(ctx.project, runId, 'suggest', 'coco-results');
    ctx.runs.noteRun(runId);
  }
  checkImageIdsUnique(ctx);
  const captionOf = runId === undefined ? decidedCaption() : selectedCaption(ctx, runId);

  const problems = new ExportProblems();
  let ticker = ctx.ticker('checking');
  let captions = 0;
  for await (const page of ctx.pages(ctx.scope, { references: false })) {
    for (const [image, caption] of captionOf(page)) {
      ticker.tick();
      if (!caption) continue;
      checkCaptionText(ctx, problems, caption.text, image);
      captions++;
    }
  }
  ticker.finish();
  problems.throwIfAny();
  refuseEmpty(
    ctx,
    captions,
    runId === undefined
      ? `no decided captions among the ${ctx.total} image(s) in scope; pass --run ID to export a suggest run's selected captions`
      : `run ${runId} selected no caption for the ${ctx.total} image(s) in scope`,
  );

  const counts: ExportCounts = { images: 0, captions: 0, files: 1, withoutCaption: 0 };
  await writeFileAtomically(ctx.out, async (write) => {
    await write('[');
    ticker = ctx.ticker('writing results');
    for await (const page of ctx.pages(ctx.scope, { references: false })) {
      const lines: string[] = [];
      for (const [image, caption] of captionOf(page)) {
        ticker.tick();
        if (!caption) {
          counts.withoutCaption++;
          continue;
        }
        lines.push(JSON.stringify({ image_id: ctx.imageId(image), caption: caption.text, provenance: caption.provenance }));
      }
      if (lines.length) await write(`${counts.images > 0 ? ',' : ''}\n${lines.join(',\n')}`);
      counts.images += lines.length;
    }
    ticker.finish();
    await write('\n]\n');
  });
  counts.captions = counts.images;
  return counts;
}

type CaptionOf = (page: ExportPage) => [ExportImage, ExportCaption | undefined][];

/** References are not read: a result is one caption, and which reference it was is beside the point. */
function decidedCaption(): CaptionOf {
  const picker = new CaptionPicker('decided-only');
  return (page) => page.images.map((image) => [image, picker.captionsFor(image, page.references.get(image.id) ?? [])?.[0]]);
}

function selectedCaption(ctx: ExportContext, runId: number): CaptionOf {
  return (page) => {
    const selected = ctx.source.selectedCandidates(runId, page.images.map((i) => i.id));
    return page.images.map((image) => {
      const best = selected.get(image.id);
      const caption: ExportCaption | undefined = best && { externalId: null, text: best.text, provenance: { source: 'selected', run_id: runId, candidate_idx: best.idx } };
      return [image, caption];
    });
  };
}
