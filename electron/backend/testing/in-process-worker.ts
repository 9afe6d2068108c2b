/** The engine worker's method table answering in this process, as the forked worker would: for tests that open models without a child. */
import { engineWorkerMethods, type EngineWorkerMethods } from '../../engine/engine-worker-methods.js';
import type { WorkerHost } from '../../inference/worker/child-process-host.js';
import type { RpcClient } from '../../inference/worker/rpc.js';

type Methods = ReturnType<typeof engineWorkerMethods>;

/** `dispose` is what the host's dispose does with the methods (default: nothing). */
export function inProcessWorker(dispose: (methods: Methods) => Promise<void> = async () => {}): WorkerHost<EngineWorkerMethods> {
  const methods = engineWorkerMethods();
  const client = { call: (method: keyof EngineWorkerMethods, params: never) => methods[method]!(params) } as unknown as RpcClient<EngineWorkerMethods>;
  return { client, exited: new Promise(() => {}), dispose: () => dispose(methods) };
}
