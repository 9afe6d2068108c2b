/**
 * Stable error codes that cross the API as `{ code, message }`. Codes never change meaning;
 * the renderer maps them to what the user can do next. Messages are for people.
 */
export const ErrorCode = {
  InvalidInput: 'INVALID_INPUT',
  UnknownMethod: 'UNKNOWN_METHOD',
  Unauthorized: 'UNAUTHORIZED',
  NoProject: 'NO_PROJECT',
  NotFound: 'NOT_FOUND',
  ProjectTooNew: 'PROJECT_TOO_NEW',
  ProjectInvalid: 'PROJECT_INVALID',
  BadFormat: 'BAD_FORMAT',
  Io: 'IO_ERROR',
  Conflict: 'CONFLICT',
  /** The user stopped the work before it finished (e.g. `eval:cancel`). */
  Cancelled: 'CANCELLED',
  /** The request is valid but this build or installation cannot do it (a run kind not built in). */
  NotSupported: 'NOT_SUPPORTED',
  /**
   * The backend process stopped while the call was in flight (Electron runs it apart from the
   * window, issue 17): whether it took effect is unknown, so check what is stored before retrying.
   */
  BackendRestarted: 'BACKEND_RESTARTED',
  Internal: 'INTERNAL',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export interface ApiErrorShape {
  code: ErrorCode;
  message: string;
}

/** An error meant to be shown to a user; anything else is reported as INTERNAL. */
export class ApiError extends Error implements ApiErrorShape {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  toJSON(): ApiErrorShape {
    return { code: this.code, message: this.message };
  }
}

export function isApiErrorShape(value: unknown): value is ApiErrorShape {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.code === 'string' && typeof v.message === 'string';
}
