/**
 * Runs the inference worker as a forked Node child process (browser mode, CLI, tests). Electron
 * uses a utilityProcess behind the same `WorkerHost` shape. A crash or out-of-memory in the
 * worker ends calls in flight with an error instead of taking the backend down with it.
 */
import { fork, type ChildProcess } from 'node:child_process';
import type { MessageChannelLike } from './rpc.js';
import { RpcClient, RpcError, type RpcMethods } from './rpc.js';

export interface WorkerHost<M extends RpcMethods> {
  readonly client: RpcClient<M>;
  readonly exited: Promise<number | null>;
  dispose(): Promise<void>;
}

export function forkWorker<M extends RpcMethods>(entry: string, options: { env?: NodeJS.ProcessEnv; execArgv?: string[] } = {}): WorkerHost<M> {
  const child = fork(entry, [], {
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: options.env ?? process.env,
    execArgv: options.execArgv ?? [],
  });
  const client = new RpcClient<M>(childChannel(child));
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code, signal) => {
      client.failAll(new RpcError('WORKER_EXITED', `The inference worker stopped (${signal ?? `exit code ${code}`})`));
      resolve(code);
    });
  });
  return {
    client,
    exited,
    async dispose() {
      client.dispose();
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}

function childChannel(child: ChildProcess): MessageChannelLike {
  return {
    postMessage: (message) => {
      if (!child.connected) throw new RpcError('WORKER_EXITED', 'The inference worker is not running');
      child.send(message as never);
    },
    onMessage: (listener) => {
      child.on('message', listener);
      return () => child.off('message', listener);
    },
  };
}

/** What Electron gives a utilityProcess child as `process.parentPort` (messages arrive as `{ data }`). */
interface ElectronParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): unknown;
  off(event: 'message', listener: (event: { data: unknown }) => void): unknown;
}

/**
 * The worker side: its parent's channel — `process.send` in a forked Node child (browser mode,
 * CLI, tests), `process.parentPort` in an Electron utilityProcess.
 */
export function parentChannel(): MessageChannelLike {
  const port = (process as { parentPort?: ElectronParentPort }).parentPort;
  if (port) {
    return {
      postMessage: (message) => port.postMessage(message),
      onMessage: (listener) => {
        const unwrap = (event: { data: unknown }) => listener(event.data);
        port.on('message', unwrap);
        return () => void port.off('message', unwrap);
      },
    };
  }
  if (!process.send) throw new Error('This process was not started with an IPC channel');
  return {
    postMessage: (message) => process.send!(message as never),
    onMessage: (listener) => {
      process.on('message', listener);
      return () => process.off('message', listener);
    },
  };
}
