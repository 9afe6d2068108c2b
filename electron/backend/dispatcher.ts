/**
 * The single entry point both transports call. It checks the method name and parses the
 * input against the contract before any handler runs, and turns every failure into a stable
 * `{ code, message }` so no stack trace or internal detail reaches the renderer.
 */
import { api, isMethodName } from '../../shared/contract/api.js';
import { ApiError, ErrorCode } from '../../shared/contract/errors.js';
import type { Outcome } from '../../shared/contract/wire.js';
import type { CallContext, Handlers } from './handler-table.js';

export type Logger = Pick<Console, 'error' | 'warn' | 'info'>;

export class Dispatcher {
  constructor(
    private readonly handlers: Handlers,
    private readonly log: Logger,
  ) {}

  async dispatch(method: unknown, rawInput: unknown, ctx: CallContext): Promise<Outcome<unknown>> {
    if (!isMethodName(method)) {
      return failure(ErrorCode.UnknownMethod, `Unknown method ${JSON.stringify(String(method)).slice(0, 80)}`);
    }
    const parsed = api[method].input.safeParse(rawInput ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.length ? ` at ${issue.path.join('.')}` : '';
      return failure(ErrorCode.InvalidInput, `${method}: ${issue?.message ?? 'invalid input'}${where}`);
    }
    try {
      const handler = this.handlers[method] as (input: unknown, ctx: CallContext) => unknown;
      const result = await handler(parsed.data, ctx);
      return { ok: true, result };
    } catch (error) {
      if (error instanceof ApiError) return failure(error.code, error.message);
      this.log.error(`[roundtrip] ${method} failed:`, error);
      return failure(ErrorCode.Internal, `${method} failed unexpectedly: ${(error as Error)?.message ?? String(error)}`);
    }
  }
}

function failure(code: ErrorCode, message: string): Outcome<never> {
  return { ok: false, error: { code, message } };
}
