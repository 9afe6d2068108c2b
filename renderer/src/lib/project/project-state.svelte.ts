/** Which project is open, and opening or creating one. */
import type { ApiClient } from '../../../../shared/contract/client.js';
import type { ApiErrorShape } from '../../../../shared/contract/errors.js';
import type { ProjectInfo } from '../../../../shared/contract/schemas.js';
import type { MethodOutput } from '../../../../shared/contract/api.js';
import { InjectionToken } from '../../app/context.js';
import { toErrorShape } from '../api/to-error.js';
import { requireFullPath } from '../util/full-path.js';

export type AppInfo = MethodOutput<'app:info'>;

export class ProjectState {
  info = $state.raw<AppInfo | null>(null);
  project = $state.raw<ProjectInfo | null>(null);
  /** True until the first app:info reply, so the UI does not flash the project picker. */
  loading = $state(true);
  busy = $state(false);
  error = $state.raw<ApiErrorShape | null>(null);
  /** The user asked to open or create another project while one is open. */
  switching = $state(false);
  private readonly off: () => void;

  constructor(
    private readonly client: ApiClient,
    /** Called when a different project (by path) becomes the open one. */
    private readonly onSwitched: () => void = () => {},
  ) {
    this.off = client.on('project:changed', (project) => this.setProject(project));
  }

  startSwitch(): void {
    this.error = null;
    this.switching = true;
  }

  cancelSwitch(): void {
    this.error = null;
    this.switching = false;
  }

  async load(): Promise<void> {
    try {
      const info = await this.client.call('app:info', {});
      this.info = info;
      this.setProject(info.project);
      this.error = null;
    } catch (e) {
      this.error = toErrorShape(e);
    } finally {
      this.loading = false;
    }
  }

  open(path: string): Promise<boolean> {
    return this.run(() => this.client.call('project:open', { path: requireFullPath('Project folder', path) }));
  }

  create(path: string, name?: string): Promise<boolean> {
    return this.run(() => {
      const full = requireFullPath('Project folder', path);
      return this.client.call('project:create', name ? { path: full, name } : { path: full });
    });
  }

  dispose(): void {
    this.off();
  }

  private setProject(project: ProjectInfo | null): void {
    const switched = project?.path !== this.project?.path;
    // Before anything renders an image of the new project.
    this.client.setMediaKey(project?.mediaKey ?? null);
    this.project = project;
    // Opening the same path again still counts: the user expects a fresh view of it.
    if (switched || this.busy) this.onSwitched();
  }

  private async run(action: () => Promise<ProjectInfo>): Promise<boolean> {
    this.busy = true;
    this.error = null;
    try {
      this.setProject(await action());
      this.switching = false;
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
