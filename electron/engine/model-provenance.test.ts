/**
 * Issue 16, defect 6: `suggest --captioner DIR` ran a folder whose manifest had been rejected,
 * and a symbolic link loop in a model folder passed `models verify` and then failed the run with a
 * raw ELOOP. Both are refused now, in words that name the folder, the file and the problem.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openWithOnnxRuntime } from '../models/graph-check.js';
import { MANIFEST_FILE, readManifest } from '../models/manifest.js';
import { writeModelFolder } from '../models/testing/model-folders.js';
import { verifyFolder } from '../models/verify.js';
import { modelProvenance } from './model-provenance.js';

const newFolder = async (): Promise<string> => {
  const dir = mkdtempSync(join(tmpdir(), 'rt-provenance-'));
  await writeModelFolder(dir, 'vit-gpt2');
  return dir;
};

async function verify(dir: string) {
  const manifest = (await readManifest(dir))!;
  return verifyFolder({ id: 'm', path: dir, family: manifest.family, role: manifest.role, manifest }, { openGraph: openWithOnnxRuntime });
}

describe('model folders a run would use', () => {
  it('are recorded when sound', async () => {
    const dir = await newFolder();
    const provenance = await modelProvenance(dir);
    expect(provenance).toMatchObject({ dir, id: 'test/vit-gpt2' });
    expect(provenance.files.map((f) => f.path)).toContain('onnx/encoder_model.onnx');
  });

  it('are refused when their manifest is rejected', async () => {
    const dir = await newFolder();
    writeFileSync(join(dir, MANIFEST_FILE), JSON.stringify({ id: 5 }));
    await expect(modelProvenance(dir)).rejects.toMatchObject({
      code: 'BAD_FORMAT',
      message: expect.stringMatching(new RegExp(`^${dir} is not a usable model: ${MANIFEST_FILE}: .*Fix or remove ${join(dir, MANIFEST_FILE)}`)),
    });
  });

  it('with a symbolic link loop fail verify and are refused by name, not with a raw ELOOP', async () => {
    const dir = await newFolder();
    symlinkSync('extra.json', join(dir, 'extra.json'));
    const report = await verify(dir);
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual(['extra.json: symbolic link loop (ELOOP)']);
    await expect(modelProvenance(dir)).rejects.toMatchObject({ message: `${dir} is not a usable model: extra.json: symbolic link loop (ELOOP).` });
  });

  it('with a folder linking back to the model are refused once, not walked forever', async () => {
    const dir = await newFolder();
    symlinkSync('..', join(dir, 'onnx', 'up'));
    await expect(modelProvenance(dir)).rejects.toMatchObject({ message: `${dir} is not a usable model: onnx/up: links back to a folder of the model (a symbolic link loop).` });
    expect((await verify(dir)).ok).toBe(false);
  });

  it('holding a FIFO are refused at once instead of hashing it forever', async () => {
    const dir = await newFolder();
    execFileSync('mkfifo', [join(dir, 'pipe.json')]);
    await expect(modelProvenance(dir)).rejects.toMatchObject({ message: `${dir} is not a usable model: pipe.json: not a regular file (a FIFO).` });
  }, 10_000);

  it('with a FIFO as the manifest are refused at once, naming it', async () => {
    const dir = await newFolder();
    const { rmSync } = await import('node:fs');
    rmSync(join(dir, MANIFEST_FILE));
    execFileSync('mkfifo', [join(dir, MANIFEST_FILE)]);
    await expect(modelProvenance(dir)).rejects.toMatchObject({
      message: expect.stringContaining(`${dir} is not a usable model: ${MANIFEST_FILE} is a FIFO (named pipe), not a regular file`),
    });
  }, 10_000);
});
