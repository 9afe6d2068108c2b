/**
 * The only bridge between the sandboxed renderer and the main process (bridge.ts): allowlisted
 * calls and events, no Node API, no raw ipcRenderer.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { createBridge } from './bridge.js';

contextBridge.exposeInMainWorld('roundtrip', createBridge(ipcRenderer));
