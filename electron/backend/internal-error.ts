/**
 * The reply to an unexpected error (anything but an ApiError). Its message may name paths, SQL
 * or other internals, so it goes to the backend's log only; the caller gets a generic message
 * with an id that finds the log line (issue 16: raw messages reached the user under INTERNAL).
 */
import { randomBytes } from 'node:crypto';
import { ErrorCode } from '../../shared/contract/errors.js';
import type { Outcome } from '../../shared/contract/wire.js';

export type ErrorLog = Pick<Console, 'error'>;

export function internalFailure(method: string, error: unknown, log: ErrorLog, errorId: string = newErrorId()): Outcome<never> {
  log.error(`[roundtrip] ${method} failed (error ${errorId}):`, error);
  return { ok: false, error: { code: ErrorCode.Internal, message: `${method} failed unexpectedly (error ${errorId}; the details are in Roundtrip's log).` } };
}

/** Eight hex digits: enough to tell one failure from another in a log, nothing to learn from. */
function newErrorId(): string {
  return randomBytes(4).toString('hex');
}
