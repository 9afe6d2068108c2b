/**
 * `scores`: every candidate of the project's runs (or of one run) with its run, sampler and
 * generation settings, models, seed, reconstruction similarity, rank, margin, whether it was the
 * selection and whether an annotator took it, and — for sampled captions — BLEU-1..4, ROUGE-L and
 * CIDEr against the image's references; plus every image a verify-images run generated, with its
 * re-caption and scores. JSONL, or CSV when the file name ends in `.csv`: the same columns either
 * way (scores-rows.ts). What research on reconstruction-regularised finetuning starts from.
 *
 * Streamed run by run: for a suggest run one pass counts CIDEr's document frequencies over its
 * evaluated images, a second scores and writes a page of images at a time.
 */
import { extname } from 'node:path';
import type { RunRecord } from '../../storage/repos/runs-repo.js';
import { writeFileAtomically } from '../../files/atomic-file.js';
import { checkImageIdsUnique, refuseEmpty } from './export-checks.js';
import type { ExportContext, ExportCounts } from './export-context.js';
import { ExportNames } from './image-placement.js';
import { csvLine } from './csv.js';
import { requireAnyRun } from './run-candidates.js';
import { candidateRows, generatedRows, runColumns, SCORE_COLUMNS, type ScoreRow } from './scores-rows.js';
import { StreamingCaptionScorer } from './scores-metrics.js';

export async function exportScores(ctx: ExportContext): Promise<ExportCounts> {
  const runs = ctx.request.runId !== undefined ? [requireAnyRun(ctx.project, ctx.request.runId)] : ctx.project.runs.list();
  checkImageIdsUnique(ctx);
  refuseEmpty(
    ctx,
    runs.reduce((n, run) => n + ctx.source.count({ ...ctx.scope, runId: run.id }), 0),
    runs.length === 0 ? 'the project has no runs (start one with roundtrip suggest or verify-images)' : `no image in scope is part of run(s) ${runs.map((r) => r.id).join(', ')}`,
  );
  const csv = extname(ctx.out).toLowerCase() === '.csv';
  const names = new ExportNames(ctx.source.datasets(ctx.scope));
  const counts: ExportCounts = { images: 0, captions: 0, files: 1, withoutCaption: 0 };
  await writeFileAtomically(ctx.out, async (write) => {
    if (csv) await write(csvLine(SCORE_COLUMNS));
    const emit = (rows: ScoreRow[]) => write(rows.map((row) => (csv ? csvLine(SCORE_COLUMNS.map((c) => row[c])) : `${JSON.stringify(row)}\n`)).join(''));
    for (const run of runs) {
      ctx.runs.noteRun(run.id);
      const written = await writeRun(ctx, run, names, emit);
      counts.images += written.images;
      counts.captions += written.rows;
    }
  });
  return counts;
}

async function writeRun(ctx: ExportContext, run: RunRecord, names: ExportNames, emit: (rows: ScoreRow[]) => Promise<void>): Promise<{ images: number; rows: number }> {
  const scope = { ...ctx.scope, runId: run.id };
  const total = ctx.source.count(scope);
  const scorer = run.kind === 'suggest' ? await countFrequencies(ctx, run, scope, total) : null;
  const shared = runColumns(run);
  let images = 0;
  let rows = 0;
  const ticker = ctx.ticker(`run ${run.id}: writing scores`, total);
  for await (const page of ctx.pages(scope)) {
    const ids = page.images.map((i) => i.id);
    const out: ScoreRow[] = [];
    if (run.kind === 'verify-images') {
      const generated = ctx.source.generatedImages(run.id, ids);
      for (const image of page.images) {
        const list = generated.get(image.id);
        if (!list?.length) continue;
        out.push(...generatedRows({ ctx, run: shared, image, name: names.of(image), references: page.references.get(image.id) ?? [] }, list));
        images++;
      }
    } else {
      const candidates = ctx.source.candidates(run.id, ids);
      const sampled = new Set([...candidates].filter(([, list]) => list.some((c) => c.source === 'sampled')).map(([id]) => id));
      const pageScorer = scorer?.page(evaluated(ids, sampled, page.references)) ?? null;
      for (const image of page.images) {
        const list = candidates.get(image.id);
        if (!list?.length) continue;
        out.push(...candidateRows({ ctx, run: shared, image, name: names.of(image), references: page.references.get(image.id) ?? [] }, run.id, list, pageScorer));
        images++;
      }
    }
    if (out.length) await emit(out);
    rows += out.length;
    ticker.tick(page.images.length);
  }
  ticker.finish();
  return { images, rows };
}

/** Pass 1 of a suggest run: document frequencies over the images that have sampled candidates and references. */
async function countFrequencies(ctx: ExportContext, run: RunRecord, scope: ExportContext['scope'], total: number): Promise<StreamingCaptionScorer> {
  const scorer = new StreamingCaptionScorer();
  const ticker = ctx.ticker(`run ${run.id}: counting n-grams`, total);
  for await (const page of ctx.pages(scope)) {
    const sampled = ctx.source.withSampledCandidates(run.id, page.images.map((i) => i.id));
    for (const refs of evaluated(page.images.map((i) => i.id), sampled, page.references).values()) scorer.addImage(refs);
    ticker.tick(page.images.length);
  }
  ticker.finish();
  return scorer;
}

/** The page's images in the evaluated set (sampled candidates and references), with their reference texts. */
function evaluated(ids: readonly number[], withSampled: ReadonlySet<number>, references: ReadonlyMap<number, readonly { text: string }[]>): Map<number, string[]> {
  const set = new Map<number, string[]>();
  for (const id of ids) {
    const refs = references.get(id);
    if (refs?.length && withSampled.has(id)) set.set(id, refs.map((r) => r.text));
  }
  return set;
}

