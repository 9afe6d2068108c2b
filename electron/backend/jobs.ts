import { randomUUID } from 'node:crypto';
import type { JobProgress } from '../../shared/contract/schemas.js';
import type { EventBus } from './event-bus.js';

export interface ProgressUpdate {
  phase: string;
  done: number;
  total: number;
}

export type ProgressCallback = (update: ProgressUpdate) => void;

/** Jobs that read or write the open project's database (runs have their own connection; a model pull none). */
const PROJECT_JOB_NAMES: Partial<Record<JobProgress['kind'], string>> = { import: 'an import', export: 'an export', eval: 'an evaluation' };

interface Job {
  kind: JobProgress['kind'];
  controller: AbortController;
}

/**
 * Runs a long piece of work and reports its progress as `job:progress` events. Each job gets an
 * AbortSignal: `cancel(kind)` stops the jobs of a kind (import:cancel), and `cancelAll` lets
 * the backend stop every job (then it waits for the calls in flight) before it closes the database (issue 16: jobs still running at
 * shutdown failed with "database connection is not open").
 */
export class JobRunner {
  private readonly inFlight = new Set<Job>();

  constructor(private readonly bus: EventBus) {}

  /** What works in the open project's database now ("an import", …), or null: switching projects would close it under that job. */
  projectJob(): string | null {
    for (const { kind } of this.inFlight) {
      const name = PROJECT_JOB_NAMES[kind];
      if (name) return name;
    }
    return null;
  }

  async run<T>(kind: JobProgress['kind'], work: (onProgress: ProgressCallback, signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    const job: Job = { kind, controller };
    this.inFlight.add(job);
    try {
      return await this.track(kind, (onProgress) => work(onProgress, controller.signal));
    } finally {
      this.inFlight.delete(job);
    }
  }

  /** Asks the jobs of `kind` to stop; returns how many were asked. */
  cancel(kind: JobProgress['kind']): number {
    const jobs = [...this.inFlight].filter((job) => job.kind === kind);
    for (const job of jobs) job.controller.abort();
    return jobs.length;
  }

  cancelAll(): void {
    for (const job of this.inFlight) job.controller.abort();
  }

  private async track<T>(kind: JobProgress['kind'], work: (onProgress: ProgressCallback) => Promise<T>): Promise<T> {
    const jobId = randomUUID();
    let last: ProgressUpdate = { phase: 'starting', done: 0, total: 0 };
    const report = (update: ProgressUpdate, finished: boolean) =>
      this.bus.emit('job:progress', { jobId, kind, ...update, finished });
    report(last, false);
    try {
      return await work((update) => {
        last = update;
        report(update, false);
      });
    } finally {
      report({ ...last, phase: 'finished' }, true);
    }
  }
}
