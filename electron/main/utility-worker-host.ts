/**
 * The inference worker as an Electron utilityProcess, behind the same `WorkerHost` shape the job
 * host uses under Node (electron/inference/worker/child-process-host.ts). Chromium launches it,
 * so it works even with the RunAsNode fuse off, which `child_process.fork` in the main process
 * needs on.
 * The worker entry finds its parent through `parentChannel()`, which uses `process.parentPort`
 * here and `process.send` under Node.
 */
import { utilityProcess } from 'electron';
import type { WorkerHost } from '../inference/worker/child-process-host.js';
import { RpcClient, RpcError, type MessageChannelLike, type RpcMethods } from '../inference/worker/rpc.js';

export function utilityWorker<M extends RpcMethods>(entry: string): WorkerHost<M> {
  const child = utilityProcess.fork(entry, [], { serviceName: 'Roundtrip inference', stdio: 'inherit' });
  let running = true;
  const channel: MessageChannelLike = {
    postMessage: (message) => {
      if (!running) throw new RpcError('WORKER_EXITED', 'The inference worker is not running');
      child.postMessage(message);
    },
    onMessage: (listener) => {
      child.on('message', listener);
      return () => child.off('message', listener);
    },
  };
  const client = new RpcClient<M>(channel);
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      running = false;
      client.failAll(new RpcError('WORKER_EXITED', `The inference worker stopped (exit code ${code})`));
      resolve(code);
    });
  });
  return {
    client,
    exited,
    async dispose() {
      client.dispose();
      if (running && child.kill()) await exited;
    },
  };
}
