/**
 * Issue 16, defect 6: `images:get` on an image with 300,000 references (a project imported before
 * the per-image cap) returned 19.5 MB and blocked the backend for 3 s. It now returns the first
 * MAX_REFERENCES_RETURNED with the total, quickly.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_REFERENCES_RETURNED } from '../../shared/contract/limits.js';
import { backendCall } from './backend-call.js';
import { tempDir } from './import/test-images.js';
import { testBackend } from './testing/test-backend.js';

describe('images:get', () => {
  it('returns a bounded page of a huge reference list, with the count', async () => {
    const root = tempDir('detail');
    const backend = testBackend(root);
    const call = backendCall(backend);
    await call('project:create', { path: join(root, 'p') });
    const project = backend.session.require();
    const dataset = project.datasets.ensure(join(root, 'images'), 'images', 'folder');
    const id = project.images.insert({ datasetId: dataset.id, externalId: null, relPath: 'a.png', sha256: 'h', bytes: 1, width: 1, height: 1 });
    const insert = project.db.prepare(`INSERT INTO reference_captions (image_id, external_id, text) VALUES (?, NULL, ?)`);
    project.db.transaction(() => {
      for (let i = 0; i < 300_000; i++) insert.run(id, `reference caption number ${i} of a very much described image`);
    })();

    const started = performance.now();
    const detail = await call('images:get', { id });
    const elapsed = performance.now() - started;
    expect(detail.referenceCount).toBe(300_000);
    expect(detail.references).toHaveLength(MAX_REFERENCES_RETURNED);
    expect(detail.references[0]?.text).toBe('reference caption number 0 of a very much described image');
    expect(JSON.stringify(detail).length).toBeLessThan(64 * 1024);
    expect(elapsed).toBeLessThan(1_000);
    await backend.dispose();
  }, 60_000);
});
