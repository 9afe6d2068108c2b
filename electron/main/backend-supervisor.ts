/**
 * Keeps the backend host running for the window-hosting process (issue 17): starts it through
 * an injected spawn (Electron's utilityProcess in the app, a Node fork in tests and the stall
 * bench), restarts it when it dies and says so (onState, for a message in the window), and
 * reopens the project that was open. No Electron import: tested under plain Node.
 *
 * Nothing acknowledged is lost: the backend replies to a call only after its SQLite transaction
 * has committed (WAL, which a killed process does not undo), and a call in flight when the host
 * dies is never re-sent — it fails with BACKEND_RESTARTED (PortClient). Calls made while the
 * host restarts are held and sent once it is ready.
 */
import type { Logger } from '../backend/dispatcher.js';
import { isLifecycleFrame, HostMethods, type HostConfig } from '../backend/host/host-protocol.js';
import type { HostProcess, SpawnHost } from '../backend/host/host-process.js';
import { PortClient } from '../backend/host/port-client.js';

export type BackendState =
  | { state: 'starting' }
  | { state: 'ready'; restarts: number }
  /** The host died; a new one is being started. */
  | { state: 'restarting'; message: string }
  /** It died too often (or never started): the supervisor gave up. */
  | { state: 'failed'; message: string };

export interface SupervisorOptions {
  spawn: SpawnHost;
  config: HostConfig;
  log: Logger;
  /** Wait before a restart (default 250 ms). */
  restartDelayMs?: number;
  /** Restarts allowed within a minute before giving up (default 5): a host that dies at once would loop. */
  maxRestartsPerMinute?: number;
  /** How long a shutdown waits for the host to end by itself before killing it (default 8 s: the backend's own grace is 5 s). */
  shutdownGraceMs?: number;
}

export class BackendSupervisor {
  /** The supervisor's own connection (startup, media lookups; the API under plain Node). */
  readonly client = new PortClient();
  private host: HostProcess | null = null;
  private projectDir: string | null;
  private restarts: number[] = [];
  private restartCount = 0;
  private disposing = false;
  private readonly stateListeners = new Set<(state: BackendState) => void>();
  private readonly readyListeners = new Set<(host: HostProcess) => void>();

  constructor(private readonly options: SupervisorOptions) {
    this.projectDir = options.config.projectDir;
    // The host reopens after a restart whatever project was open when it died.
    this.client.subscribe((event, payload) => {
      const path = (payload as { path?: unknown } | null)?.path;
      if (event === 'project:changed' && typeof path === 'string') this.projectDir = path;
    });
  }

  /** Resolves once the first host is ready; rejects when it could not start (nothing is restarted then). */
  start(): Promise<void> {
    return this.launch(this.options.config, false);
  }

  /** The running host, if one is ready. */
  get current(): HostProcess | null {
    return this.host;
  }

  onState(listener: (state: BackendState) => void): () => void {
    this.stateListeners.add(listener);
    return () => void this.stateListeners.delete(listener);
  }

  /** Called with each host once it is ready (the first and every restarted one): where windows get their port. */
  onReady(listener: (host: HostProcess) => void): () => void {
    this.readyListeners.add(listener);
    return () => void this.readyListeners.delete(listener);
  }

  /** Asks the host to stop (its calls in flight end first), kills it if it does not; no restart. */
  async dispose(): Promise<void> {
    this.disposing = true;
    const host = this.host;
    if (host) {
      void this.client.invoke(HostMethods.shutdown, {});
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), this.options.shutdownGraceMs ?? 8_000)));
      if ((await Promise.race([host.exited, late])) === 'late') {
        this.options.log.error('[roundtrip] the backend did not stop in time; ending it');
        host.kill();
        await host.exited;
      }
      clearTimeout(timer);
    }
    this.client.dispose();
    this.stateListeners.clear();
    this.readyListeners.clear();
  }

  private launch(config: HostConfig, restarted: boolean): Promise<void> {
    const host = this.options.spawn(config);
    this.host = host;
    this.emit({ state: 'starting' });
    return new Promise((resolve, reject) => {
      let ready = false;
      const stopLifecycle = host.channel.onMessage((message) => {
        if (!isLifecycleFrame(message)) return;
        stopLifecycle();
        if (message.kind === 'host:failed') return reject(new Error(`The backend could not start: ${message.message}`));
        ready = true;
        this.projectDir = message.projectDir;
        this.client.attach(host.channel);
        this.emit({ state: 'ready', restarts: this.restartCount });
        for (const listener of this.readyListeners) listener(host);
        resolve();
      });
      void host.exited.then((how) => {
        stopLifecycle();
        if (host !== this.host) return;
        this.host = null;
        this.client.detach(`the backend stopped (${how}).`);
        if (!ready) reject(new Error(`The backend stopped before it was ready (${how})`));
        if (this.disposing) return;
        // A first host that never came up has a cause a restart will not fix; a restarted one gets its retries.
        if (ready || restarted) this.restart(how);
        else this.emit({ state: 'failed', message: `The Roundtrip backend could not start (${how}).` });
      });
    });
  }

  private restart(how: string): void {
    const now = Date.now();
    this.restarts = this.restarts.filter((t) => now - t < 60_000);
    if (this.restarts.length >= (this.options.maxRestartsPerMinute ?? 5)) {
      this.emit({ state: 'failed', message: `The Roundtrip backend stopped ${this.restarts.length + 1} times in a minute (last: ${how}); restart Roundtrip.` });
      return;
    }
    this.restarts.push(now);
    this.restartCount++;
    this.emit({ state: 'restarting', message: `The Roundtrip backend stopped (${how}) and is restarting; anything you did that was confirmed is saved.` });
    const config: HostConfig = { ...this.options.config, projectDir: this.projectDir, createDemoIfMissing: false };
    setTimeout(() => {
      if (this.disposing) return;
      this.launch(config, true).catch((error: Error) => this.options.log.error(`[roundtrip] ${error.message}`));
    }, this.options.restartDelayMs ?? 250);
  }

  private emit(state: BackendState): void {
    for (const listener of this.stateListeners) listener(state);
  }
}
