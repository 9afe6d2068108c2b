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

/** Runs a long piece of work and reports its progress as `job:progress` events. */
export class JobRunner {
  /** Kinds of the jobs in flight, one entry per job. */
  private readonly inFlight: JobProgress['kind'][] = [];

  constructor(private readonly bus: EventBus) {}

  /** What works in the open project's database now ("an import", …), or null: switching projects would close it under that job. */
  projectJob(): string | null {
    for (const kind of this.inFlight) {
      const name = PROJECT_JOB_NAMES[kind];
      if (name) return name;
    }
    return null;
  }

  async run<T>(kind: JobProgress['kind'], work: (onProgress: ProgressCallback) => Promise<T>): Promise<T> {
    this.inFlight.push(kind);
    try {
      return await this.track(kind, work);
    } finally {
      this.inFlight.splice(this.inFlight.indexOf(kind), 1);
    }
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
