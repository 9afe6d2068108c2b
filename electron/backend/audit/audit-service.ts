/**
 * The audit view's lists over the open project: disagreements and vocabulary differences of a
 * suggest run, weak references of a reference audit. The first two need every image of the run
 * scored before the first page can be sorted, so each is computed once per state of its run
 * (a finished image changes the run's `updatedAt`) and pages are cut from the cached list.
 */
import type { ParsedInput } from '../../../shared/contract/api.js';
import type { AuditCandidate, Disagreements, Vocabulary, VocabularySide, WeakReference, WeakReferences } from '../../../shared/contract/audit-schemas.js';
import { ApiError, ErrorCode } from '../../../shared/contract/errors.js';
import type { Project } from '../../storage/project.js';
import type { WeakReferenceRecord } from '../../storage/repos/audit-repo.js';
import type { RunKind, RunRecord } from '../../storage/repos/runs-repo.js';
import type { JobRunner, ProgressCallback } from '../jobs.js';
import { type AuditRunData, loadAuditRun } from './audit-data.js';
import { computeDisagreements, type DisagreementList, type ScoredCaption } from './disagreements.js';
import { computeVocabulary, type VocabularyLists } from './vocabulary.js';

/** Computed lists (and the data they came from) kept: a few runs' worth, so switching between runs in the view is instant. */
const CACHED_LISTS = 9;

const NO_RUN: Record<RunKind, string> = {
  suggest: 'No suggest run has finished images yet. Start one in Jobs (or `roundtrip suggest DIR`) to compare its captions with the references.',
  'reference-audit': 'No reference audit has finished images yet. Start one in Jobs (or `roundtrip audit-references DIR`) to see which references draw worst.',
  'verify-images': 'No verify-images run has finished images yet.',
};

export class AuditService {
  private readonly cache = new Map<string, Promise<unknown>>();

  /** `jobs` reports the scoring of a large run as `job:progress` of kind `eval`. */
  constructor(private readonly jobs?: JobRunner) {}

  async disagreements(project: Project, { runId, offset, limit }: ParsedInput<'audit:disagreements'>): Promise<Disagreements> {
    const run = resolveRun(project, 'suggest', runId);
    if (!run) return { runId: null, images: 0, total: 0, items: [], note: NO_RUN.suggest };
    const list = await this.disagreementList(project, run);
    const page = list.items.slice(offset, offset + limit);
    const labels = project.audit.labels(page.map((d) => d.imageId));
    return {
      runId: run.id,
      images: list.images,
      total: list.items.length,
      items: page.flatMap((d) => {
        const label = labels.get(d.imageId);
        if (!label) return [];
        return [{ ...label, imageId: d.imageId, reconstructionBest: candidate(d.reconstructionBest), captionBest: candidate(d.captionBest), ciderGap: d.ciderGap, similarityGap: d.similarityGap }];
      }),
      note: runNote(run),
    };
  }

  /** The images of the latest suggest run with results that disagree, for the grid's filter; null when there is no such run. */
  async disagreeingImages(project: Project): Promise<{ runId: number; imageIds: number[] } | null> {
    const run = resolveRun(project, 'suggest', undefined);
    if (!run) return null;
    const list = await this.disagreementList(project, run);
    return { runId: run.id, imageIds: list.items.map((d) => d.imageId) };
  }

  /** Each image's suggestion similarity in the latest suggest run with results, lowest first, for the grid's filter; null without such a run. */
  async suggestionSimilarities(project: Project): Promise<{ runId: number; imageIds: number[]; similarities: number[] } | null> {
    const run = resolveRun(project, 'suggest', undefined);
    if (!run) return null;
    return this.cached(project, run, 'similarities', async () => {
      const rows = project.audit.suggestionSimilarities(run.id);
      return { runId: run.id, imageIds: rows.map((r) => r.imageId), similarities: rows.map((r) => r.similarity) };
    });
  }

  weakReferences(project: Project, { runId, offset, limit }: ParsedInput<'audit:weak-references'>): WeakReferences {
    const run = resolveRun(project, 'reference-audit', runId);
    if (!run) return { runId: null, total: 0, items: [], note: NO_RUN['reference-audit'] };
    return { runId: run.id, total: project.audit.scoredReferences(run.id), items: project.audit.weakReferences(run.id, offset, limit).map(toWeakReference), note: runNote(run) };
  }

