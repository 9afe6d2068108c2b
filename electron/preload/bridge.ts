/**
 * What preload exposes as `window.roundtrip`: calls and events, and nothing else (no Node API,
 * no raw ipcRenderer). Calls pass only for the methods the renderer uses (BRIDGE_METHODS); any
 * other is answered here, without reaching the main process. Built over an ipcRenderer-shaped
 * object so it is tested under Node.
 */
import { isBridgeMethod, refuseBridgeMethod } from '../../shared/contract/bridge-methods.js';
import { IpcChannel, type PreloadBridge } from '../../shared/contract/channels.js';

export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

export function createBridge(ipc: IpcRendererLike): PreloadBridge {
  return {
    invoke(method, input) {
      if (!isBridgeMethod(method)) return Promise.resolve(refuseBridgeMethod(method));
      return ipc.invoke(IpcChannel.invoke, method, input);
    },
    subscribe(listener) {
      const forward = (_event: unknown, name: unknown, payload: unknown) => {
        if (typeof name === 'string') listener(name, payload);
      };
      ipc.on(IpcChannel.event, forward);
      return () => void ipc.removeListener(IpcChannel.event, forward);
    },
  };
}
