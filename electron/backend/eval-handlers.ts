/** Handler of the evaluation report for the audit view, spread into the backend's table. */
import { buildEvaluationReport } from '../evaluation/report/build-report.js';
import type { Handlers } from './handler-table.js';
import type { JobRunner } from './jobs.js';
import type { ProjectSession } from './project-session.js';

/**
 * Inference never runs on the thread that answers the UI, so the API's report has the caption
 * metrics and the similarities the runs recorded; the builder yields to the event loop as it
 * scores, so the API keeps answering while a large report is computed.
 */
const API_EMBEDDING_NOTE = 'Embedding metrics (CLIPScore, RefCLIPScore, text cosine) and Fréchet distances are computed by `roundtrip eval` with an embedder.';

export function createEvalHandlers({ session, jobs }: { session: ProjectSession; jobs: JobRunner }): Pick<Handlers, 'eval:report'> {
  return {
    'eval:report': ({ runId }) => {
      const project = session.require();
      return jobs.run('eval', (onProgress) => buildEvaluationReport(project, { runId, embeddingNote: API_EMBEDDING_NOTE, onProgress }));
    },
  };
}
