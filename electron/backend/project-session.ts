import { ApiError, ErrorCode } from '../../shared/contract/errors.js';
import { Project } from '../storage/project.js';
import type { EventBus } from './event-bus.js';

/** Holds the one open project of a backend and announces when it changes. */
export class ProjectSession {
  private project: Project | null = null;
  private readonly switchListeners = new Set<(dir: string | null) => void>();

  constructor(
    private readonly bus: EventBus,
    /** What is working in the open project's database ("an import"), if anything: the project is not replaced under it. */
    private readonly busyWith: () => string | null = () => null,
  ) {}

  /** Called with the folder of each newly opened project (null when the session closes). */
  onSwitch(listener: (dir: string | null) => void): () => void {
    this.switchListeners.add(listener);
    return () => this.switchListeners.delete(listener);
  }

  get current(): Project | null {
    return this.project;
  }

  /** The open project, or a NO_PROJECT error the UI turns into "open or create a project". */
  require(): Project {
    if (!this.project) throw new ApiError(ErrorCode.NoProject, 'No project is open. Open or create a project first.');
    return this.project;
  }

  open(dir: string): Project {
    this.requireIdle();
    return this.replace(Project.open(dir));
  }

  create(dir: string, name?: string): Project {
    this.requireIdle();
    return this.replace(Project.create(dir, name));
  }

  private requireIdle(): void {
    const job = this.busyWith();
    if (job) {
      throw new ApiError(ErrorCode.Conflict, `${job[0]!.toUpperCase()}${job.slice(1)} is still running in the open project; wait for it to finish before opening or creating another project.`);
    }
  }

  /** Re-announces the project after its contents changed (imports). */
  changed(): void {
    if (this.project) this.bus.emit('project:changed', this.project.info());
  }

  private replace(next: Project): Project {
    this.project?.dispose();
    this.project = next;
    for (const listener of this.switchListeners) listener(next.dir);
    this.changed();
    return next;
  }

  dispose(): void {
    this.project?.dispose();
    this.project = null;
    for (const listener of this.switchListeners) listener(null);
    this.switchListeners.clear();
  }
}
