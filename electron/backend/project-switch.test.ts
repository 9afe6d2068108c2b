/**
 * Opening or creating another project closes the open one's database. An import, export or
 * evaluation still working in it would lose what it had not saved, so the switch is refused with
 * a message while one runs, and the job finishes whole.
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobProgress } from '../../shared/contract/schemas.js';
import { writeSquareImage } from '../../tests/fixtures/make-images.js';
import { backendCall, type BackendCall } from './backend-call.js';
import type { Backend } from './backend.js';
import { testBackend } from './testing/test-backend.js';

const IMAGES = 200;
let backend: Backend;
let call: BackendCall;
let root: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'rt-project-switch-'));
  mkdirSync(join(root, 'images'));
  for (let i = 0; i < IMAGES; i++) await writeSquareImage(join(root, 'images', `${String(i).padStart(4, '0')}.png`), i % 2 ? 'red' : 'blue', 32 + 4 * (i % 8));
  backend = testBackend(root);
  call = backendCall(backend);
  await call('project:create', { path: join(root, 'a') });
  await call('project:create', { path: join(root, 'b') });
  await call('project:open', { path: join(root, 'a') });
});

afterAll(() => backend?.dispose());

describe('switching projects', () => {
  it('is refused while an import runs in the open project; the import completes and the switch works after it', async () => {
    const started = new Promise<void>((resolve) => {
      const stop = backend.bus.subscribe((event, payload) => {
        if (event === 'job:progress' && (payload as JobProgress).kind === 'import' && (payload as JobProgress).done > 0) {
          stop();
          resolve();
        }
      });
    });
    const importing = call('import:folder', { folder: join(root, 'images') });
    await started;
    await expect(call('project:open', { path: join(root, 'b') })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('An import is still running in the open project'),
    });
    await expect(call('project:create', { path: join(root, 'c') })).rejects.toMatchObject({ code: 'CONFLICT' });

    expect(await importing).toMatchObject({ imported: IMAGES, problems: [] });
    expect((await call('app:info', {})).project).toMatchObject({ path: join(root, 'a'), imageCount: IMAGES });
    expect(await call('project:open', { path: join(root, 'b') })).toMatchObject({ path: join(root, 'b'), imageCount: 0 });
  });
});
