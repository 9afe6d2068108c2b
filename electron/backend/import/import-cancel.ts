/** What a cancelled import answers: what it saved stays, and running it again adds the rest. */
import { ApiError, ErrorCode } from '../../../shared/contract/errors.js';
import { isCancellation } from './file-errors.js';
import type { ReportBuilder } from './import-report.js';

/** Rethrows `error`, as a CANCELLED ApiError when `signal` has aborted (whatever the read or pool threw). */
export function rethrowCancelled(error: unknown, signal: AbortSignal | undefined, report: ReportBuilder): never {
  if (signal?.aborted || isCancellation(error)) {
    throw new ApiError(
      ErrorCode.Cancelled,
      `The import was cancelled. ${report.imported} new image(s) saved before it stopped are kept; run the import again to add the rest.`,
    );
  }
  throw error;
}
