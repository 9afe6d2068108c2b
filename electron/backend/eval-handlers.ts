/** Handler of the evaluation report for the audit view, spread into the backend's table. */
import { ApiError, ErrorCode } from '../../shared/contract/errors.js';
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

export function createEvalHandlers({ session, jobs }: { session: ProjectSession; jobs: JobRunner }): Pick<Handlers, 'eval:report' | 'eval:cancel'> {
  /** One per report being computed, with the run it was asked for, for eval:cancel. */
  const running = new Map<AbortController, number | undefined>();
  return {
    'eval:report': async ({ runId }) => {
      const project = session.require();
      const controller = new AbortController();
      running.set(controller, runId);
      try {
        // The job's own signal too: the backend stops every job before it closes the database.
        return await jobs.run('eval', (onProgress, shutdown) => {
          shutdown.addEventListener('abort', () => controller.abort(), { once: true });
          return buildEvaluationReport(project, { runId, embeddingNote: API_EMBEDDING_NOTE, onProgress, signal: controller.signal });
        });
      } catch (error) {
        if (controller.signal.aborted) throw new ApiError(ErrorCode.Cancelled, 'The evaluation report was cancelled.');
        throw error;
      } finally {
        running.delete(controller);
      }
    },
    'eval:cancel': ({ runId }) => {
      // Only the reports of the run named (another tab's report of another run goes on).
      const stopping = [...running].filter(([, of]) => runId === undefined || of === runId);
      for (const [controller] of stopping) controller.abort();
      return { cancelled: stopping.length };
    },
  };
}
