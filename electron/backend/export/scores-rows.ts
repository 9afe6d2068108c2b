/**
 * Rows of the `scores` export: one per candidate of a suggest or reference-audit run (a caption
 * scored by drawing it back), one per generated image of a verify-images run (an image scored by
 * captioning it back). Flat and the same columns for every row, so the JSONL and the CSV hold
 * the same table. Column meanings are in README.md (Export).
 */
import type { ExportCandidate, ExportGeneratedImage, ExportImage, ExportReference } from '../../storage/repos/export-source-repo.js';
import type { RunRecord } from '../../storage/repos/runs-repo.js';
import type { CsvValue } from './csv.js';
import type { ExportContext } from './export-context.js';
import { rankedSampled } from './run-candidates.js';
import type { PageScorer } from './scores-metrics.js';

export const SCORE_COLUMNS = [
  'run_id', 'run_kind', 'image_id', 'file_name', 'dataset', 'candidate_idx', 'source', 'reference_id', 'text',
  'log_prob', 'seed', 'similarity', 'rank', 'margin', 'selected', 'human_status', 'human_choice',
  'Bleu_1', 'Bleu_2', 'Bleu_3', 'Bleu_4', 'ROUGE_L', 'CIDEr',
  'recaption', 'text_similarity', 'recaption_cider', 'real_similarity', 'image_path',
  'run_seed', 'sampler', 'top_p', 'top_k', 'temperature', 'num_candidates', 'num_beams', 'max_new_tokens',
  'steps', 'guidance', 'scheduler', 'captioner', 'generator', 'embedder', 'text_embedder',
] as const;

export type ScoreColumn = (typeof SCORE_COLUMNS)[number];
export type ScoreRow = Record<ScoreColumn, CsvValue>;

const EMPTY: ScoreRow = Object.freeze(Object.fromEntries(SCORE_COLUMNS.map((c) => [c, null])) as ScoreRow);

/** The columns every row of a run shares: its sampler and generation settings and its models. */
export function runColumns(run: RunRecord): Partial<ScoreRow> {
  const s = (run.settings ?? {}) as Record<string, unknown>;
  const decoding = obj(s.decoding ?? s.recaption);
  const generation = obj(s.generation);
  const models = obj(s.models);
  return {
    run_id: run.id,
    run_kind: run.kind,
    run_seed: num(s.seed),
    sampler: str(decoding.strategy),
    top_p: num(decoding.topP),
    top_k: num(decoding.topK),
    temperature: num(decoding.temperature),
    num_candidates: num(decoding.numReturnSequences ?? s.imagesPerText),
    num_beams: num(decoding.numBeams),
    max_new_tokens: num(decoding.maxNewTokens),
    steps: num(generation.steps),
    guidance: num(generation.guidanceScale),
    scheduler: str(generation.scheduler),
    captioner: modelName(models.captioner),
    generator: modelName(models.generator),
    embedder: modelName(models.embedder),
    text_embedder: modelName(models.textEmbedder),
  };
}

interface ImageColumns {
  ctx: ExportContext;
  run: Partial<ScoreRow>;
  image: ExportImage;
  name: string;
  references: readonly ExportReference[];
}

/** Rows of a suggest or reference-audit image: ranks, margins, the selection, metrics of sampled captions. */
export function candidateRows({ ctx, run, image, name, references }: ImageColumns, runId: number, candidates: readonly ExportCandidate[], scorer: PageScorer | null): ScoreRow[] {
  const order = rankedSampled(candidates);
  const computedRank = new Map(order.map((c, r) => [c.id, r + 1]));
  const selected = order[0];
  const choice = image.decision;
  return candidates.map((c) => {
    const chosen =
      image.decidedText !== null &&
      ((choice?.candidate?.runId === runId && choice.candidate.idx === c.idx) || (c.source === 'reference' && image.status === 'accepted' && choice?.referenceId === c.referenceId));
    const metrics = c.source === 'sampled' ? scorer?.score(image.id, c.text) ?? null : null;
    return {
      ...EMPTY,
      ...run,
      ...imageColumns(ctx, image, name),
      candidate_idx: c.idx,
      source: c.source,
      reference_id: referenceExternalId(references, c.referenceId),
      text: c.text,
      log_prob: c.logProb,
      seed: c.seed,
      similarity: c.similarity,
      rank: c.rank ?? computedRank.get(c.id) ?? null,
      margin: margin(c, candidates),
      selected: c.source === 'sampled' ? c.id === selected?.id : null,
      human_choice: chosen,
      ...(metrics ?? {}),
      image_path: c.reconstruction,
    };
  });
}

/** Rows of a verify-images image: each generated image of each source text. */
export function generatedRows({ ctx, run, image, name, references }: ImageColumns, generated: readonly ExportGeneratedImage[]): ScoreRow[] {
  return generated.map((g) => {
    const sameText = generated.filter((o) => o.referenceId === g.referenceId && o.text === g.text);
    return {
      ...EMPTY,
      ...run,
      ...imageColumns(ctx, image, name),
      candidate_idx: g.idx,
      source: 'generated',
      reference_id: referenceExternalId(references, g.referenceId),
      text: g.text,
      seed: g.seed,
      similarity: g.textSimilarity,
      rank: g.rank,
      margin: marginOf(g.textSimilarity, sameText.filter((o) => o.id !== g.id).map((o) => o.textSimilarity)),
      selected: g.rank === 1,
      recaption: g.recaption,
      text_similarity: g.textSimilarity,
      recaption_cider: g.cider,
      real_similarity: g.realSimilarity,
      image_path: g.path,
    };
  });
}

function imageColumns(ctx: ExportContext, image: ExportImage, name: string): Partial<ScoreRow> {
  return { image_id: ctx.imageId(image), file_name: name, dataset: image.datasetName, human_status: image.status };
}

/**
 * Similarity minus the best similarity of the image's other distinct captions: for the selected
 * caption, how far ahead of the runner-up it is (suggest-pipeline's margin); for the others, how
 * far behind the best (negative). Null without a similarity or a rival.
 */
function margin(c: ExportCandidate, all: readonly ExportCandidate[]): number | null {
  return marginOf(c.similarity, all.filter((o) => o.source === c.source && o.text !== c.text).map((o) => o.similarity));
}

function marginOf(value: number | null, rivals: readonly (number | null)[]): number | null {
  if (value === null) return null;
  const scored = rivals.filter((r): r is number => r !== null);
  return scored.length === 0 ? null : value - Math.max(...scored);
}

function referenceExternalId(references: readonly ExportReference[], id: number | null): number | null {
  return id === null ? null : references.find((r) => r.id === id)?.externalId ?? null;
}

const obj = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {});
const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** `id@version` of a recorded model, else its folder. */
function modelName(model: unknown): string | null {
  const m = obj(model);
  if (typeof m.id === 'string') return typeof m.version === 'string' ? `${m.id}@${m.version}` : m.id;
  return str(m.dir);
}
