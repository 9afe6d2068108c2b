/** Exporting the project: any format of the `export:write` method, one export at a time. */
import type { ApiClient } from '../../../../shared/contract/client.js';
import type { ApiErrorShape } from '../../../../shared/contract/errors.js';
import type { ExportRequestInput, ExportResult } from '../../../../shared/contract/export-schemas.js';
import { InjectionToken } from '../../app/context.js';
import { toErrorShape } from '../api/to-error.js';
import { requireFullPath } from '../util/full-path.js';
import type { JobProgressState } from '../jobs/job-progress.svelte.js';

export class ExportState {
  running = $state(false);
  result = $state.raw<ExportResult | null>(null);
  error = $state.raw<ApiErrorShape | null>(null);

  constructor(
    private readonly client: ApiClient,
    private readonly jobs: JobProgressState,
  ) {}

  async export(request: ExportRequestInput): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.result = null;
    this.error = null;
    this.jobs.clear('export');
    try {
      this.result = await this.client.call('export:write', { ...request, out: requireFullPath('Output', request.out) });
    } catch (e) {
      this.error = toErrorShape(e);
    } finally {
      this.running = false;
    }
  }

  /** Forget the last outcome, e.g. when another project is opened. */
  clear(): void {
    this.result = null;
    this.error = null;
  }
}

export const EXPORT_STATE = new InjectionToken<ExportState>('ExportState');
