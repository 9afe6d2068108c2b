import type { MessageChannelLike } from '../../inference/worker/rpc.js';
import type { HostConfig } from './host-protocol.js';

/** A started backend host, however it was started (Node fork or Electron utilityProcess). */
export interface HostProcess {
  readonly pid: number | undefined;
  /** The supervisor's connection to it: the API, its lifecycle frames and the `host:*` methods. */
  readonly channel: MessageChannelLike;
  /** Resolves once the process has ended, saying how ("signal SIGKILL", "exit code 1"). */
  readonly exited: Promise<string>;
  /** Ends it at once (SIGKILL): for a host that did not stop when asked. */
  kill(): void;
}

/** How the supervisor starts a host; injected, so the supervisor never imports Electron. */
export type SpawnHost = (config: HostConfig) => HostProcess;
