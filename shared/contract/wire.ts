/**
 * Envelopes both transports use. Electron's IPC only carries an Error's message, so results
 * travel as `{ ok, result | error }` rather than as thrown errors.
 */
import { z } from 'zod';
import type { ApiErrorShape } from './errors.js';

export type Outcome<T> = { ok: true; result: T } | { ok: false; error: ApiErrorShape };

export const OutcomeSchema = z.union([
  z.object({ ok: z.literal(true), result: z.unknown() }),
  z.object({ ok: z.literal(false), error: z.object({ code: z.string(), message: z.string() }) }),
]);

/** Renderer → backend over WebSocket. */
export const WsRequestSchema = z.object({
  id: z.number().int().nonnegative(),
  method: z.string(),
  input: z.unknown(),
});
export type WsRequest = z.infer<typeof WsRequestSchema>;

/** Backend → renderer over WebSocket: a reply to request `id`, or an event. */
export type WsMessage =
  | ({ kind: 'reply'; id: number } & Outcome<unknown>)
  | { kind: 'event'; event: string; payload: unknown };

export const WsMessageSchema = z.union([
  z.intersection(z.object({ kind: z.literal('reply'), id: z.number() }), OutcomeSchema),
  z.object({ kind: z.literal('event'), event: z.string(), payload: z.unknown() }),
]);

export { IpcChannel, MEDIA_SCHEME } from './channels.js';
