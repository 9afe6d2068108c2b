/**
 * One entry point for every export format (the API's `export:write` and `roundtrip export`):
 * resolves the request's filters to a scope, runs the format from the registry below, and
 * records the finished export in the project's export log (format, filters, time, counts, runs).
 */
import { resolve } from 'node:path';
import type { ExportFormat, ExportRequest, ExportResult } from '../../../shared/contract/export-schemas.js';
import { ApiError, ErrorCode } from '../../../shared/contract/errors.js';
import type { Project } from '../../storage/project.js';
import type { ExportScope } from '../../storage/repos/export-source-repo.js';
import type { ProgressFn } from '../import/progress.js';
import { exportCocoCaptions } from './export-coco.js';
import { exportCocoResults } from './export-coco-results.js';
import { ExportContext, type ExportCounts } from './export-context.js';
import { exportHfImagefolder, generatorRun } from './export-hf-imagefolder.js';
import { exportFilters } from './export-info.js';
import { exportKarpathy } from './export-karpathy.js';
import { exportScores } from './export-scores.js';
import { exportSidecarTxt } from './export-sidecar.js';
import { checkExportTarget } from './export-target.js';
import { ExportSourceRepo } from '../../storage/repos/export-source-repo.js';

/** Every format and what writes it; a format missing here is a type error. */
export const EXPORT_FORMATS: Readonly<Record<ExportFormat, (ctx: ExportContext) => Promise<ExportCounts>>> = Object.freeze({
  'coco-captions': exportCocoCaptions,
  'coco-results': exportCocoResults,
  karpathy: exportKarpathy,
  'hf-imagefolder': exportHfImagefolder,
  'sidecar-txt': exportSidecarTxt,
  scores: exportScores,
});

export interface ExportOptions {
  onProgress?: ProgressFn;
  /** Recorded in the export log. */
  actor?: string;
  /** Images read per page (tests use tiny pages). */
  pageSize?: number;
}

export async function runExport(project: Project, request: ExportRequest, options: ExportOptions = {}): Promise<ExportResult> {
  const startedAt = new Date();
  const out = resolve(request.out);
  await checkExportTarget(project, request.format, out);
  const scope = resolveScope(project, request);
  const ctx = new ExportContext(project, request, out, scope, { onProgress: options.onProgress, pageSize: options.pageSize });
  const counts = await EXPORT_FORMATS[request.format](ctx);
  const finishedAt = new Date();
  const record = project.exports.record({
    format: request.format,
    path: out,
    filters: exportFilters(ctx),
    counts: { ...counts },
    provenance: { runs: ctx.runs.list() },
    actor: options.actor ?? 'unknown',
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
  });
  return { id: record.id, format: request.format, path: out, ...counts, durationMs: finishedAt.getTime() - startedAt.getTime() };
}

function resolveScope(project: Project, request: ExportRequest): ExportScope {
  if (request.generatorSet && request.format !== 'hf-imagefolder') {
    throw new ApiError(ErrorCode.InvalidInput, 'A generator set is an hf-imagefolder export; use --format hf-imagefolder with --generator-set.');
  }
  const runFormats: ExportFormat[] = ['coco-results', 'scores', 'hf-imagefolder'];
  if (request.runId !== undefined && !runFormats.includes(request.format)) {
    throw new ApiError(ErrorCode.InvalidInput, `--run applies to coco-results, scores and hf-imagefolder --generator-set, not to ${request.format}.`);
  }
  if (request.format === 'hf-imagefolder' && request.runId !== undefined && !request.generatorSet) {
    throw new ApiError(ErrorCode.InvalidInput, 'hf-imagefolder takes --run only with --generator-set (the verify-images run whose images to export).');
  }
  const scope: ExportScope = {
    datasetIds: datasetIds(project, request),
    statuses: request.statuses,
    lastImageId: new ExportSourceRepo(project.db).lastImageId(),
  };
  if (request.format === 'coco-results' && request.runId !== undefined) scope.runId = request.runId;
  if (request.generatorSet) scope.runId = generatorRun({ project }, request.runId);
  return scope;
}

function datasetIds(project: Project, request: ExportRequest): number[] | undefined {
  if (request.datasetId !== undefined && request.split !== undefined) throw new ApiError(ErrorCode.InvalidInput, 'Give a dataset or a split, not both.');
  if (request.datasetId !== undefined) {
    if (!project.datasets.get(request.datasetId)) throw new ApiError(ErrorCode.NotFound, `There is no dataset ${request.datasetId} in this project.`);
    return [request.datasetId];
  }
  if (request.split === undefined) return undefined;
  const datasets = project.datasets.list();
  const named = datasets.filter((d) => d.name === request.split);
  if (named.length === 0) {
    throw new ApiError(ErrorCode.NotFound, `No dataset is named "${request.split}" (datasets: ${datasets.map((d) => d.name).join(', ') || 'none'}).`);
  }
  return named.map((d) => d.id);
}
