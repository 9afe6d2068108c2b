/**
 * Which IPC calls reach the dispatcher: from our own page's top frame (trusted-sender.ts), for a
 * method the renderer uses (BRIDGE_METHODS). Preload checks the method too, but a compromised
 * renderer process can skip preload, so the main process checks again. Electron-free.
 */
import { isBridgeMethod, refuseBridgeMethod } from '../../shared/contract/bridge-methods.js';
import { ErrorCode } from '../../shared/contract/errors.js';
import type { Outcome } from '../../shared/contract/wire.js';
import { isTrustedSender, type FrameLike } from './trusted-sender.js';

/** Null when the call may go on, else the reply that refuses it. */
export function refuseIpcCall(frame: FrameLike | null | undefined, method: unknown, appUrl: string): Outcome<never> | null {
  if (!isTrustedSender(frame, appUrl)) {
    return { ok: false, error: { code: ErrorCode.Unauthorized, message: 'Calls are only accepted from the Roundtrip window.' } };
  }
  return isBridgeMethod(method) ? null : refuseBridgeMethod(method);
}
