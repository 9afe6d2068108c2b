/**
 * `window.roundtrip` over a MessagePort to the backend host (issue 17), the same PreloadBridge
 * the ipcRenderer bridge (bridge.ts) exposes: calls only for BRIDGE_METHODS (the host checks
 * again: it does not trust preload), events by name. The main process sends a port when the host
 * is ready and a new one after each restart; its state messages reach the page as the event
 * `backend:state`, and a restart fails the calls in flight with BACKEND_RESTARTED.
 * Built over an ipcRenderer-shaped object and DOM-style ports, so it is tested under Node.
 */
import { isBridgeMethod, refuseBridgeMethod } from '../../shared/contract/bridge-methods.js';
import { IpcChannel, type PreloadBridge } from '../../shared/contract/channels.js';
import { PortClient } from '../backend/host/port-client.js';

/** The DOM MessagePort a renderer receives (Node's worker_threads MessagePort has the same members). */
export interface PortLike {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  removeEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  start(): void;
}

export interface PortIpcLike {
  on(channel: string, listener: (event: { ports?: readonly PortLike[] }, ...args: unknown[]) => void): unknown;
}

/** The event name the page receives the backend's state under. */
export const BACKEND_STATE_EVENT = 'backend:state';

export function createPortBridge(ipc: PortIpcLike): PreloadBridge {
  const client = new PortClient();
  const stateListeners = new Set<(event: string, payload: unknown) => void>();
  ipc.on(IpcChannel.port, (event) => {
    const port = event.ports?.[0];
    if (!port) return;
    client.attach({
      postMessage: (message) => port.postMessage(message),
      onMessage: (listener) => {
        const unwrap = (e: { data: unknown }) => listener(e.data);
        port.addEventListener('message', unwrap);
        return () => port.removeEventListener('message', unwrap);
      },
    });
    port.start();
  });
  ipc.on(IpcChannel.backendState, (_event, state) => {
    const s = state as { state?: unknown; message?: unknown } | null;
    if (s?.state === 'restarting' || s?.state === 'failed') client.detach(String(s.message ?? 'the backend stopped.'));
    for (const listener of stateListeners) listener(BACKEND_STATE_EVENT, state);
  });
  return {
    invoke(method, input) {
      if (!isBridgeMethod(method)) return Promise.resolve(refuseBridgeMethod(method));
      return client.invoke(method, input);
    },
    subscribe(listener) {
      stateListeners.add(listener);
      const off = client.subscribe(listener);
      return () => {
        stateListeners.delete(listener);
        off();
      };
    },
  };
}
