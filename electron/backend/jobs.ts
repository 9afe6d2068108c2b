import { randomUUID } from 'node:crypto';
import type { JobProgress } from '../../shared/contract/schemas.js';
import type { EventBus } from './event-bus.js';

export interface ProgressUpdate {
  phase: string;
  done: number;
  total: number;
}

export type ProgressCallback = (update: ProgressUpdate) => void;

/** Runs a long piece of work and reports its progress as `job:progress` events. */
export class JobRunner {
  constructor(private readonly bus: EventBus) {}

  async run<T>(kind: JobProgress['kind'], work: (onProgress: ProgressCallback) => Promise<T>): Promise<T> {
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
