/**
 * Builds the backend of a host process from its config (the composition root browser mode uses,
 * createBackend) and opens its startup project: a demo project on first run, as the desktop
 * app always has. Kept apart from the entry so tests can read what a host starts with.
 */
import { ApiError, ErrorCode } from '../../../shared/contract/errors.js';
import type { Outcome } from '../../../shared/contract/wire.js';
import { createDemoProject } from '../../demo-world/demo-project.js';
import { ModelRegistry } from '../../models/registry.js';
import { Project } from '../../storage/project.js';
import { createBackend, type Backend, type BackendOptions } from '../backend.js';
import { backendCall } from '../backend-call.js';
import type { Logger } from '../dispatcher.js';
import { HostConfigSchema, HostMethods, MediaQuerySchema, type HostConfig } from './host-protocol.js';

export async function startHostBackend(rawConfig: HostConfig, log: Logger, extra: Partial<BackendOptions> = {}): Promise<Backend> {
  const config = HostConfigSchema.parse(rawConfig);
  const backend = createBackend({
    mode: config.mode,
    version: config.version,
    actor: config.actor,
    log,
    ...(config.modelsDir === undefined ? {} : { registry: new ModelRegistry({ modelsDir: config.modelsDir }) }),
    ...extra,
  });
  if (config.projectDir !== null) await openStartupProject(backend, config.projectDir, config.createDemoIfMissing, log);
  return backend;
}

async function openStartupProject(backend: Backend, dir: string, createDemo: boolean, log: Logger): Promise<void> {
  if (createDemo && !Project.exists(dir)) {
    await createDemoProject(backendCall(backend), dir).catch((error: Error) => {
      // Still open whatever was created: an empty project beats no window.
      log.error(`[roundtrip] could not fill the demo project: ${error.message}`);
      if (!Project.exists(dir)) backend.session.create(dir, 'My first project');
    });
  } else backend.session.open(dir);
}

/** The `host:*` methods of the supervisor's connection; `onShutdown` runs once the backend is disposed. */
export function hostControl(backend: Backend, onShutdown: () => void) {
  return (method: string, input: unknown): Promise<Outcome<unknown>> | undefined => {
    if (method === HostMethods.media) return answer(async () => {
      const query = MediaQuerySchema.parse(input);
      return backend.media.resolve(query.kind, query.imageId, query.mediaKey);
    });
    if (method === HostMethods.shutdown) return answer(() => backend.dispose().finally(() => setImmediate(onShutdown)));
    return undefined;
  };
}

async function answer(run: () => Promise<unknown>): Promise<Outcome<unknown>> {
  try {
    return { ok: true, result: await run() };
  } catch (error) {
    const code = error instanceof ApiError ? error.code : ErrorCode.InvalidInput;
    return { ok: false, error: { code, message: (error as Error).message } };
  }
}

