import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RUN_DEFAULTS } from '../../shared/contract/run-schemas.js';
import { MANIFEST_FILE } from './manifest.js';
import { defaultGeneratorSteps } from './run-defaults.js';

function folder(manifest?: object | string): string {
  const dir = mkdtempSync(join(tmpdir(), 'rt-run-defaults-'));
  if (manifest !== undefined) writeFileSync(join(dir, MANIFEST_FILE), typeof manifest === 'string' ? manifest : JSON.stringify(manifest));
  return dir;
}

const base = { id: 'x/gen', role: 'generator', family: 'stable-diffusion', name: 'gen', version: '1', licence: 'MIT', files: [] };

describe('defaultGeneratorSteps', () => {
  it('takes the steps the generator’s manifest measured', async () => {
    expect(await defaultGeneratorSteps(folder({ ...base, runDefaults: { steps: 3, note: 'gain sweep' } }))).toBe(3);
  });

  it('falls back to the general default without a manifest, without runDefaults, or with a broken manifest', async () => {
    expect(await defaultGeneratorSteps(folder())).toBe(RUN_DEFAULTS.steps);
    expect(await defaultGeneratorSteps(folder(base))).toBe(RUN_DEFAULTS.steps);
    expect(await defaultGeneratorSteps(folder('{ not json'))).toBe(RUN_DEFAULTS.steps);
  });

  it('ignores an out-of-range count rather than using it', async () => {
    expect(await defaultGeneratorSteps(folder({ ...base, runDefaults: { steps: 0 } }))).toBe(RUN_DEFAULTS.steps);
  });
});
