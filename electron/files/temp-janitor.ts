/**
 * Cleans up after an export whose process is killed (SIGKILL, a crash, the OOM killer): no code
 * of that process runs then, so the cleanup lives in a small helper process. The exporting
 * process tells it over a pipe which temporary paths exist; the kernel closes the pipe however
 * the exporting process ends, and the helper then deletes every temporary still registered
 * (and puts back a previous folder export that was moved aside for a swap, see atomic-folder.ts).
 *
 * One helper per process, started on the first export and living as long as the process: it is
 * detached (its own session, so a terminal closing takes the exporting process but not it) and
 * unreferenced (it never keeps the exporting process alive). Where no helper can be started
 * (Electron without ELECTRON_RUN_AS_NODE, a sandbox), exports still work: leftovers are swept by
 * the next export to the same place (sweepStaleTemps in atomic-file.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';

/** A registered temporary path; `release` once it is gone or became the real output. */
export interface TempRegistration {
  release(): void;
}

// Plain CommonJS for `node -e`. Messages are JSON lines: {op: 'add', path, restoreTo?} | {op: 'drop', path}.
const HELPER = `
const fs = require('fs');
const live = new Map();
let buffer = '';
let done = false;
const cleanup = () => {
  if (done) return;
  done = true;
  for (const entry of live.values()) {
    try {
      if (entry.restoreTo && !fs.existsSync(entry.restoreTo)) fs.renameSync(entry.path, entry.restoreTo);
      else fs.rmSync(entry.path, { recursive: true, force: true });
    } catch {}
  }
  process.exit(0);
};
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  buffer += chunk;
  for (let end = buffer.indexOf('\\n'); end >= 0; end = buffer.indexOf('\\n')) {
    const line = buffer.slice(0, end);
    buffer = buffer.slice(end + 1);
    try {
      const message = JSON.parse(line);
      if (message.op === 'add') live.set(message.path, message);
      else live.delete(message.path);
    } catch {}
  }
});
process.stdin.on('end', cleanup);
process.stdin.on('error', cleanup);
process.on('SIGHUP', () => {});
`;

let helper: ChildProcess | null | undefined;

function startHelper(): ChildProcess | null {
  // Inside Electron, process.execPath is the app; it only acts as Node when allowed to.
  if (process.versions.electron && process.env.ELECTRON_RUN_AS_NODE !== '1') return null;
  try {
    const child = spawn(process.execPath, ['-e', HELPER], {
      detached: true,
      stdio: ['pipe', 'ignore', 'ignore'],
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      windowsHide: true,
    });
    child.on('error', () => (helper = null));
    child.stdin!.on('error', () => (helper = null));
    child.unref();
    (child.stdin as unknown as { unref?: () => void }).unref?.();
    return child;
  } catch {
    return null;
  }
}

function send(message: Record<string, unknown>): void {
  if (helper === undefined) helper = startHelper();
  if (!helper?.stdin?.writable) return;
  helper.stdin.write(`${JSON.stringify(message)}\n`);
}

/**
 * Registers `path` to be deleted if this process dies before releasing it; with `restoreTo`, it
 * is instead moved back there when nothing is there any more.
 */
export function trackTemp(path: string, restoreTo?: string): TempRegistration {
  send(restoreTo === undefined ? { op: 'add', path } : { op: 'add', path, restoreTo });
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      send({ op: 'drop', path });
    },
  };
}
