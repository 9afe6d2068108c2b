/** Turns anything thrown by a call into the `{code, message}` shape the UI displays. */
import { ApiError, ErrorCode, type ApiErrorShape } from '../../../../shared/contract/errors.js';

export function toErrorShape(e: unknown): ApiErrorShape {
  if (e instanceof ApiError) return { code: e.code, message: e.message };
  return { code: ErrorCode.Internal, message: e instanceof Error ? e.message : String(e) };
}
