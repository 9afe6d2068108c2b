/**
 * onnxruntime's native library errors go straight to the process's stderr, where no in-process
 * hook sees them, so the probe runs as a process of its own: a CUDA request on a machine without
 * CUDA falls back quietly (the reason is in the session info), unless ROUNDTRIP_ORT_LOG asks for
 * onnxruntime's own log.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { ortLogLevel } from './ort-log.js';

const ROOT = join(import.meta.dirname, '../../..');
const MODEL = join(ROOT, 'tests/fixtures/models/dinov2/onnx/model.onnx');
const probe = join(ROOT, 'dist', 'test-workers', 'ort-log-probe.mjs');

beforeAll(async () => {
  mkdirSync(join(ROOT, 'dist', 'test-workers'), { recursive: true });
  await build({ entryPoints: [join(import.meta.dirname, 'testing/ort-log-probe.ts')], outfile: probe, bundle: true, platform: 'node', format: 'esm', packages: 'external', logLevel: 'silent' });
});

function runProbe(env: NodeJS.ProcessEnv) {
  const result = spawnSync(process.execPath, [probe, MODEL], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env } });
  expect(result.status, result.stderr).toBe(0);
  return { info: JSON.parse(result.stdout) as { provider: string; fallbackReason: string | null }, stderr: result.stderr };
}

describe('onnxruntime log', () => {
  it('reads the level from ROUNDTRIP_ORT_LOG, fatal unless it names a level', () => {
    expect(ortLogLevel({})).toBe('fatal');
    expect(ortLogLevel({ ROUNDTRIP_ORT_LOG: 'warning' })).toBe('warning');
    expect(ortLogLevel({ ROUNDTRIP_ORT_LOG: 'loud' })).toBe('fatal');
  });

  it('falls back from CUDA without onnxruntime writing its library error to stderr; the reason is in the session info', () => {
    const quiet = runProbe({ ROUNDTRIP_ORT_LOG: '' });
    if (quiet.info.provider === 'cuda') return; // a machine with CUDA has nothing to fall back from
    expect(quiet.info.fallbackReason).toMatch(/^cuda is not available/);
    expect(quiet.stderr).not.toMatch(/onnxruntime|Failed to load library/);
    // Asked for, onnxruntime's own log is back, so the quiet run above was quiet by choice.
    expect(runProbe({ ROUNDTRIP_ORT_LOG: 'warning' }).stderr).toMatch(/Failed to load library/);
  });
});
