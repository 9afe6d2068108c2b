/** Which project is open, and opening or creating one. */
import type { ApiClient } from '../../../../shared/contract/client.js';
import type { ApiErrorShape } from '../../../../shared/contract/errors.js';
import type { ProjectInfo } from '../../../../shared/contract/schemas.js';
import type { MethodOutput } from '../../../../shared/contract/api.js';
import { InjectionToken } from '../../app/context.js';
import { toErrorShape } from '../api/to-error.js';

export type AppInfo = MethodOutput<'app:info'>;

export class ProjectState {
  info = $state.raw<AppInfo | null>(null);
  project = $state.raw<ProjectInfo | null>(null);
  /** True until the first app:info reply, so the UI does not flash the project picker. */
  loading = $state(true);
  busy = $state(false);
  error = $state.raw<ApiErrorShape | null>(null);
  private readonly off: () => void;

  constructor(private readonly client: ApiClient) {
    this.off = client.on('project:changed', (project) => {
      this.project = project;
    });
  }

  async load(): Promise<void> {
    try {
      const info = await this.client.call('app:info', {});
      this.info = info;
      this.project = info.project;
      this.error = null;
    } catch (e) {
      this.error = toErrorShape(e);
    } finally {
      this.loading = false;
    }
  }

  open(path: string): Promise<boolean> {
    return this.run(() => this.client.call('project:open', { path }));
  }

  create(path: string, name?: string): Promise<boolean> {
    return this.run(() => this.client.call('project:create', name ? { path, name } : { path }));
  }

  dispose(): void {
    this.off();
  }

  private async run(action: () => Promise<ProjectInfo>): Promise<boolean> {
    this.busy = true;
    this.error = null;
    try {
      this.project = await action();
      return true;
    } catch (e) {
      this.error = toErrorShape(e);
      return false;
    } finally {
      this.busy = false;
    }
  }
}

export const PROJECT_STATE = new InjectionToken<ProjectState>('ProjectState');
