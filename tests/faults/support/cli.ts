/** The CLI bundled by global-setup.ts, run to completion or started in the background. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';

export function cliPath(): string {
  const cli = process.env.FAULTS_CLI;
  if (!cli) throw new Error('FAULTS_CLI is not set: run the fault suite through `npm run test:faults`');
  return cli;
}

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** `roundtrip ARGS…` to its end. */
export function roundtrip(...args: string[]): CliResult {
  return roundtripWith({}, ...args);
}

/** `roundtrip ARGS…` to its end, with Node options (e.g. `--import` of a fault injector) and more environment. */
export function roundtripWith(options: { nodeArgs?: string[]; env?: Record<string, string> }, ...args: string[]): CliResult {
  const run = spawnSync(process.execPath, [...(options.nodeArgs ?? []), cliPath(), ...args], { encoding: 'utf8', timeout: 180_000, env: { ...process.env, ...options.env } });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** `roundtrip ARGS…` that must succeed; returns its stdout. */
export function roundtripOk(...args: string[]): string {
  const run = roundtrip(...args);
  if (run.status !== 0) throw new Error(`roundtrip ${args.join(' ')} failed (${run.status}):\n${run.stderr}`);
  return run.stdout;
}

export interface Background {
  child: ChildProcess;
  output(): string;
  /** Resolves once the process has ended, with its exit code or signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  running(): boolean;
}

export function startCli(args: string[], nodeArgs: string[] = []): Background {
  const child = spawn(process.execPath, [...nodeArgs, cliPath(), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  // 'close', not 'exit': only then has everything the process wrote been read.
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  return { child, output: () => output, exited, running: () => child.exitCode === null && child.signalCode === null };
}

/** SIGKILL, then wait for the end. */
export async function killNine(process: Background): Promise<void> {
  if (process.running()) process.child.kill('SIGKILL');
  await process.exited;
}
