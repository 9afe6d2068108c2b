/**
 * A typed client over any transport. The transport moves envelopes; this class validates
 * inputs before they leave and outputs when they arrive, so a broken backend or transport
 * shows up as a clear error rather than as a wrong value in the UI.
 */
import { api, events, type EventName, type EventPayload, type MethodInput, type MethodName, type MethodOutput } from './api.js';
import { ApiError, ErrorCode, isApiErrorShape } from './errors.js';
import type { Outcome } from './wire.js';

export interface Transport {
  invoke(method: string, input: unknown): Promise<Outcome<unknown>>;
  subscribe(listener: (event: string, payload: unknown) => void): () => void;
  /** URL at which the renderer can load an image of the open project (`id`: an image id, or a candidate id for a reconstruction). */
  mediaUrl(kind: MediaKind, id: number): string;
}

/** `reconstruction`: the image a suggest run drew from a candidate caption, by candidate id. */
export type MediaKind = 'thumb' | 'image' | 'reconstruction';

export class ApiClient {
  constructor(private readonly transport: Transport) {}

  async call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
    const checkedInput = api[method].input.safeParse(input);
    if (!checkedInput.success) {
      throw new ApiError(ErrorCode.InvalidInput, `${method}: ${checkedInput.error.issues[0]?.message ?? 'invalid input'}`);
    }
    const outcome = await this.transport.invoke(method, input);
    if (!outcome.ok) {
      const e = outcome.error;
      throw isApiErrorShape(e) ? new ApiError(e.code, e.message) : new ApiError(ErrorCode.Internal, 'Malformed error');
    }
    const checkedOutput = api[method].output.safeParse(outcome.result);
    if (!checkedOutput.success) {
      throw new ApiError(ErrorCode.Internal, `${method}: the backend replied with data that does not match the contract`);
    }
    return checkedOutput.data as MethodOutput<M>;
  }

  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    return this.transport.subscribe((name, payload) => {
      if (name !== event) return;
      const parsed = events[event].safeParse(payload);
      if (parsed.success) listener(parsed.data as EventPayload<E>);
    });
  }

  private mediaKey: string | null = null;

  /** The open project's `mediaKey`: media URLs carry it, so caches and the backend tell projects apart. */
  setMediaKey(key: string | null): void {
    this.mediaKey = key;
  }

  mediaUrl(kind: MediaKind, imageId: number): string {
    const url = this.transport.mediaUrl(kind, imageId);
    return this.mediaKey === null ? url : `${url}?p=${this.mediaKey}`;
  }
}
