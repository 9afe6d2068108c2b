/**
 * The job host: executes a project's runs one at a time, in the order they were queued, each in
 * a freshly forked inference worker, so onnxruntime never blocks the process that answers the
 * API. The queue is the `runs` table itself (status 'queued', oldest first), so it survives
 * restarts. The host follows the session's project on its own database connection, so a run can
 * stop cleanly after its current image when the user switches projects.
 *
 * Ownership: the host claims a run (RunsRepo.claim) before it opens the models, so a run a CLI
 * command holds is never executed twice, and the runner heartbeats the claim while it works.
 *
 * Restart semantics: a run found 'running' is either being executed by another process right now
 * (`roundtrip suggest` on the same project: its heartbeat is fresh, and it is left alone) or was
 * left by a process that stopped without saying so (killed, crashed, power loss: its owner process
 * is gone, or it has not beaten for RUN_CLAIM_STALE_MS, 30 s). The latter is marked 'paused' with
 * a note instead of being restarted: a run that brought the app down does not bring it down again
 * on every start, and resuming is one call that continues at the first unfinished image. This is
 * checked when a project opens and whenever the runs API looks at its runs. A run this host stops
 * itself (project switched, app quitting) goes back to 'queued' and continues when its project is
 * open. The host serves runs only once the runs API is used (see `activate`).
 */
import type { Execution, RunKind } from '../../../shared/contract/run-schemas.js';
import type { EngineWorkerMethods } from '../../engine/engine-worker-methods.js';
import { assertModelsUnchanged } from '../../engine/model-drift.js';
import { recordedDtypes } from '../../engine/model-load-options.js';
import { keepClaim, type RunProgress } from '../../engine/run-runner.js';
import type { WorkerHost } from '../../inference/worker/child-process-host.js';
import { Project } from '../../storage/project.js';
import { newRunOwner, type RunRecord, type RunStatus } from '../../storage/repos/runs-repo.js';
import type { Logger } from '../dispatcher.js';
import type { EventBus } from '../event-bus.js';
import { readRunSettings } from './run-kind.js';
import type { RunKindTable } from './run-kinds.js';
import { executionOf, notYetOpened, requestedProvider, saveExecution, type LiveRun } from './run-view.js';

export type WorkerLauncher = () => WorkerHost<EngineWorkerMethods>;

export const INTERRUPTED_NOTE = 'Interrupted: Roundtrip stopped while this run was running. Resume it to continue; finished images are kept.';

interface ActiveRun extends LiveRun {
  /** The host's connection the run executes on. */
  project: Project;
  dir: string;
  runId: number;
  /** This host's claim on the run. */
  owner: string;
  /** Stopped by the host (project switch, quit), not by the user: back to the queue afterwards. */
  requeue: boolean;
  worker: WorkerHost<EngineWorkerMethods> | null;
}

export interface RunQueueDeps {
  bus: EventBus;
  launchWorker: WorkerLauncher;
  kinds: RunKindTable;
  log: Logger;
}

export class RunQueue {
  /** The host's own connection to the project it follows. */
  private project: Project | null = null;
  /** The session's project, and the one the host connected to (they differ until the host serves). */
  private targetDir: string | null = null;
  private connectedDir: string | null = null;
  private serving = false;
  private active: ActiveRun | null = null;
  private loop: Promise<void> | null = null;
  private lastExecution: Execution | null = null;
  /** Attach and detach happen in call order; starting the next run waits for them. */
  private ready: Promise<void> = Promise.resolve();
  private disposed = false;

  constructor(private readonly deps: RunQueueDeps) {}

  /** Follows the session to `dir` (null: no project). */
  attach(dir: string | null): void {
    this.targetDir = dir;
    if (this.serving) this.connect();
  }

  /**
   * Starts serving runs: from now on the host recovers and works through the queue of whatever
   * project the session opens. The runs API calls this on first use, so one-shot CLI commands
   * that share the backend (import, export) never start inference or touch a run's state.
   */
  activate(): void {
    if (this.serving || this.disposed) return;
    this.serving = true;
    this.connect();
  }

