/**
 * Sends the calls every start makes (app:info, the grid's first page) before the app that makes
 * them has loaded, so the backend works on them while the browser compiles and mounts the app.
 * The app's own identical call, made later through the typed client, takes the early reply; the
 * client still validates it, since it passes through here unchanged.
 */
import type { MediaKind, Transport } from '../../../../shared/contract/client.js';
import type { Outcome } from '../../../../shared/contract/wire.js';

/** An early reply older than this is refetched rather than shown. */
const MAX_AGE_MS = 5_000;

interface Primed {
  at: number;
  outcome: Promise<Outcome<unknown>>;
}

export class PrimedTransport implements Transport {
  private readonly primed = new Map<string, Primed>();

  constructor(
    private readonly inner: Transport,
    private readonly now: () => number = () => performance.now(),
  ) {
    // Any event (a project opened, a decision, a job) may change what an early reply says.
    inner.subscribe(() => this.primed.clear());
  }

  /** Sends `method(input)` now; the first later `invoke` with an equal input gets its reply. */
  prime(method: string, input: unknown): void {
    this.primed.set(callKey(method, input), { at: this.now(), outcome: this.inner.invoke(method, input) });
  }

  invoke(method: string, input: unknown): Promise<Outcome<unknown>> {
    const key = callKey(method, input);
    const early = this.primed.get(key);
    if (early) {
      this.primed.delete(key);
      if (this.now() - early.at <= MAX_AGE_MS) return early.outcome;
    }
    return this.inner.invoke(method, input);
  }

  subscribe(listener: (event: string, payload: unknown) => void): () => void {
    return this.inner.subscribe(listener);
  }

  mediaUrl(kind: MediaKind, id: number): string {
    return this.inner.mediaUrl(kind, id);
  }
}

/** The same for inputs that differ only in key order. */
function callKey(method: string, input: unknown): string {
  return `${method} ${JSON.stringify(input, (_, value: unknown) => (isPlainObject(value) ? sortKeys(value) : value))}`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function sortKeys(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.keys(value).sort().map((k) => [k, value[k]]));
}
