/**
 * Electron transport over the preload bridge. The bridge is typed `unknown` on purpose:
 * whatever crosses from preload is parsed here before the client sees it.
 */
import type { MediaKind, Transport } from '../../../../shared/contract/client.js';
import { ErrorCode, type ApiErrorShape } from '../../../../shared/contract/errors.js';
import { MEDIA_SCHEME, OutcomeSchema, type Outcome } from '../../../../shared/contract/wire.js';

/** What preload exposes as `window.roundtrip`. */
export interface RoundtripBridge {
  invoke(method: string, input: unknown): Promise<unknown>;
  subscribe(listener: (event: string, payload: unknown) => void): () => void;
}

export function isRoundtripBridge(value: unknown): value is RoundtripBridge {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.invoke === 'function' && typeof v.subscribe === 'function';
}

export class IpcTransport implements Transport {
  constructor(private readonly bridge: RoundtripBridge) {}

  async invoke(method: string, input: unknown): Promise<Outcome<unknown>> {
    let raw: unknown;
    try {
      raw = await this.bridge.invoke(method, input);
    } catch (e) {
      // Electron rejects with only a message; the backend is meant to reply with an Outcome instead.
      return internal(`${method}: ${e instanceof Error ? e.message : 'IPC failed'}`);
    }
    const parsed = OutcomeSchema.safeParse(raw);
    if (!parsed.success) return internal(`${method}: the backend sent a malformed reply`);
    const outcome = parsed.data;
    return outcome.ok ? { ok: true, result: outcome.result } : { ok: false, error: outcome.error as ApiErrorShape };
  }

  subscribe(listener: (event: string, payload: unknown) => void): () => void {
    return this.bridge.subscribe(listener);
  }

  mediaUrl(kind: MediaKind, imageId: number): string {
    return `${MEDIA_SCHEME}://media/${kind}/${imageId}`;
  }
}

function internal(message: string): Outcome<never> {
  return { ok: false, error: { code: ErrorCode.Internal, message } };
}
