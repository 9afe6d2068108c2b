/**
 * The audit view's evaluation report through the real dispatcher and SQLite: a report being
 * computed stops on eval:cancel and fails with CANCELLED, and the next one is computed whole.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobProgress } from '../../shared/contract/schemas.js';
import { addImages, addSuggestRun } from '../evaluation/report/synthetic-runs.js';
import { backendCall, type BackendCall } from './backend-call.js';
import type { Backend } from './backend.js';
import { testBackend } from './testing/test-backend.js';

const IMAGES = 600;
let backend: Backend;
let call: BackendCall;
let runId: number;

beforeAll(async () => {
  const root = mkdtempSync(join(tmpdir(), 'rt-eval-cancel-'));
  backend = testBackend(root);
  call = backendCall(backend);
  await call('project:create', { path: join(root, 'p') });
  const project = backend.session.require();
  const refs = Array.from({ length: IMAGES }, (_, i) => [`a red square number ${i}`, `a small red box ${i % 7}`, 'a square on a pale background']);
  const ids = addImages(project, 'test', refs);
  runId = addSuggestRun(
    project,
    ids.map((imageId, i) => ({ imageId, results: [0, 1, 2, 3].map((k) => ({ text: `a ${k % 2 ? 'red' : 'blue'} square ${(i + k) % 9}`, similarity: 0.5 - k * 0.1 })) })),
  ).id;
});

afterAll(() => backend?.dispose());

describe('eval:cancel', () => {
  it('stops a report being computed (CANCELLED), says how many it stopped, and the next report completes', async () => {
    const started = new Promise<void>((resolve) => {
      const stop = backend.bus.subscribe((event, payload) => {
        if (event === 'job:progress' && (payload as JobProgress).kind === 'eval' && (payload as JobProgress).done > 0) {
          stop();
          resolve();
        }
      });
    });
    const report = call('eval:report', { runId });
    await started;
    expect(await call('eval:cancel', { runId: runId + 1 })).toEqual({ cancelled: 0 }); // another run's reports only
    expect(await call('eval:cancel', { runId })).toEqual({ cancelled: 1 });
    await expect(report).rejects.toMatchObject({ code: 'CANCELLED', message: 'The evaluation report was cancelled.' });

    expect(await call('eval:cancel', {})).toEqual({ cancelled: 0 });
    const whole = await call('eval:report', {});
    expect(whole.table1[0]!.overall.images).toBe(IMAGES);
  });
});
