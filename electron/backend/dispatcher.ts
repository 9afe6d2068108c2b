/**
 * The single entry point both transports call. It checks the method name and parses the
 * input against the contract before any handler runs, and turns every failure into a stable
 * `{ code, message }` so no stack trace or internal detail reaches the renderer.
 */
import { api, isMethodName } from '../../shared/contract/api.js';
import { ApiError, ErrorCode } from '../../shared/contract/errors.js';
import type { Outcome } from '../../shared/contract/wire.js';
import { findIllFormedString } from '../../shared/well-formed.js';
import type { CallContext, Handlers } from './handler-table.js';
import { internalFailure } from './internal-error.js';

export type Logger = Pick<Console, 'error' | 'warn' | 'info'>;

export class Dispatcher {
  /** Calls being handled, so the backend can let them end before it closes the project. */
  private readonly inFlight = new Set<Promise<unknown>>();
  private closing = false;

  constructor(
    private readonly handlers: Handlers,
    private readonly log: Logger,
  ) {}

  dispatch(method: unknown, rawInput: unknown, ctx: CallContext): Promise<Outcome<unknown>> {
    if (this.closing) return Promise.resolve(failure(ErrorCode.Cancelled, `${String(method).slice(0, 80)} was not run: Roundtrip is shutting down.`));
    const call = this.handle(method, rawInput, ctx);
    this.inFlight.add(call);
    void call.finally(() => this.inFlight.delete(call));
    return call;
  }

  idle(): boolean {
    return this.inFlight.size === 0;
  }

  /** Refuses new calls; resolves once the calls in flight have ended, or after `graceMs` at most. */
  async close(graceMs: number): Promise<void> {
    this.closing = true;
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
    await Promise.race([Promise.allSettled([...this.inFlight]), waited]);
    clearTimeout(timer);
  }

  private async handle(method: unknown, rawInput: unknown, ctx: CallContext): Promise<Outcome<unknown>> {
    if (!isMethodName(method)) {
      return failure(ErrorCode.UnknownMethod, `Unknown method ${JSON.stringify(String(method)).slice(0, 80)}`);
    }
    const parsed = api[method].input.safeParse(rawInput ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.length ? ` at ${issue.path.join('.')}` : '';
      return failure(ErrorCode.InvalidInput, `${method}: ${issue?.message ?? 'invalid input'}${where}`);
    }
    // Issue 16: a lone surrogate (JSON's "\ud800", or a string from IPC) was stored as invalid
    // UTF-8. Checked here once for every method and every string of the input.
    const illFormed = findIllFormedString(parsed.data);
    if (illFormed !== null) {
      return failure(ErrorCode.InvalidInput, `${method}: the text at ${illFormed} holds half of a UTF-16 surrogate pair without its other half`);
    }
    try {
      const handler = this.handlers[method] as (input: unknown, ctx: CallContext) => unknown;
      const result = await handler(parsed.data, ctx);
      return { ok: true, result };
    } catch (error) {
      if (error instanceof ApiError) return failure(error.code, error.message);
      // A call the shutdown cut short (its project closed under it) is not a bug to report as INTERNAL.
      if (this.closing) return failure(ErrorCode.Cancelled, `${method} was stopped: Roundtrip is shutting down.`);
      return internalFailure(method, error, this.log);
    }
  }
}

function failure(code: ErrorCode, message: string): Outcome<never> {
  return { ok: false, error: { code, message } };
}
