/**
 * The models view: installed models and the project's choice per slot, the execution provider
 * the last run's sessions actually got, verifying a model and pulling one from a hub.
 */
import type { MethodInput } from '../../../../shared/contract/api.js';
import type { ApiClient } from '../../../../shared/contract/client.js';
import type { ApiErrorShape } from '../../../../shared/contract/errors.js';
import type { ModelPullResult, ModelVerifyReport } from '../../../../shared/contract/model-admin-schemas.js';
import type { Execution, ExecutionProvider, ModelSlot, ModelsList, Run } from '../../../../shared/contract/run-schemas.js';
import { InjectionToken } from '../../app/context.js';
import { toErrorShape } from '../api/to-error.js';

export class ModelsState {
  list = $state.raw<ModelsList | null>(null);
  /** Where the sessions ran: this session's latest run, else the newest run that recorded it. */
  execution = $state.raw<{ execution: Execution; runId: number | null } | null>(null);
  error = $state.raw<ApiErrorShape | null>(null);
  saving = $state(false);
  /** Verify reports by model id, and the ids being verified. */
  reports = $state.raw<Record<string, ModelVerifyReport | ApiErrorShape>>({});
  verifying = $state.raw<string[]>([]);
  pulling = $state(false);
  pulled = $state.raw<ModelPullResult | null>(null);
  pullError = $state.raw<ApiErrorShape | null>(null);

  constructor(private readonly client: ApiClient) {}

  async load(): Promise<void> {
    this.error = null;
    try {
      const [list, runs] = await Promise.all([this.client.call('models:list', {}), this.client.call('runs:list', {}).catch(() => [] as Run[])]);
      this.list = list;
      const recorded = [...runs].reverse().find((r) => r.execution.inUse !== null);
      this.execution = list.execution ? { execution: list.execution, runId: null } : recorded ? { execution: recorded.execution, runId: recorded.id } : null;
    } catch (e) {
      this.error = toErrorShape(e);
    }
  }

  setActive(slot: ModelSlot, id: string): Promise<void> {
    return this.update({ activeModels: { [slot]: id } });
  }

  setProvider(executionProvider: ExecutionProvider): Promise<void> {
    return this.update({ executionProvider });
  }

  async verify(id: string, hashes: boolean): Promise<void> {
    this.verifying = [...this.verifying, id];
    try {
      const report = await this.client.call('models:verify', { id, hashes });
      this.reports = { ...this.reports, [id]: report };
    } catch (e) {
      this.reports = { ...this.reports, [id]: toErrorShape(e) };
    } finally {
      this.verifying = this.verifying.filter((v) => v !== id);
    }
  }

  async pull(repo: string, revision: string, dtype: string): Promise<void> {
    if (this.pulling) return;
    this.pulling = true;
    this.pulled = null;
    this.pullError = null;
    try {
      this.pulled = await this.client.call('models:pull', { repo, ...(revision ? { revision } : {}), ...(dtype ? { dtype } : {}) });
      await this.load();
    } catch (e) {
      this.pullError = toErrorShape(e);
    } finally {
      this.pulling = false;
    }
  }

  async cancelPull(): Promise<void> {
    try {
      await this.client.call('models:cancel-pull', {});
    } catch (e) {
      this.pullError = toErrorShape(e);
    }
  }

  private async update(input: MethodInput<'settings:update'>): Promise<void> {
    this.saving = true;
    this.error = null;
    try {
      await this.client.call('settings:update', input);
      await this.load();
    } catch (e) {
      this.error = toErrorShape(e);
    } finally {
      this.saving = false;
    }
  }
}

export const MODELS_STATE = new InjectionToken<ModelsState>('ModelsState');
