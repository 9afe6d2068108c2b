/**
 * Serves the API on one connection of the backend host (a window's MessagePort, or the
 * supervisor's channel). Every frame is checked as an envelope here and its input against the
 * contract by the dispatcher; a frame that is not a request fails that request alone (or is
 * dropped when it has no id to answer), never the process. Events of the bus go to every
 * connection.
 */
import { ErrorCode } from '../../../shared/contract/errors.js';
import { WsRequestSchema, type Outcome, type WsMessage } from '../../../shared/contract/wire.js';
import type { MessageChannelLike } from '../../inference/worker/rpc.js';
import type { Backend } from '../backend.js';
import type { Logger } from '../dispatcher.js';

export interface ConnectionOptions {
  log: Logger;
  /** Null when `method` may be called on this connection, else the refusal (a window: only BRIDGE_METHODS). */
  refuse?: (method: string) => Outcome<never> | null;
  /** Methods outside the API this connection may call (the supervisor's `host:*`); undefined for any other name. */
  control?: (method: string, input: unknown) => Promise<Outcome<unknown>> | undefined;
}

export function serveConnection(backend: Backend, channel: MessageChannelLike, options: ConnectionOptions): () => void {
  const { log } = options;
  const post = (message: WsMessage) => {
    try {
      channel.postMessage(message);
    } catch (error) {
      // A closed port, or a value the structured clone refuses: this reply is lost, the host goes on.
      log.warn(`Backend host: could not post a ${message.kind}: ${(error as Error).message}`);
    }
  };
  const answer = async (message: unknown) => {
    const parsed = WsRequestSchema.safeParse(message);
    if (!parsed.success) {
      const id = (message as { id?: unknown } | null)?.id;
      if (typeof id === 'number' && Number.isSafeInteger(id) && id >= 0) {
        post({ kind: 'reply', id, ok: false, error: { code: ErrorCode.InvalidInput, message: 'Malformed request: expected {id, method, input}.' } });
      } else log.warn('Backend host: dropped a frame that is not a request');
      return;
    }
    const { id, method, input } = parsed.data;
    const outcome = options.refuse?.(method) ?? (await (options.control?.(method, input) ?? backend.dispatcher.dispatch(method, input, { actor: backend.actor })));
    post({ kind: 'reply', id, ...outcome });
  };
  const stopRequests = channel.onMessage((message) => {
    // Lifecycle frames (host:connect) are the host's, not requests.
    if ((message as { kind?: unknown } | null)?.kind !== undefined) return;
    answer(message).catch((error: Error) => log.error(`Backend host: a request failed outside the dispatcher: ${error.message}`));
  });
  const stopEvents = backend.bus.subscribe((event, payload) => post({ kind: 'event', event, payload }));
  return () => {
    stopRequests();
    stopEvents();
  };
}
