/**
 * The caller's end of the backend host's port protocol (host-protocol.ts): requests carry ids,
 * replies and events come back on the same port. Used by the main-side supervisor and by the
 * sandboxed preload, so it imports nothing but types and the error codes (no zod, no Node).
 *
 * Like the browser transport (renderer ws-transport.ts), a request not yet sent is held while
 * no backend is attached and sent when one is; a request already sent when the backend goes
 * away fails with BACKEND_RESTARTED, since whether it took effect is unknown (it is never re-sent:
 * a decision recorded twice would be two rows).
 */
import { ErrorCode } from '../../../shared/contract/errors.js';
import type { Outcome } from '../../../shared/contract/wire.js';
import type { MessageChannelLike } from '../../inference/worker/rpc.js';

type Resolve = (outcome: Outcome<unknown>) => void;
export type EventListener = (event: string, payload: unknown) => void;

export class PortClient {
  private channel: MessageChannelLike | null = null;
  private stopListening: (() => void) | null = null;
  private nextId = 1;
  private readonly inFlight = new Map<number, { method: string; resolve: Resolve }>();
  private queued: { id: number; method: string; input: unknown; resolve: Resolve }[] = [];
  private readonly listeners = new Set<EventListener>();
  private disposed = false;

  /** Sends everything held so far on `channel`, and later calls straight away. */
  attach(channel: MessageChannelLike): void {
    this.detach('The backend was replaced while this call was in flight.');
    this.channel = channel;
    this.stopListening = channel.onMessage((message) => this.receive(message));
    const held = this.queued;
    this.queued = [];
    for (const request of held) this.send(request);
  }

  /** The backend is gone: calls in flight fail with BACKEND_RESTARTED (saying `why`), later ones are held. */
  detach(why: string): void {
    this.stopListening?.();
    this.stopListening = null;
    this.channel = null;
    const lost = [...this.inFlight.values()];
    this.inFlight.clear();
    for (const { method, resolve } of lost) resolve(restarted(method, why));
  }

  invoke(method: string, input: unknown): Promise<Outcome<unknown>> {
    if (this.disposed) return Promise.resolve({ ok: false, error: { code: ErrorCode.Cancelled, message: `${method} was not run: Roundtrip is shutting down.` } });
    return new Promise((resolve) => {
      const request = { id: this.nextId++, method, input, resolve };
      if (this.channel) this.send(request);
      else this.queued.push(request);
    });
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  /** Sent but not yet answered. */
  get pending(): number {
    return this.inFlight.size;
  }

  dispose(): void {
    this.detach('Roundtrip is shutting down.');
    this.disposed = true;
    const held = this.queued;
    this.queued = [];
    for (const { method, resolve } of held) resolve({ ok: false, error: { code: ErrorCode.Cancelled, message: `${method} was not run: Roundtrip is shutting down.` } });
    this.listeners.clear();
  }

  private send(request: { id: number; method: string; input: unknown; resolve: Resolve }): void {
    const { id, method, input, resolve } = request;
    this.inFlight.set(id, { method, resolve });
    try {
      this.channel!.postMessage({ id, method, input });
    } catch (error) {
      // An input the structured clone cannot carry (a function, say) fails this call only.
      this.inFlight.delete(id);
      resolve({ ok: false, error: { code: ErrorCode.InvalidInput, message: `${method}: the input cannot be sent (${(error as Error).message})` } });
    }
  }

  private receive(message: unknown): void {
    if (typeof message !== 'object' || message === null) return;
    const m = message as Record<string, unknown>;
    if (m.kind === 'event' && typeof m.event === 'string') {
      for (const listener of this.listeners) listener(m.event, m.payload);
      return;
    }
    if (m.kind !== 'reply' || typeof m.id !== 'number') return;
    const waiter = this.inFlight.get(m.id);
    if (!waiter) return;
    this.inFlight.delete(m.id);
    const error = m.error as { code?: unknown; message?: unknown } | undefined;
    waiter.resolve(
      m.ok === true
        ? { ok: true, result: m.result }
        : { ok: false, error: { code: typeof error?.code === 'string' ? (error.code as ErrorCode) : ErrorCode.Internal, message: String(error?.message ?? 'The backend gave no reason') } },
    );
  }
}

function restarted(method: string, why: string): Outcome<never> {
  return { ok: false, error: { code: ErrorCode.BackendRestarted, message: `${method} may not have been saved: ${why} Check the result before trying again.` } };
}
