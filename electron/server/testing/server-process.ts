/**
 * Runs browser mode in a child process, so a test can tell "the request failed" from "the server
 * died": an unhandled error in the server ends that process, not the test runner. The entry is
 * bundled from source with esbuild (as scripts/bundle.mjs does), so no build is needed first.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { bundleEntry } from '../../backend/testing/bundle-entry.js';

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

export async function startServerProcess(projectDir: string, rendererDir: string): Promise<ServerProcess> {
  const entry = await bundleEntry(join(import.meta.dirname, 'serve-for-tests.ts'), 'serve-for-tests');
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
