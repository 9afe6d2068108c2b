/**
 * Runs browser mode in a child process, so a test can tell "the request failed" from "the server
 * died": an unhandled error in the server ends that process, not the test runner. The entry is
 * bundled from source with esbuild (as scripts/bundle.mjs does), so no build is needed first.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

const ROOT = resolve(import.meta.dirname, '..', '..', '..');
// Inside the checkout, so the bundle's external packages resolve from its node_modules.
const OUT_DIR = join(ROOT, 'node_modules', '.cache', 'roundtrip-tests');

export interface ServerProcess {
  port: number;
  token: string;
  mediaKey: string;
  /** Everything the process wrote to stderr (its log). */
  log(): string;
  /** Null while running; the exit code or signal once it has ended. */
  exit(): { code: number | null; signal: NodeJS.Signals | null } | null;
  stop(): Promise<void>;
  /** SIGKILL (no cleanup of its own runs); resolves once the process has ended. */
  kill(): Promise<void>;
  /** Closes the server's stdin, as the death of this process would; resolves once the server has ended. */
  orphan(): Promise<void>;
}

let built = 0;

/** A fresh bundle of the entry; the caller deletes it once the process has loaded it. */
async function bundle(): Promise<string> {
  mkdirSync(OUT_DIR, { recursive: true });
  const outfile = join(OUT_DIR, `serve-for-tests-${process.pid}-${built++}.mjs`);
  await build({
    entryPoints: [join(import.meta.dirname, 'serve-for-tests.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    packages: 'external',
    logLevel: 'warning',
  });
  return outfile;
}

export async function startServerProcess(projectDir: string, rendererDir: string): Promise<ServerProcess> {
  const entry = await bundle();
  // stdin is a pipe the server watches: if this test process dies, the pipe closes and the server ends too.
  const child = spawn(process.execPath, [entry, projectDir, rendererDir], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let exited: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.on('exit', (code, signal) => (exited = { code, signal }));
  const ready = await new Promise<{ port: number; token: string; mediaKey: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server process did not start in time:\n${stderr}`)), 30_000);
    child.stdout.on('data', () => {
      const line = stdout.split('\n')[0];
      if (stdout.includes('\n') && line) {
        clearTimeout(timer);
        resolve(JSON.parse(line) as { port: number; token: string; mediaKey: string });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the server process exited with ${code}:\n${stderr}`));
    });
  }).finally(() => rmSync(entry, { force: true })); // loaded whole (one bundle) by the time it is listening
  const ended = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const kill = () => {
    if (exited === null) child.kill('SIGKILL');
    return ended;
  };
  const orphan = () => {
    child.stdin?.end();
    return ended;
  };
  return { ...ready, log: () => stderr, exit: () => exited, stop: () => stop(child), kill, orphan };
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
  });
}
