import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openReportEmbedders } from './open-embedders.js';

describe('openReportEmbedders', () => {
  it('an embedder the user named that cannot be opened is an error naming the folder; otherwise a note', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rt-embedder-'));
    writeFileSync(join(dir, 'model.onnx'), 'not a model');
    await expect(openReportEmbedders({ image: dir, text: dir }, { required: true })).rejects.toThrow(new RegExp(`^The image embedder ${dir} could not be opened \\(.+\\); pass a model folder that opens, or --no-embedder`));
    const fallback = await openReportEmbedders({ image: dir, text: dir });
    expect(fallback.embedders).toBeUndefined();
    expect(fallback.note).toMatch(new RegExp(`^Caption metrics only: image embedder ${dir} could not be opened`));
    await fallback.dispose();
  });
});
