/**
 * Issue 16, defect 3 (cancellation) and defect 6 (jobs at shutdown), through the real dispatcher,
 * SQLite and files: an import stops on import:cancel with CANCELLED, keeps what it saved, and the
 * same import run again adds the rest; a backend disposed during an import cancels it and closes
 * the project only once it has stopped, so the call ends CANCELLED rather than INTERNAL.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { JobProgress } from '../../shared/contract/schemas.js';
import { Project } from '../storage/project.js';
import { backendCall } from './backend-call.js';
import { noiseImage, tempDir, writeFiles } from './import/test-images.js';
import { testBackend } from './testing/test-backend.js';

const COUNT = 500;

async function folderOf(count: number): Promise<string> {
  const dir = tempDir('cancel-imgs');
  const png = await noiseImage('png', 16, 16, 1);
  // Same pixels, different files: each is probed and stored on its own.
  for (let i = 0; i < count; i++) writeFiles(dir, { [`${String(i).padStart(4, '0')}.png`]: Buffer.concat([png, Buffer.from([i & 0xff, i >> 8])]) });
  return dir;
}

function whenImported(backend: ReturnType<typeof testBackend>, atLeast: number): Promise<void> {
  return new Promise((resolve) => {
    const stop = backend.bus.subscribe((event, payload) => {
      const p = payload as JobProgress;
      if (event === 'job:progress' && p.kind === 'import' && p.phase === 'importing' && p.done >= atLeast) {
        stop();
        resolve();
      }
    });
  });
}

describe('cancelling an import', () => {
  it('stops it with CANCELLED, keeps the images saved, and a second run adds the rest', async () => {
    const root = tempDir('cancel');
    const folder = await folderOf(COUNT);
    const backend = testBackend(root);
    const call = backendCall(backend);
    await call('project:create', { path: join(root, 'p') });

    const importing = call('import:folder', { folder }).then(
      () => null,
      (error: unknown) => error,
    );
    // Past the first batch (200 images), so some are saved before the stop.
    await whenImported(backend, 250);
    expect(await call('import:cancel', {})).toEqual({ cancelled: 1 });
    const error = await importing;
    expect(error).toMatchObject({ code: 'CANCELLED', message: expect.stringMatching(/^The import was cancelled\. \d+ new image\(s\) saved before it stopped are kept/) });
    const kept = backend.session.require().images.count();
    expect(kept).toBeGreaterThanOrEqual(200);
    expect(kept).toBeLessThan(COUNT);
    expect(error).toMatchObject({ message: expect.stringContaining(`${kept} new image(s)`) });
    expect(await call('import:cancel', {})).toEqual({ cancelled: 0 });

    const again = await call('import:folder', { folder });
    expect(again).toMatchObject({ imported: COUNT - kept, alreadyPresent: kept, problems: [] });
    await backend.dispose();
  }, 60_000);

  it('is what a shutdown does: the call ends CANCELLED, nothing is logged as INTERNAL, the project stays sound', async () => {
    const root = tempDir('shutdown');
    const folder = await folderOf(COUNT);
    const errors: unknown[] = [];
    const backend = testBackend(root, { log: { error: (...a: unknown[]) => errors.push(a), warn() {}, info() {} } });
    const call = backendCall(backend);
    const dir = join(root, 'p');
    await call('project:create', { path: dir });

    const importing = call('import:folder', { folder }).then(
      () => null,
      (error: unknown) => error,
    );
    await whenImported(backend, 250);
    await backend.dispose();
    expect(await importing).toMatchObject({ code: 'CANCELLED' });
    expect(errors).toEqual([]);
    const project = Project.open(dir);
    const kept = project.images.count();
    expect(kept).toBeGreaterThanOrEqual(200);
    project.dispose();
  }, 60_000);
});