  /** Stops the old project's run (after its current image), then recovers and starts the new project's queue. */
  private connect(): void {
    const dir = this.targetDir;
    if (dir === this.connectedDir || this.disposed) return;
    this.connectedDir = dir;
    const open = () => {
      if (dir === null || this.disposed || this.connectedDir !== dir) return;
      this.project = Project.open(dir);
      this.recoverInterrupted(this.project);
    };
    const failed = (error: unknown) => this.deps.log.error(`[roundtrip] runs of ${dir} cannot be started:`, error);
    if (this.active) {
      this.ready = this.ready.then(() => this.detach()).then(open).catch(failed);
    } else {
      // Idle: switch at once, so the call that activated the host already sees recovered runs.
      this.project?.dispose();
      this.project = null;
      try {
        open();
      } catch (error) {
        failed(error);
      }
    }
    this.pump();
  }

  /** Looks for the next queued run once the host is attached (call after queuing or resuming one). */
  pump(): void {
    void this.ready.then(() => this.startNext());
  }

  /** Resolves when the host is attached and idle (tests). */
  async settled(): Promise<void> {
    for (;;) {
      await this.ready;
      const loop = this.loop;
      if (!loop) return;
      await loop;
    }
  }

  /** The live state of `runId` of project `dir`, if this host is executing it. */
  live(dir: string, runId: number): LiveRun | undefined {
    return this.active && this.active.dir === dir && this.active.runId === runId ? this.active : undefined;
  }

  /** Sessions of the run in progress, else of the last run this host executed. */
  get execution(): Execution | null {
    return this.active?.execution ?? this.lastExecution;
  }

  /** Asks the executing run to stop after its current image; false if `runId` is not executing here. */
  requestStop(project: Project, runId: number, what: 'pause' | 'cancel'): boolean {
    const active = this.live(project.dir, runId) as ActiveRun | undefined;
    if (!active) return false;
    // A cancel overrides a pending pause; a pause never downgrades a pending cancel.
    if (active.stopping !== 'cancel') active.stopping = what;
    active.requeue = false;
    const run = project.runs.get(runId);
    if (run) this.emitRun(run, `stopping (${active.stopping})`, false);
    return true;
  }

  /** Announces a status change made outside the executor (a queued run paused or cancelled). */
  announce(project: Project, runId: number): void {
    const run = project.runs.get(runId);
    if (run) this.emitRun(run, run.status, run.status !== 'queued' && run.status !== 'running');
  }

  /** Pauses, with a note, the running runs whose process is gone; runs a live process holds stay running. */
  recoverInterrupted(project: Project): void {
    for (const run of project.runs.list()) {
      if (run.status === 'running' && project.runs.releaseAbandoned(run.id, 'paused', INTERRUPTED_NOTE)) this.announce(project, run.id);
    }
  }

  private startNext(): void {
    const project = this.project;
    if (this.disposed || this.active || !project || !project.db.open) return;
    for (const next of project.runs.list().filter((r) => r.status === 'queued')) {
      // Claimed before anything else; a CLI command that has just created this run may have won it.
      const owner = newRunOwner();
      if (!project.runs.claim(next.id, owner)) continue;
      const requested = requestedProvider((next.settings as { executionProvider?: unknown })?.executionProvider);
      this.active = { project, dir: project.dir, runId: next.id, owner, stopping: null, progress: null, execution: notYetOpened(requested), requeue: false, worker: null };
      this.loop = this.execute(project, next, this.active).finally(() => {
        this.active = null;
        this.loop = null;
        this.startNext();
      });
      return;
    }
  }

