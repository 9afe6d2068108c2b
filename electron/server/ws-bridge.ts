/**
 * Carries the API over one WebSocket per browser tab: requests in, replies and events out.
 * Each message is validated as an envelope here and its input against the contract by the
 * dispatcher.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { WsRequestSchema, type WsMessage } from '../../shared/contract/wire.js';
import type { Backend } from '../backend/backend.js';

const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

export class WsBridge {
  private readonly server = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  private readonly unsubscribe: () => void;

  constructor(private readonly backend: Backend) {
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
