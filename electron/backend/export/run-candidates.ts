/**
 * Reading a run's candidates the way the evaluation reads them (electron/evaluation/report):
 * sampled candidates only, ordered best reconstruction first (a candidate never reconstructed
 * ranks last, ties by sampling order), so the caption an export calls "selected" is the one the
 * report's Table 1 scores.
 */
import { ApiError, ErrorCode } from '../../../shared/contract/errors.js';
import { byReconstruction } from '../../engine/evaluation/selection-gain.js';
import type { Project } from '../../storage/project.js';
import type { ExportCandidate } from '../../storage/repos/export-source-repo.js';
import type { RunKind, RunRecord } from '../../storage/repos/runs-repo.js';

/** An image's sampled candidates, best reconstruction first. */
export function rankedSampled(candidates: readonly ExportCandidate[]): ExportCandidate[] {
  const sampled = candidates.filter((c) => c.source === 'sampled').map((c) => ({ idx: c.idx, similarity: c.similarity ?? Number.NEGATIVE_INFINITY, candidate: c }));
  return byReconstruction(sampled).map((s) => s.candidate);
}

/** The run, which must be of `kind`; a clear NOT_FOUND / INVALID_INPUT otherwise. */
export function requireRun(project: Project, runId: number, kind: RunKind, purpose: string): RunRecord {
  const run = project.runs.get(runId);
  if (!run) throw new ApiError(ErrorCode.NotFound, `There is no run ${runId} in this project.`);
  if (run.kind !== kind) throw new ApiError(ErrorCode.InvalidInput, `Run ${runId} is a ${run.kind} run; ${purpose} needs a ${kind} run.`);
  return run;
}

/** The run, whatever its kind; NOT_FOUND when there is none. */
export function requireAnyRun(project: Project, runId: number): RunRecord {
  const run = project.runs.get(runId);
  if (!run) throw new ApiError(ErrorCode.NotFound, `There is no run ${runId} in this project.`);
  return run;
}
