/**
 * Builds the evaluation report of a project (issue 6) from its stored runs: provenance of every
 * run, Table 1 and Fig. 3 for suggest runs, Table 2 for verify-images runs. A project without
 * runs, or with runs cancelled or still going, gets a report of what exists and messages saying
 * so; a run that cannot be evaluated becomes a message, not a failure of the whole report.
 */
import { ApiError, ErrorCode } from '../../../shared/contract/errors.js';
import type { EvaluationReport, ReportRun, Table1, Table2 } from '../../../shared/contract/report-schemas.js';
import { TokenCache } from '../../metrics/caption-corpus.js';
import type { Project } from '../../storage/project.js';
import type { RunRecord } from '../../storage/repos/runs-repo.js';
import { captionEmbeddingUnits, type ReportEmbedders } from './caption-embeddings.js';
import { firstLine, isAbort, ReportProgress, type ReportProgressCallback } from './progress.js';
import { loadSuggestRun, loadVerifyImagesRun, reportRun } from './run-data.js';
import type { BootstrapOptions } from './stats.js';
import { type CaptionBaseline, computeTable1, table1Units } from './table1.js';
import { computeTable2, table2Units } from './table2.js';

export interface BuildReportOptions {
  /** Only this run (greedy and beam runs it is compared with are listed too); default every run. */
  runId?: number | undefined;
  embedders?: ReportEmbedders | undefined;
  /** Why there are no (or fewer) embedding metrics, shown in the report. */
  embeddingNote?: string | null | undefined;
  onProgress?: ReportProgressCallback | undefined;
  signal?: AbortSignal | undefined;
  bootstrap?: Partial<BootstrapOptions> | undefined;
  now?: () => Date;
}

export const DEFAULT_BOOTSTRAP: BootstrapOptions = { resamples: 1000, seed: 1, confidence: 0.95 };

export const NO_RUNS_MESSAGE =
  'This project has no runs yet. Start one with `roundtrip suggest DIR` (image → text → image, Table 1 and Fig. 3) or `roundtrip verify-images DIR` (text → image → text, Table 2), then evaluate again.';

export async function buildEvaluationReport(project: Project, options: BuildReportOptions = {}): Promise<EvaluationReport> {
  const allRuns = project.runs.list();
  const runs = options.runId === undefined ? allRuns : allRuns.filter((r) => r.id === options.runId);
  if (options.runId !== undefined && runs.length === 0) throw new ApiError(ErrorCode.NotFound, `Run ${options.runId} does not exist in this project.`);
  const datasets = project.datasets.list();
  const datasetNames = new Map(datasets.map((d) => [d.id, d.name]));
  const messages: string[] = [];
  if (allRuns.length === 0) messages.push(NO_RUNS_MESSAGE);

  const suggest = runs.filter((r) => r.kind === 'suggest').map((r) => loadSuggestRun(project, r));
  const verify = runs.filter((r) => r.kind === 'verify-images').map((r) => loadVerifyImagesRun(project, r));
  const audits = runs.filter((r) => r.kind === 'reference-audit');
  if (audits.length) messages.push(`Reference audits (run ${audits.map((r) => r.id).join(', ')}) are listed for provenance; their weakest references are in the audit view.`);
  const embedders = options.embedders;
  const total =
    suggest.reduce((n, d) => n + table1Units(d) + captionEmbeddingUnits(embedders, d.images.length), 0) +
    verify.reduce((n, d) => n + table2Units(d, embedders?.image !== undefined), 0);
  const progress = new ReportProgress(total, options.onProgress, options.signal);
  const bootstrap = { ...DEFAULT_BOOTSTRAP, ...options.bootstrap };
  const tokens = new TokenCache();
  const comparisonRuns = new Set<number>();

  const table1: Table1[] = [];
  const candidateRuns = baselineRuns(project, allRuns);
  for (const data of suggest) {
    const baselines = captionBaselines(data.run, candidateRuns);
    const outcome = await evaluating(data.run, messages, () =>
      computeTable1(data, { tokens, progress, baselines, embedders, embeddingNote: options.embeddingNote ?? null, datasetNames, bootstrap }),
    );
    if (outcome?.table) {
      table1.push(outcome.table);
      for (const row of outcome.table.overall.rows) if (row.runId !== data.run.id) comparisonRuns.add(row.runId);
    }
    messages.push(...(outcome?.notes ?? []));
    if (data.withoutReferences > 0) messages.push(`Run ${data.run.id}: ${data.withoutReferences} finished image(s) have no reference captions and are left out of Table 1.`);
  }
  const table2: Table2[] = [];
  for (const data of verify) {
    const table = await evaluating(data.run, messages, () =>
      computeTable2(data, { projectDir: project.dir, progress, datasetNames, imageEmbedder: embedders?.image ? { embedder: embedders.image, model: imageModel(embedders) } : undefined }),
    );
    if (table) table2.push(table);
    if (table?.note && embedders?.image) messages.push(`Run ${data.run.id}: ${table.note}`);
  }
  if (options.embeddingNote && suggest.some((d) => d.images.length > 0)) messages.push(options.embeddingNote);
  progress.finish();

  const listed = [...runs, ...allRuns.filter((r) => comparisonRuns.has(r.id) && !runs.includes(r))].sort((a, b) => a.id - b.id);
  const reportRuns: ReportRun[] = listed.map((r) => reportRun(project, r, datasetNames));
  for (const r of reportRuns) if (r.note && runs.some((x) => x.id === r.id)) messages.push(r.note);
  const info = project.info();
  return {
    formatVersion: 1,
    generatedAt: (options.now ?? (() => new Date()))().toISOString(),
    project: { name: info.name, path: info.path, images: info.imageCount, datasets: datasets.map((d) => ({ id: d.id, name: d.name, kind: d.kind, images: d.imageCount })) },
    runId: options.runId ?? null,
    messages,
    runs: reportRuns,
    table1,
    table2,
    plots: [],
  };
}

