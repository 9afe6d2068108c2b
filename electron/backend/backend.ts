/**
 * Composition root of the backend: the same object serves the Electron main process and
 * browser mode (`roundtrip serve`), so both transports reach identical behaviour.
 */
import { Dispatcher, type Logger } from './dispatcher.js';
import { EventBus } from './event-bus.js';
import { createHandlers } from './handlers.js';
import { JobRunner } from './jobs.js';
import { MediaService } from './media/media-service.js';
import { ProjectSession } from './project-session.js';

export interface BackendOptions {
  mode: 'electron' | 'browser';
  version: string;
  actor: string;
  log?: Logger;
}

export interface Backend {
  readonly dispatcher: Dispatcher;
  readonly bus: EventBus;
  readonly session: ProjectSession;
  readonly media: MediaService;
  readonly actor: string;
  dispose(): void;
}

export function createBackend({ mode, version, actor, log = console }: BackendOptions): Backend {
  const bus = new EventBus();
  const session = new ProjectSession(bus);
  const jobs = new JobRunner(bus);
  const dispatcher = new Dispatcher(createHandlers({ session, jobs, version, mode, defaultActor: actor }), log);
  const media = new MediaService(session);
  return {
    dispatcher,
    bus,
    session,
    media,
    actor,
    dispose() {
      session.dispose();
      bus.dispose();
    },
  };
}
