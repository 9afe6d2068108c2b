/**
 * The only bridge between the sandboxed renderer and the main process. It forwards calls and
 * events and nothing else; it exposes no Node API and no raw ipcRenderer.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IpcChannel, type PreloadBridge } from '../../shared/contract/channels.js';

const bridge: PreloadBridge = {
  invoke: (method, input) => ipcRenderer.invoke(IpcChannel.invoke, method, input) as Promise<unknown>,
  subscribe(listener) {
    const forward = (_event: IpcRendererEvent, name: unknown, payload: unknown) => {
      if (typeof name === 'string') listener(name, payload);
    };
    ipcRenderer.on(IpcChannel.event, forward);
    return () => ipcRenderer.removeListener(IpcChannel.event, forward);
  },
};

contextBridge.exposeInMainWorld('roundtrip', bridge);
