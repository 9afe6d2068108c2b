/**
 * Composition root of the backend: the same object serves the Electron main process and
 * browser mode (`roundtrip serve`), so both transports reach identical behaviour.
 */
import { ModelRegistry } from '../models/registry.js';
import { AuditService } from './audit/audit-service.js';
import { Dispatcher, type Logger } from './dispatcher.js';
import { forkEngineWorker } from './engine-worker-entry.js';
import { EventBus } from './event-bus.js';
import { createHandlers } from './handlers.js';
import { JobRunner } from './jobs.js';
import { MediaService } from './media/media-service.js';
import { ModelAdmin } from './models/model-admin.js';
import { ProjectSession } from './project-session.js';
import { ReviewService } from './review/review-service.js';
import { ModelCatalog } from './runs/model-catalog.js';
import { RUN_KINDS, type RunKindTable } from './runs/run-kinds.js';
import { RunQueue, type WorkerLauncher } from './runs/run-queue.js';
import { RunsService } from './runs/runs-service.js';

export interface BackendOptions {
  mode: 'electron' | 'browser';
  version: string;
  actor: string;
  log?: Logger;
  /** The model registry (default: the user's models dir plus the bundled demo models). */
  registry?: ModelRegistry;
  /** Starts an inference worker for a run (default: fork dist/inference/engine-worker.mjs). */
  launchWorker?: WorkerLauncher;
  /** Run kinds the job host executes (default: every kind built in). */
  runKinds?: RunKindTable;
}

export interface Backend {
  readonly dispatcher: Dispatcher;
  readonly bus: EventBus;
  readonly session: ProjectSession;
  readonly media: MediaService;
  readonly runs: RunQueue;
  readonly actor: string;
  /**
   * Refuses new calls, cancels the jobs in flight (imports, evaluation reports), lets the calls
   * still running end (SHUTDOWN_GRACE_MS at most), then closes the project. Without the wait, a
   * job's next step met a closed database: INTERNAL "database connection is not open" (issue 16).
   */
  dispose(): Promise<void>;
}

/** How long a shutdown waits for calls in flight once their jobs have been cancelled. */
export const SHUTDOWN_GRACE_MS = 5_000;

export function createBackend(options: BackendOptions): Backend {
  const { mode, version, actor, log = console } = options;
  const bus = new EventBus();
  const jobs = new JobRunner(bus);
  const session = new ProjectSession(bus, () => jobs.projectJob());
  const registry = options.registry ?? new ModelRegistry();
  const catalog = new ModelCatalog(registry);
  const kinds = options.runKinds ?? RUN_KINDS;
  const launchWorker = options.launchWorker ?? (() => forkEngineWorker());
  const queue = new RunQueue({ bus, launchWorker, kinds, log });
  session.onSwitch((dir) => queue.attach(dir));
  const runs = new RunsService(queue, catalog, kinds);
  const models = new ModelAdmin({ registry, catalog, jobs, launchWorker });
  const review = new ReviewService(() => session.require());
  const handlers = createHandlers({ session, review, jobs, runs, queue, catalog, audit: new AuditService(jobs), models, version, mode, defaultActor: actor });
  const dispatcher = new Dispatcher(handlers, log);
  const media = new MediaService(session);
  return {
    dispatcher,
    bus,
    session,
    media,
    runs: queue,
    actor,
    dispose() {
      const closeAll = () => {
        // The job host first: it puts a running run back in the queue before the project closes.
        queue.dispose();
        registry.dispose();
        session.dispose();
        bus.dispose();
      };
      jobs.cancelAll();
      const calls = dispatcher.close(SHUTDOWN_GRACE_MS);
      // Nothing in flight: close at once, so a caller that does not wait finds the project closed.
      if (dispatcher.idle()) {
        closeAll();
        return Promise.resolve();
      }
      return calls.then(closeAll);
    },
  };
}
