/**
 * Electron transport of the API. Every call is checked for its sender (only our own renderer
 * page, top frame) and its method (only those the renderer uses) before the dispatcher parses
 * its payload against the contract.
 */
import { BrowserWindow, ipcMain } from 'electron';
import { IpcChannel } from '../../shared/contract/channels.js';
import type { Backend } from '../backend/backend.js';
import { refuseIpcCall } from './ipc-gate.js';

export function registerIpc(backend: Backend, appUrl: string): () => void {
  ipcMain.handle(IpcChannel.invoke, async (event, method: unknown, input: unknown) => {
    const refused = refuseIpcCall(event.senderFrame, method, appUrl);
    if (refused) return refused;
    return backend.dispatcher.dispatch(method, input, { actor: backend.actor });
  });
  const unsubscribe = backend.bus.subscribe((event, payload) => {
    for (const window of BrowserWindow.getAllWindows()) {
      if (!window.isDestroyed()) window.webContents.send(IpcChannel.event, event, payload);
    }
  });
  return () => {
    ipcMain.removeHandler(IpcChannel.invoke);
    unsubscribe();
  };
}
