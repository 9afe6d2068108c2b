/** What server fault tests ask a running browser server: is it still answering, over HTTP and over its WebSocket? */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import sharp from 'sharp';
import { importFolder } from '../../backend/import/import-folder.js';
import { Project } from '../../storage/project.js';

export interface ServedProject {
  root: string;
  projectDir: string;
  rendererDir: string;
  /** The imported image (id 1). */
  imageFile: string;
  imageId: number;
}

/** A project with one imported PNG, and a renderer folder holding an index.html. */
export async function makeServedProject(prefix: string): Promise<ServedProject> {
  const root = mkdtempSync(join(tmpdir(), prefix));
  const rendererDir = join(root, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Roundtrip</title>');
  mkdirSync(join(root, 'images'));
  const imageFile = join(root, 'images', 'a.png');
  // a real PNG (electron/ does not import tests/fixtures)
  await sharp({ create: { width: 256, height: 256, channels: 3, background: { r: 220, g: 30, b: 30 } } }).png().toFile(imageFile);
  const projectDir = join(root, 'project');
  const project = Project.create(projectDir);
  try {
    await importFolder(project, join(root, 'images'));
    const [image] = project.images.list({ offset: 0, limit: 1 }).items;
    return { root, projectDir, rendererDir, imageFile, imageId: image!.id };
  } finally {
    project.dispose();
  }
}

export function httpGet(port: number, path: string, token: string): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { authorization: `Bearer ${token}` } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error(`GET ${path} timed out`)));
    req.end();
  });
}

/** One API call over a fresh WebSocket, as the app makes it. */
export function wsCall(port: number, token: string, method: string, input: unknown = {}): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/api/ws`, { headers: { authorization: `Bearer ${token}` } });
    const timer = setTimeout(() => reject(new Error(`${method} over WebSocket timed out`)), 10_000);
    ws.on('error', reject);
    ws.on('open', () => ws.send(JSON.stringify({ id: 1, method, input })));
    ws.on('message', (data) => {
      const message = JSON.parse(data.toString()) as { kind: string; id?: number };
      if (message.kind !== 'reply' || message.id !== 1) return;
      clearTimeout(timer);
      ws.close();
      resolve(message);
    });
  });
}

/** A TCP connection upgraded to a WebSocket by hand, so a test can write any bytes as frames. */
export function rawWebSocket(port: number, token: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    socket.on('error', reject);
    socket.once('connect', () =>
      socket.write(
        [
          'GET /api/ws HTTP/1.1',
          `Host: 127.0.0.1:${port}`,
          `Origin: http://127.0.0.1:${port}`,
          'Upgrade: websocket',
          'Connection: Upgrade',
          `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
          'Sec-WebSocket-Version: 13',
          `Authorization: Bearer ${token}`,
          '',
          '',
        ].join('\r\n'),
      ),
    );
    let head = '';
    const onData = (chunk: Buffer) => {
      head += chunk.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      socket.off('data', onData);
      if (!head.startsWith('HTTP/1.1 101')) return reject(new Error(`upgrade refused: ${head.split('\r\n')[0]}`));
      socket.off('error', reject);
      resolve(socket);
    };
    socket.on('data', onData);
  });
}

/**
 * A WebSocket frame's bytes. `first` is the first byte (FIN, RSV1–3, opcode); a client's frames
 * are masked, and `masked: false` makes one that breaks that rule. `length` may claim more than
 * `payload` holds.
 */
export function frame(first: number, payload: Buffer, { masked = true, length = payload.length }: { masked?: boolean; length?: number } = {}): Buffer {
  const maskBit = masked ? 0x80 : 0;
  let header: Buffer;
  if (length < 126) header = Buffer.from([first, maskBit | length]);
  else if (length < 65536) {
    header = Buffer.alloc(4);
    header[0] = first;
    header[1] = maskBit | 126;
    header.writeUInt16BE(length, 2);
  } else {
    header = Buffer.alloc(10);
    header[0] = first;
    header[1] = maskBit | 127;
    header.writeBigUInt64BE(BigInt(length), 2);
  }
  if (!masked) return Buffer.concat([header, payload]);
  const mask = randomBytes(4);
  const body = Buffer.from(payload.map((b, i) => b ^ mask[i % 4]!));
  return Buffer.concat([header, mask, body]);
}
