import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RUN_DEFAULTS } from '../../shared/contract/run-schemas.js';
import { MANIFEST_FILE } from './manifest.js';
import { defaultGeneratorSettings } from './run-defaults.js';

function folder(manifest?: object | string): string {
  const dir = mkdtempSync(join(tmpdir(), 'rt-run-defaults-'));
  if (manifest !== undefined) writeFileSync(join(dir, MANIFEST_FILE), typeof manifest === 'string' ? manifest : JSON.stringify(manifest));
  return dir;
}

const base = { id: 'x/gen', role: 'generator', family: 'stable-diffusion', name: 'gen', version: '1', licence: 'MIT', files: [] };
const general = { steps: RUN_DEFAULTS.steps, guidance: RUN_DEFAULTS.guidance };

describe('defaultGeneratorSettings', () => {
  it('takes the steps and guidance the generator’s manifest measured, each on its own', async () => {
    expect(await defaultGeneratorSettings(folder({ ...base, runDefaults: { steps: 3, guidance: 1, note: 'gain sweep' } }))).toEqual({ steps: 3, guidance: 1 });
    expect(await defaultGeneratorSettings(folder({ ...base, runDefaults: { steps: 3 } }))).toEqual({ steps: 3, guidance: RUN_DEFAULTS.guidance });
    expect(await defaultGeneratorSettings(folder({ ...base, runDefaults: { guidance: 0 } }))).toEqual({ steps: RUN_DEFAULTS.steps, guidance: 0 });
  });

  it('falls back to the general defaults without a manifest, without runDefaults, or with a broken manifest', async () => {
    expect(await defaultGeneratorSettings(folder())).toEqual(general);
    expect(await defaultGeneratorSettings(folder(base))).toEqual(general);
    expect(await defaultGeneratorSettings(folder('{ not json'))).toEqual(general);
  });

  it('ignores out-of-range values rather than using them', async () => {
    expect(await defaultGeneratorSettings(folder({ ...base, runDefaults: { steps: 0 } }))).toEqual(general);
    expect(await defaultGeneratorSettings(folder({ ...base, runDefaults: { guidance: 99 } }))).toEqual(general);
  });
});