  async vocabulary(project: Project, { runId, side, search, offset, limit }: ParsedInput<'audit:vocabulary'>): Promise<Vocabulary> {
    const run = resolveRun(project, 'suggest', runId);
    if (!run) return { runId: null, side, images: 0, total: 0, items: [], note: NO_RUN.suggest };
    const vocabulary = await this.vocabularyLists(project, run);
    const prefix = search?.toLowerCase();
    const words = prefix ? vocabulary.lists[side].filter((w) => w.word.startsWith(prefix)) : vocabulary.lists[side];
    const page = words.slice(offset, offset + limit);
    const labels = project.audit.labels(page.flatMap((w) => w.examples));
    return {
      runId: run.id,
      side,
      images: vocabulary.images,
      total: words.length,
      items: page.map(({ imageIds: _all, ...w }) => ({
        ...w,
        examples: w.examples.flatMap((imageId) => {
          const label = labels.get(imageId);
          return label ? [{ imageId, fileName: label.fileName }] : [];
        }),
      })),
      note: runNote(run),
    };
  }

  /**
   * The images whose captions (side `model`) or references (`reference`) alone use `word`, for the
   * grid's word filter: in the given suggest run, else the latest with results; null without one.
   */
  async wordImages(project: Project, { side, word, runId }: { side: VocabularySide; word: string; runId?: number | undefined }): Promise<number[] | null> {
    const run = resolveRun(project, 'suggest', runId);
    if (!run) return null;
    const vocabulary = await this.vocabularyLists(project, run);
    return vocabulary.lists[side].find((w) => w.word === word.toLowerCase())?.imageIds ?? [];
  }

  private vocabularyLists(project: Project, run: RunRecord): Promise<VocabularyLists> {
    return this.cached(project, run, 'vocabulary', async () => computeVocabulary(await this.data(project, run)));
  }

  private disagreementList(project: Project, run: RunRecord): Promise<DisagreementList> {
    return this.cached(project, run, 'disagreements', async () => {
      const data = await this.data(project, run);
      const score = (onProgress?: ProgressCallback) =>
        computeDisagreements(data, onProgress && ((done, total) => onProgress({ phase: `Audit: scoring the captions of run ${run.id}`, done, total })));
      return this.jobs ? this.jobs.run('eval', score) : score();
    });
  }

  /** The run's images, captions and references, read once per state of the run for both lists. */
  private data(project: Project, run: RunRecord): Promise<AuditRunData> {
    return this.cached(project, run, 'data', () => loadAuditRun(project, run.id));
  }

  private cached<T>(project: Project, run: RunRecord, what: string, compute: () => Promise<T>): Promise<T> {
    const key = JSON.stringify([project.dir, what, run.id, run.updatedAt, run.done]);
    let hit = this.cache.get(key) as Promise<T> | undefined;
    if (!hit) {
      hit = compute();
      this.cache.set(key, hit);
      // A failed computation is not kept: the next request tries again.
      hit.catch(() => this.cache.delete(key));
      while (this.cache.size > CACHED_LISTS) this.cache.delete(this.cache.keys().next().value!);
    }
    return hit;
  }
}

/** The run asked for (NOT_FOUND unless it is of `kind`), else the newest of `kind` with results; null when there is none. */
function resolveRun(project: Project, kind: RunKind, runId: number | undefined): RunRecord | null {
  if (runId !== undefined) {
    const run = project.runs.get(runId);
    if (!run || run.kind !== kind) throw new ApiError(ErrorCode.NotFound, `There is no ${kind} run ${runId} in this project.`);
    return run;
  }
  const latest = project.audit.latestRunWithResults(kind);
  return latest === null ? null : project.runs.get(latest)!;
}

function candidate(c: ScoredCaption): AuditCandidate {
  return { candidateId: c.candidateId, text: c.text, similarity: c.similarity, rank: c.rank, cider: c.cider };
}

/** What a reader should know about a run that is not (or not wholly) done. */
function runNote(run: RunRecord): string | null {
  if (run.done === run.total) return null;
  const failed = run.failed > 0 ? `; ${run.failed} image(s) failed` : '';
  return `Run ${run.id} is ${run.status} with ${run.done} of ${run.total} image(s) done${failed}: this covers the finished images only.`;
}

/** The record's best reference nested as the API shows it; key order is the wire's. */
const toWeakReference = (r: WeakReferenceRecord): WeakReference => ({
  candidateId: r.candidateId,
  imageId: r.imageId,
  fileName: r.fileName,
  referenceId: r.referenceId,
  text: r.text,
  similarity: r.similarity,
  gap: r.gap,
  best: { candidateId: r.bestCandidateId, text: r.bestText, similarity: r.bestSimilarity },
});
