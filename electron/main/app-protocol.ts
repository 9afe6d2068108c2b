/** Serves the built renderer as `app://roundtrip/…` (app-protocol-response.ts decides what). */
import { protocol } from 'electron';
import { APP_SCHEME } from './app-origin.js';
import { appResponse } from './app-protocol-response.js';

export function handleAppProtocol(rendererDir: string): void {
  protocol.handle(APP_SCHEME, (request) => appResponse(rendererDir, request));
}