  private async execute(project: Project, run: RunRecord, active: ActiveRun): Promise<void> {
    const kind = this.deps.kinds[run.kind];
    // Heartbeats while the models are hashed and opened, before the runner beats on its own.
    const claim = keepClaim(project.runs, run.id, active.owner);
    try {
      if (!kind) throw new Error(`${run.kind} runs are not available in this version of Roundtrip.`);
      // A stored row that does not parse fails this run here, naming the field (run-settings-schemas.ts).
      const settings = readRunSettings(kind, run);
      this.emitRun(project.runs.get(run.id)!, 'opening models', false);
      await assertModelsUnchanged(run.id, settings);
      active.worker = this.deps.launchWorker();
      const dirs = kind.modelDirs(settings);
      const { models, opened } = await kind.open(active.worker.client, dirs, active.execution.requested, recordedDtypes(settings));
      active.execution = executionOf(active.execution.requested, opened, dirs);
      this.lastExecution = active.execution;
      saveExecution(project.meta, run.id, active.execution);
      const outcome = await kind.execute(project, run.id, models, {
        control: { requested: () => active.stopping, owner: active.owner },
        onProgress: (progress) => this.progress(active, run.kind, progress),
      });
      // Requeued only if still paused: a CLI command may have claimed it since.
      if (outcome.status === 'paused' && active.requeue) project.runs.setStatusIf(run.id, 'paused', 'queued');
      if (outcome.status === 'lost') this.deps.log.warn(`[roundtrip] run ${run.id} was taken over by another process; left to it.`);
    } catch (error) {
      if (this.disposed || !project.db.open) return;
      // The executor marks a run failed when the worker dies; anything before it (models changed
      // or not opening, a missing worker bundle) is recorded here, with the reason — if the run
      // is still this host's.
      project.runs.release(run.id, active.owner, 'failed', firstLine(error));
      this.deps.log.warn(`[roundtrip] run ${run.id} stopped: ${firstLine(error)}`);
    } finally {
      claim.stop();
      // Announced before the worker is stopped: the run's state is final already.
      if (!this.disposed && project.db.open) {
        const final = project.runs.get(run.id);
        if (final) this.emitRun(final, final.status, true);
      }
      await active.worker?.dispose().catch(() => {});
      active.worker = null;
    }
  }

  private progress(active: ActiveRun, kind: RunKind, p: RunProgress): void {
    active.progress = p;
    this.deps.bus.emit('job:progress', {
      jobId: jobId(p.runId),
      kind,
      runId: p.runId,
      phase: 'running',
      status: 'running',
      done: p.done,
      failed: p.failed,
      total: p.total,
      itemsPerSecond: p.itemsPerSecond,
      etaSeconds: p.etaSeconds,
      finished: false,
    });
  }

  private emitRun(run: RunRecord, phase: string, finished: boolean): void {
    if (this.disposed) return;
    const status: RunStatus = run.status;
    this.deps.bus.emit('job:progress', {
      jobId: jobId(run.id),
      kind: run.kind,
      runId: run.id,
      phase,
      status,
      done: run.done,
      failed: run.failed,
      total: run.total,
      finished,
    });
  }

  /** Stops the run in progress after its current image, puts it back in the queue, and lets go of the project. */
  private async detach(): Promise<void> {
    const project = this.project;
    this.project = null;
    if (this.active) {
      this.active.requeue = this.active.stopping === null;
      this.active.stopping ??= 'pause';
      await this.loop;
    }
    project?.dispose();
  }

  /**
   * Quitting cannot wait for an image to finish: the run goes back to the queue now, the worker
   * is stopped, and whatever the executor still tries to write fails on the closed connection
   * (the image in progress is simply computed again next time).
   */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    const active = this.active;
    if (active?.project.db.open) {
      const status = active.stopping === 'cancel' ? 'cancelled' : active.stopping === 'pause' && !active.requeue ? 'paused' : 'queued';
      active.project.runs.release(active.runId, active.owner, status);
      active.project.dispose();
    }
    this.project?.dispose();
    this.project = null;
    void active?.worker?.dispose().catch(() => {});
  }
}

const jobId = (runId: number) => `run-${runId}`;

function firstLine(error: unknown): string {
  return String((error as Error)?.message ?? error).split('\n')[0]!.slice(0, 500);
}
