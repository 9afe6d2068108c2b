/**
 * Names shared by the Electron main process, the preload script and the renderer. Kept free
 * of imports so the sandboxed preload bundle stays tiny.
 */
export const IpcChannel = {
  invoke: 'roundtrip:invoke',
  event: 'roundtrip:event',
  /** Main → preload: a MessagePort to the backend host (issue 17), again after every restart. */
  port: 'roundtrip:port',
  /** Main → preload: the backend host's state (BackendState: starting, ready, restarting, failed). */
  backendState: 'roundtrip:backend-state',
} as const;

/** URL scheme that serves project images to the Electron renderer: `roundtrip-media://media/<kind>/<id>`. */
export const MEDIA_SCHEME = 'roundtrip-media';

/** What the preload script exposes on `window.roundtrip`. Results are untrusted until parsed. */
export interface PreloadBridge {
  invoke(method: string, input: unknown): Promise<unknown>;
  subscribe(listener: (event: string, payload: unknown) => void): () => void;
}
