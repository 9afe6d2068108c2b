/** Latest job:progress per job kind, for progress bars. */
import type { ApiClient } from '../../../../shared/contract/client.js';
import type { JobProgress } from '../../../../shared/contract/schemas.js';
import { InjectionToken } from '../../app/context.js';

export class JobProgressState {
  latest = $state.raw<Partial<Record<JobProgress['kind'], JobProgress>>>({});
  private readonly off: () => void;

  constructor(client: ApiClient) {
    this.off = client.on('job:progress', (p) => {
      this.latest = { ...this.latest, [p.kind]: p };
    });
  }

  of(kind: JobProgress['kind']): JobProgress | null {
    return this.latest[kind] ?? null;
  }

  /** Forget the previous job so a new run does not start by showing the old bar. */
  clear(kind: JobProgress['kind']): void {
    const { [kind]: _removed, ...rest } = this.latest;
    this.latest = rest;
  }

  dispose(): void {
    this.off();
  }
}

export const JOB_PROGRESS = new InjectionToken<JobProgressState>('JobProgressState');
