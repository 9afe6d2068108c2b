/** Handlers of the engine's methods (runs, models, project settings), spread into the backend's table. */
import type { Handlers } from '../handler-table.js';
import type { ProjectSession } from '../project-session.js';
import type { ModelCatalog } from './model-catalog.js';
import { readProjectSettings, writeProjectSettings } from './project-settings.js';
import type { RunQueue } from './run-queue.js';
import type { RunsService } from './runs-service.js';

export interface RunHandlerDeps {
  session: ProjectSession;
  runs: RunsService;
  queue: RunQueue;
  catalog: ModelCatalog;
}

type RunMethods = 'runs:start' | 'runs:list' | 'runs:get' | 'runs:pause' | 'runs:resume' | 'runs:cancel' | 'models:list' | 'settings:get' | 'settings:update';

export function createRunHandlers({ session, runs, queue, catalog }: RunHandlerDeps): Pick<Handlers, RunMethods> {
  return {
    'runs:start': (input) => runs.start(session.require(), input),
    'runs:list': () => runs.list(session.require()),
    'runs:get': ({ id }) => runs.get(session.require(), id),
    'runs:pause': ({ id }) => runs.pause(session.require(), id),
    'runs:resume': ({ id }) => runs.resume(session.require(), id),
    'runs:cancel': ({ id }) => runs.cancel(session.require(), id),
    'models:list': async () => ({
      models: await catalog.list(),
      project: session.current ? readProjectSettings(session.current.meta) : null,
      execution: queue.execution,
    }),
    'settings:get': () => readProjectSettings(session.require().meta),
    'settings:update': async ({ activeModels, executionProvider }) => {
      const project = session.require();
      if (activeModels) await catalog.check(activeModels);
      return writeProjectSettings(project.meta, { ...(activeModels ? { activeModels } : {}), ...(executionProvider ? { executionProvider } : {}) });
    },
  };
}
