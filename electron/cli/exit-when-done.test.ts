/**
 * Issue 16, defect 3: a thread stuck in a file system call kept the process from exiting after
 * SIGINT/SIGTERM. A child process here holds a real stuck thread (a blocking open of a FIFO no one
 * writes to) and must still end once its work is done.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const OUT_DIR = join(resolve(import.meta.dirname, '..', '..'), 'node_modules', '.cache', 'roundtrip-tests');
let entry: string;

beforeAll(async () => {
  mkdirSync(OUT_DIR, { recursive: true });
  const source = join(OUT_DIR, `exit-entry-${process.pid}.ts`);
  writeFileSync(
    source,
    `import { open } from 'node:fs/promises';
import { exitWhenDone } from ${JSON.stringify(join(import.meta.dirname, 'exit-when-done.ts'))};
const [fifo] = process.argv.slice(2);
if (fifo) void open(fifo, 'r'); // no O_NONBLOCK: a libuv thread waits for a writer that never comes
exitWhenDone(3, (line) => process.stderr.write(line + '\\n'), 300);
`,
  );
  entry = join(OUT_DIR, `exit-entry-${process.pid}.mjs`);
  await build({ entryPoints: [source], outfile: entry, bundle: true, platform: 'node', format: 'esm', logLevel: 'warning' });
  rmSync(source);
});

afterAll(() => rmSync(entry, { force: true }));

function run(args: string[]): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string; ms: number }> {
  const started = Date.now();
  const child = spawn(process.execPath, [entry, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const guard = setTimeout(() => child.kill('SIGKILL'), 10_000);
  return new Promise((done) =>
    child.on('exit', (code, signal) => {
      clearTimeout(guard);
      done({ code, signal, stderr, ms: Date.now() - started });
    }),
  );
}

describe('exitWhenDone', () => {
  it('exits with the command code at once when nothing is stuck', async () => {
    const result = await run([]);
    expect(result).toMatchObject({ code: 3, signal: null, stderr: '' });
  });

  it('ends a process whose exit a stuck file system call would hold for ever', async () => {
    const fifo = join(mkdtempSync(join(tmpdir(), 'rt-exit-')), 'stuck');
    execFileSync('mkfifo', [fifo]);
    const result = await run([fifo]);
    expect(result.signal).toBe('SIGKILL');
    expect(result.ms).toBeLessThan(5_000);
    expect(result.stderr).toContain('a file system call is still stuck');
  }, 15_000);
});
