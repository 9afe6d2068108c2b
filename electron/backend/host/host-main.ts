/**
 * Entry of the backend host process (bundled to dist/backend/host.mjs): the backend browser mode
 * runs, served over its parent's channel — `process.parentPort` in an Electron utilityProcess,
 * `process.send` in a forked Node child (tests, the stall bench) — and over every window port
 * the parent transfers to it (Electron). argv[2] is the HostConfig as JSON.
 */
import { isBridgeMethod, refuseBridgeMethod } from '../../../shared/contract/bridge-methods.js';
import { parentChannel } from '../../inference/worker/child-process-host.js';
import type { MessageChannelLike } from '../../inference/worker/rpc.js';
import { CONNECT_FRAME, type HostLifecycleFrame } from './host-protocol.js';
import { serveConnection } from './serve-connection.js';
import { hostControl, startHostBackend } from './start-host.js';

const log = { error: console.error, warn: console.error, info: console.error };
const parent = parentChannel();
const say = (frame: HostLifecycleFrame) => parent.postMessage(frame);

// Nothing thrown in a handler reaches here (the dispatcher answers INTERNAL); anything that does
// is a bug the supervisor sees as an exit, and restarts from.
try {
  const backend = await startHostBackend(JSON.parse(process.argv[2] ?? '{}'), log);
  const exit = () => process.exit(0);
  serveConnection(backend, parent, { log, control: hostControl(backend, exit) });
  acceptWindowPorts((port) => serveConnection(backend, port, { log, refuse: (method) => (isBridgeMethod(method) ? null : refuseBridgeMethod(method)) }));
  say({ kind: 'host:ready', projectDir: backend.session.current?.dir ?? null });
  // The supervisor went away without a shutdown (it was killed): close SQLite cleanly rather than linger.
  process.once('disconnect', () => void backend.dispose().finally(exit));
} catch (error) {
  say({ kind: 'host:failed', message: (error as Error).message });
  process.exitCode = 1;
  setImmediate(() => process.exit(1));
}

/** What a utilityProcess child receives from the main process: `{ data, ports }`, ports being MessagePortMain. */
interface ParentPortEvent {
  data: unknown;
  ports: { postMessage(message: unknown): void; on(event: 'message', l: (e: { data: unknown }) => void): unknown; off(event: 'message', l: (e: { data: unknown }) => void): unknown; start(): void }[];
}

/** Window ports come only under Electron, each with a `host:connect` frame from the main process. */
function acceptWindowPorts(serve: (port: MessageChannelLike) => void): void {
  const parentPort = (process as { parentPort?: { on(event: 'message', l: (e: ParentPortEvent) => void): unknown } }).parentPort;
  parentPort?.on('message', (event) => {
    const port = event.ports[0];
    if ((event.data as { kind?: unknown } | null)?.kind !== CONNECT_FRAME || !port) return;
    serve({
      postMessage: (message) => port.postMessage(message),
      onMessage: (listener) => {
        const unwrap = (e: { data: unknown }) => listener(e.data);
        port.on('message', unwrap);
        return () => void port.off('message', unwrap);
      },
    });
    port.start();
  });
}
