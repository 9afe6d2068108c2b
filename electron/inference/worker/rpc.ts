/**
 * A typed request/response channel between the backend and the inference worker (Signal's
 * MainSQL pattern: requests correlated by a sequence number). onnxruntime-node's `run()` blocks
 * the thread it runs on, so models live in a separate process — a `utilityProcess` in Electron,
 * a forked child under Node — and the backend talks to it only through this channel.
 *
 * The channel is anything that can post and receive structured-clone messages, so the same
 * code runs over `child_process` IPC (advanced serialization), Electron's `parentPort`, or an
 * in-memory pair in tests.
 */
export interface MessageChannelLike {
  postMessage(message: unknown): void;
  onMessage(listener: (message: unknown) => void): () => void;
}

/** A method table: each method takes one params object and resolves to a result. */
export type RpcMethods = Record<string, (params: never) => Promise<unknown>>;

type RpcRequest = { kind: 'request'; seq: number; method: string; params: unknown };
type RpcResponse = { kind: 'response'; seq: number; ok: true; result: unknown } | { kind: 'response'; seq: number; ok: false; error: RpcErrorShape };

export interface RpcErrorShape {
  code: string;
  message: string;
}

export class RpcError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'RpcError';
  }
}

/** Serves `methods` on `channel`, one request at a time in arrival order (inference is CPU-bound). */
export function serveRpc(channel: MessageChannelLike, methods: RpcMethods): () => void {
  let queue = Promise.resolve();
  return channel.onMessage((message) => {
    if (!isRequest(message)) return;
    queue = queue.then(async () => {
      const method = Object.hasOwn(methods, message.method) ? methods[message.method] : undefined;
      let response: RpcResponse;
      if (!method) {
        response = { kind: 'response', seq: message.seq, ok: false, error: { code: 'UNKNOWN_METHOD', message: `No worker method ${message.method}` } };
      } else {
        try {
          response = { kind: 'response', seq: message.seq, ok: true, result: await method(message.params as never) };
        } catch (error) {
          const e = error as { code?: unknown; message?: unknown };
          const code = typeof e?.code === 'string' ? e.code : 'INTERNAL';
          response = { kind: 'response', seq: message.seq, ok: false, error: { code, message: String(e?.message ?? error) } };
        }
      }
      channel.postMessage(response);
    });
  });
}

type Params<F> = F extends (params: infer P) => Promise<unknown> ? P : never;
type Result<F> = F extends (params: never) => Promise<infer R> ? R : never;

/** Calls methods served by `serveRpc` on the other end of `channel`. */
export class RpcClient<M extends RpcMethods> {
  private seq = 0;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private readonly stop: () => void;

  constructor(private readonly channel: MessageChannelLike) {
    this.stop = channel.onMessage((message) => {
      if (!isResponse(message)) return;
      const waiter = this.pending.get(message.seq);
      if (!waiter) return;
      this.pending.delete(message.seq);
      if (message.ok) waiter.resolve(message.result);
      else waiter.reject(new RpcError(message.error.code, message.error.message));
    });
  }

  call<K extends keyof M & string>(method: K, params: Params<M[K]>): Promise<Result<M[K]>> {
    const seq = ++this.seq;
    return new Promise((resolve, reject) => {
      this.pending.set(seq, { resolve: resolve as (value: unknown) => void, reject });
      try {
        this.channel.postMessage({ kind: 'request', seq, method, params } satisfies RpcRequest);
      } catch (error) {
        this.pending.delete(seq);
        reject(error as Error);
      }
    });
  }

  /** Fails every call in flight, e.g. when the worker process died. */
  failAll(error: Error): void {
    const waiters = [...this.pending.values()];
    this.pending.clear();
    for (const w of waiters) w.reject(error);
  }

  get inFlight(): number {
    return this.pending.size;
  }

  dispose(): void {
    this.stop();
    this.failAll(new RpcError('CANCELLED', 'The inference client was closed'));
  }
}

function isRequest(m: unknown): m is RpcRequest {
  const r = m as RpcRequest;
  return typeof m === 'object' && m !== null && r.kind === 'request' && typeof r.seq === 'number' && typeof r.method === 'string';
}

function isResponse(m: unknown): m is RpcResponse {
  const r = m as RpcResponse;
  return typeof m === 'object' && m !== null && r.kind === 'response' && typeof r.seq === 'number' && typeof r.ok === 'boolean';
}
