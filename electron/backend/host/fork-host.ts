/**
 * Starts the backend host as a forked Node child (tests, the stall bench, and anything else run
 * under plain Node); Electron starts the same entry as a utilityProcess (main/utility-host.ts).
 */
import { fork, type StdioOptions } from 'node:child_process';
import type { HostProcess, SpawnHost } from './host-process.js';

export interface ForkHostOptions {
  env?: NodeJS.ProcessEnv;
  /** Default: the host's log on this process's stderr. */
  stdio?: StdioOptions;
}

export function forkHost(entry: string, options: ForkHostOptions = {}): SpawnHost {
  return (config): HostProcess => {
    const child = fork(entry, [JSON.stringify(config)], {
      serialization: 'advanced',
      stdio: options.stdio ?? ['ignore', 'inherit', 'inherit', 'ipc'],
      env: options.env ?? process.env,
      execArgv: [],
    });
    const exited = new Promise<string>((resolve) => child.once('exit', (code, signal) => resolve(signal ? `signal ${signal}` : `exit code ${code}`)));
    return {
      pid: child.pid,
      channel: {
        postMessage: (message) => {
          if (!child.connected) throw new Error('The backend process is not running');
          child.send(message as never);
        },
        onMessage: (listener) => {
          child.on('message', listener);
          return () => void child.off('message', listener);
        },
      },
      exited,
      kill: () => void child.kill('SIGKILL'),
    };
  };
}
