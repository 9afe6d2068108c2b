/**
 * Carries the API over one WebSocket per browser tab: requests in, replies and events out.
 * Each message is validated as an envelope here and its input against the contract by the
 * dispatcher.
 *
 * A socket that breaks the protocol (invalid UTF-8, an unmasked or compressed frame, a reserved
 * opcode, a message over the size limit) or whose connection fails makes `ws` emit 'error' on
 * it; an EventEmitter with no 'error' listener throws, which would take the whole backend down
 * with it (issue 16). So every socket, and the server, gets a listener: the one socket is
 * closed (ws has already picked the close code, 1002/1007/1009, and sends it), the rest go on.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { WsRequestSchema, type WsMessage } from '../../shared/contract/wire.js';
import type { Backend } from '../backend/backend.js';
import type { Logger } from '../backend/dispatcher.js';

export const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

export class WsBridge {
  private readonly server = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  private readonly unsubscribe: () => void;

  constructor(
    private readonly backend: Backend,
    private readonly log: Logger,
  ) {
    this.server.on('error', (error) => this.log.warn(`WebSocket server: ${error.message}`));
    this.unsubscribe = backend.bus.subscribe((event, payload) => {
      const message = JSON.stringify({ kind: 'event', event, payload } satisfies WsMessage);
      for (const client of this.server.clients) if (client.readyState === client.OPEN) client.send(message);
    });
  }

  /** Completes an upgrade the HTTP server has already authorised. */
  accept(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.server.handleUpgrade(req, socket, head, (ws) => this.attach(ws));
  }

  private attach(ws: WebSocket): void {
    ws.on('error', (error: Error & { code?: string }) => {
      this.log.warn(`WebSocket closed after a protocol or connection error: ${error.message}${error.code ? ` (${error.code})` : ''}`);
      // After a protocol error ws is already closing with the right code (terminating now would
      // drop that close frame); anything that left the socket open ends it here.
      if (ws.readyState === ws.OPEN) ws.terminate();
    });
    ws.on('message', async (data, isBinary) => {
      if (isBinary) return ws.close(1003, 'text frames only');
      let request;
      try {
        request = WsRequestSchema.parse(JSON.parse(data.toString()));
      } catch {
        return ws.close(1007, 'malformed request');
      }
      const outcome = await this.backend.dispatcher.dispatch(request.method, request.input, { actor: this.backend.actor });
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ kind: 'reply', id: request.id, ...outcome } satisfies WsMessage));
    });
  }

  close(): void {
    this.unsubscribe();
    for (const client of this.server.clients) client.terminate();
    this.server.close();
  }
}
