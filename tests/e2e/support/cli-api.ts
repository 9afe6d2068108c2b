/** The built CLI run to completion, and the API of a running `serve` as scripts reach it. */
import { spawnSync } from 'node:child_process';
import type { MethodInput, MethodName, MethodOutput } from '../../../shared/contract/api.js';
import { CLI, type RunningServer } from './serve.js';

/** Runs `roundtrip ARGS…` and returns its stdout; throws with its stderr when it fails. */
export function roundtrip(...args: string[]): string {
  const run = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 120_000 });
  if (run.status !== 0) throw new Error(`roundtrip ${args.join(' ')} failed:\n${run.stderr}`);
  return run.stdout;
}

/** POST /api/invoke/<method> with the server's token, as the README documents for scripts. */
export async function invokeApi<M extends MethodName>(server: RunningServer, method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
  const token = new URL(server.url).searchParams.get('token');
  const res = await fetch(`${server.origin}/api/invoke/${method}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(input),
  });
  const outcome = (await res.json()) as { ok: boolean; result: MethodOutput<M>; error?: unknown };
  if (!outcome.ok) throw new Error(`${method}: ${JSON.stringify(outcome.error)}`);
  return outcome.result;
}