/** Runs one run's evaluation; a failure (other than cancellation) becomes a message. */
async function evaluating<T>(run: RunRecord, messages: string[], work: () => Promise<T>): Promise<T | undefined> {
  try {
    return await work();
  } catch (error) {
    if (isAbort(error)) throw error;
    messages.push(`Run ${run.id} could not be evaluated: ${firstLine(error)}`);
    return undefined;
  }
}

function imageModel(embedders: ReportEmbedders) {
  return embedders.models.find((m) => m.slot === 'imageEmbedder') ?? { slot: 'imageEmbedder', dir: '', id: null, version: null, files: [] };
}

interface BaselineRun {
  run: RunRecord;
  key: CaptionBaseline['key'];
  numBeams: number | undefined;
  first: Map<number, string>;
}

/** The suggest runs whose first candidates are baselines: greedy runs, and beam-search runs (their best beam). */
function baselineRuns(project: Project, allRuns: readonly RunRecord[]): BaselineRun[] {
  return allRuns.flatMap((run) => {
    const decoding = (run.settings as { decoding?: { strategy?: string; numBeams?: number } } | null)?.decoding;
    if (run.kind !== 'suggest' || run.done === 0 || (decoding?.strategy !== 'greedy' && decoding?.strategy !== 'beam')) return [];
    return [{ run, key: decoding.strategy === 'greedy' ? 'greedy' : 'top-beam', numBeams: decoding.numBeams, first: firstCandidates(project, run.id) } as const];
  });
}

/**
 * The captions a suggest run is compared with besides its own samples: every greedy run's caption
 * and every beam-search run's best beam (its first candidate) — this run's own best beam too.
 */
function captionBaselines(run: RunRecord, candidates: readonly BaselineRun[]): CaptionBaseline[] {
  return candidates
    .filter((b) => !(b.run.id === run.id && b.key === 'greedy'))
    .map((b) => ({
      key: b.key,
      label: b.run.id === run.id ? 'Best beam of this run' : b.key === 'greedy' ? `Greedy (run ${b.run.id})` : `Beam search, ${b.numBeams ?? '?'} beams (run ${b.run.id}, best beam)`,
      runId: b.run.id,
      text: (imageId: number) => b.first.get(imageId),
    }));
}

/** Each finished image's first candidate (greedy's only one, beam search's best). */
function firstCandidates(project: Project, runId: number): Map<number, string> {
  const done = new Set(project.runResults.items(runId).filter((i) => i.status === 'done').map((i) => i.imageId));
  const first = new Map<number, string>();
  for (const [imageId, list] of project.runResults.candidates(runId)) {
    const top = list.find((c) => c.source === 'sampled' && c.idx === 0);
    if (done.has(imageId) && top) first.set(imageId, top.text);
  }
  return first;
}
