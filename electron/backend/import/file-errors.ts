/** How the file readers' failures (read-regular-file.ts, decode-text.ts) reach the API and import reports. */
import { ApiError, ErrorCode } from '../../../shared/contract/errors.js';
import type { ImportProblem } from '../../../shared/contract/schemas.js';
import { TextDecodeError } from '../../files/decode-text.js';
import { FileReadError, type ReadFailure } from '../../files/read-regular-file.js';

const API_CODES: Record<ReadFailure, ErrorCode> = {
  missing: ErrorCode.NotFound,
  denied: ErrorCode.Io,
  'not-regular': ErrorCode.InvalidInput,
  'too-large': ErrorCode.InvalidInput,
  changed: ErrorCode.Io,
  timeout: ErrorCode.Io,
  cancelled: ErrorCode.Cancelled,
  io: ErrorCode.Io,
};

/** A file the whole operation depends on (the COCO file): its failure fails the call, with the reader's message. */
export function fileApiError(error: unknown): unknown {
  if (error instanceof FileReadError) return new ApiError(API_CODES[error.reason], error.message);
  if (error instanceof TextDecodeError) return new ApiError(ErrorCode.BadFormat, error.message);
  return error;
}

export const isCancellation = (error: unknown): boolean => error instanceof FileReadError && error.reason === 'cancelled';

/**
 * A file one item depends on (a caption sidecar): its failure becomes a problem of that item and
 * the import goes on. Cancellation is not a problem of the file, so it is thrown on.
 */
export function fileProblem(error: unknown, item: string): ImportProblem {
  if (isCancellation(error)) throw error;
  if (error instanceof TextDecodeError) return { item, code: 'invalid-entry', message: error.message };
  if (error instanceof FileReadError) {
    const code = error.reason === 'missing' ? 'missing-file' : error.reason === 'too-large' ? 'too-large' : 'unreadable';
    return { item, code, message: error.message };
  }
  throw error;
}
