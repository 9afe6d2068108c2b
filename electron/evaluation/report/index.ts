/**
 * Evaluation reports (issue 6): the paper's Table 1, Fig. 3 and Table 2 protocols over a
 * project's stored runs, as a JSON-serialisable report (shared/contract/report-schemas.ts), a
 * self-contained HTML page and SVG/PNG figures.
 */
export { buildEvaluationReport, type BuildReportOptions, DEFAULT_BOOTSTRAP, NO_RUNS_MESSAGE } from './build-report.js';
export { EMBEDDING_METRICS, type ReportEmbedders } from './caption-embeddings.js';
export { clipPrefixFor, openReportEmbedders, type OpenedEmbedders } from './open-embedders.js';
export type { ReportProgressCallback, ReportProgressUpdate } from './progress.js';
export { reportHtml } from './report-html.js';
export { reportFigures, type ReportFigure } from './report-plots.js';
export { checkReportFolder, REPORT_MARKER, writeReport, PNG_SCALE } from './write-report.js';
