/** The small description every export carries of itself: format, filters, when, by which Roundtrip. */
import { appVersion } from '../app-version.js';
import type { ExportContext } from './export-context.js';

export interface ExportInfo {
  format: string;
  exported_at: string;
  roundtrip_version: string;
  project: string;
  filters: Record<string, unknown>;
}

export function exportInfo(ctx: ExportContext): ExportInfo {
  return {
    format: ctx.request.format,
    exported_at: new Date().toISOString(),
    roundtrip_version: appVersion(),
    project: ctx.project.dir,
    filters: exportFilters(ctx),
  };
}

/** The request's choices that decide what is in the export (recorded in the file and in the project's export log). */
export function exportFilters(ctx: ExportContext): Record<string, unknown> {
  const { format: _format, out: _out, ...choices } = ctx.request;
  // A generator set without --run takes the newest verify-images run: record which one it was.
  return { ...choices, runId: choices.runId ?? ctx.scope.runId ?? null, datasetIds: ctx.scope.datasetIds ?? null };
}
