/**
 * Browser-mode transport: one WebSocket to the backend, requests correlated by id.
 * Authentication rides on an HttpOnly cookie the server set when it served the page,
 * so nothing secret passes through JavaScript here.
 */
import type { MediaKind, Transport } from '../../../../shared/contract/client.js';
import { ErrorCode, type ApiErrorShape } from '../../../../shared/contract/errors.js';
import { WsMessageSchema, type Outcome, type WsRequest } from '../../../../shared/contract/wire.js';

/** The subset of the DOM WebSocket this transport uses; `ws` in Node provides it too. */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(): void;
  addEventListener(type: 'open' | 'close' | 'error', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}

export type WebSocketCtor = new (url: string) => WebSocketLike;

export interface WsTransportOptions {
  url: string;
  /** Injected for tests in Node, which has no global WebSocket. */
  WebSocketImpl?: WebSocketCtor;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
}

const OPEN = 1;

export const LOST_CONNECTION: Outcome<never> = {
  ok: false,
  error: { code: ErrorCode.Internal, message: 'Lost connection to the Roundtrip backend' },
};

type Pending = (outcome: Outcome<unknown>) => void;

export class WsTransport implements Transport {
  private socket: WebSocketLike | null = null;
  private nextId = 1;
  /** Sent and awaiting a reply: lost if the socket closes, since the backend may never answer. */
  private readonly inFlight = new Map<number, Pending>();
  /** Not yet sent: safe to hold across reconnects. */
  private queue: { request: WsRequest; resolve: Pending }[] = [];
  private readonly listeners = new Set<(event: string, payload: unknown) => void>();
  private attempts = 0;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private disposed = false;
  private readonly Impl: WebSocketCtor;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;

  constructor(private readonly options: WsTransportOptions) {
    const Impl = options.WebSocketImpl ?? (globalThis.WebSocket as unknown as WebSocketCtor | undefined);
    if (!Impl) throw new Error('No WebSocket implementation available');
    this.Impl = Impl;
    this.initialBackoffMs = options.initialBackoffMs ?? 250;
    this.maxBackoffMs = options.maxBackoffMs ?? 10_000;
    this.connect();
  }

  invoke(method: string, input: unknown): Promise<Outcome<unknown>> {
    if (this.disposed) return Promise.resolve(LOST_CONNECTION);
    return new Promise((resolve) => {
      const request: WsRequest = { id: this.nextId++, method, input };
      if (this.socket?.readyState === OPEN) this.send(request, resolve);
      else this.queue.push({ request, resolve });
    });
  }

  subscribe(listener: (event: string, payload: unknown) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  mediaUrl(kind: MediaKind, imageId: number): string {
    // Relative, so it resolves against wherever the backend served the page from.
    return `media/${kind}/${imageId}`;
  }

  dispose(): void {
    this.disposed = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.socket?.close();
    this.socket = null;
    this.failInFlight();
    for (const { resolve } of this.queue) resolve(LOST_CONNECTION);
    this.queue = [];
  }

  private connect(): void {
    const socket = new this.Impl(this.options.url);
    this.socket = socket;
    socket.addEventListener('open', () => {
      if (socket !== this.socket) return;
      this.attempts = 0;
      const queued = this.queue;
      this.queue = [];
      for (const { request, resolve } of queued) this.send(request, resolve);
    });
    socket.addEventListener('message', (event) => this.receive(event.data));
    socket.addEventListener('close', () => {
      if (socket !== this.socket) return;
      this.socket = null;
      this.failInFlight();
      if (!this.disposed) this.scheduleReconnect();
    });
    // 'close' always follows 'error', so reconnecting is handled there.
    socket.addEventListener('error', () => {});
  }

  private scheduleReconnect(): void {
    const delay = Math.min(this.maxBackoffMs, this.initialBackoffMs * 2 ** this.attempts);
    this.attempts++;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      if (!this.disposed) this.connect();
    }, delay);
  }

  private send(request: WsRequest, resolve: Pending): void {
    this.inFlight.set(request.id, resolve);
    try {
      this.socket?.send(JSON.stringify(request));
    } catch {
      this.inFlight.delete(request.id);
      resolve({ ok: false, error: { code: ErrorCode.InvalidInput, message: `${request.method}: input cannot be sent` } });
    }
  }

  private receive(data: unknown): void {
    if (typeof data !== 'string') return;
    let raw: unknown;
    try {
      raw = JSON.parse(data);
    } catch {
      return;
    }
    const parsed = WsMessageSchema.safeParse(raw);
    if (!parsed.success) return;
    const message = parsed.data;
    if (message.kind === 'event') {
      for (const listener of this.listeners) listener(message.event, message.payload);
      return;
    }
    const resolve = this.inFlight.get(message.id);
    if (!resolve) return;
    this.inFlight.delete(message.id);
    resolve(
      message.ok
        ? { ok: true, result: message.result }
        : // The client re-checks the code with isApiErrorShape; the wire schema only says it is a string.
          { ok: false, error: message.error as ApiErrorShape },
    );
  }

  private failInFlight(): void {
    const pending = [...this.inFlight.values()];
    this.inFlight.clear();
    for (const resolve of pending) resolve(LOST_CONNECTION);
  }
}

/** The WebSocket URL beside the page, e.g. http://host/app/ → ws://host/app/api/ws. */
export function wsUrlFor(pageHref: string): string {
  const url = new URL('api/ws', pageHref);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}
