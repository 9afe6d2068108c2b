/**
 * Where the bundled inference worker is: `$ROUNDTRIP_ENGINE_WORKER`, else dist/inference/ of the
 * checkout or app (this file sits two levels below the root in the source tree, and its bundles
 * in dist/cli and dist/electron do too, so one relative path serves all three).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ApiError, ErrorCode } from '../../shared/contract/errors.js';
import type { EngineWorkerMethods } from '../engine/engine-worker-methods.js';
import { forkWorker, type WorkerHost } from '../inference/worker/child-process-host.js';

/** The worker bundle's path; refused with a message naming it when it is not built. */
export function engineWorkerEntry(env: NodeJS.ProcessEnv = process.env): string {
  return requireBuilt(env.ROUNDTRIP_ENGINE_WORKER || resolve(import.meta.dirname, '..', '..', 'dist', 'inference', 'engine-worker.mjs'));
}

function requireBuilt(entry: string): string {
  if (!existsSync(entry)) {
    throw new ApiError(ErrorCode.Internal, `The inference worker is not built (${entry} is missing); run \`npm run build:app\`.`);
  }
  return entry;
}

/** Forks the inference worker as a Node child process (browser mode, CLI, tests; Electron's fork runs it as Node too). */
export function forkEngineWorker(entry?: string): WorkerHost<EngineWorkerMethods> {
  return forkWorker<EngineWorkerMethods>(entry === undefined ? engineWorkerEntry() : requireBuilt(entry));
}
