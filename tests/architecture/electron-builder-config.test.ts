/**
 * The desktop packages are built where an Electron binary exists, never here; electron-builder's
 * own loader and schema check the configuration now, so a typo or a dropped hardening setting
 * fails the tests instead of the release build.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config.js';
import { DebugLogger } from 'builder-util';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..', '..');
const load = () => getConfig(ROOT, 'electron-builder.yml', null);

describe('electron-builder.yml', () => {
  it('is a valid electron-builder configuration', async () => {
    await expect(validateConfiguration(await load(), new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('is checked: an unknown key is refused', async () => {
    const config = { ...(await load()), fusesTypo: true } as Parameters<typeof validateConfiguration>[0];
    await expect(validateConfiguration(config, new DebugLogger(false))).rejects.toThrow(/fusesTypo/);
  });

  it('flips the fuses that keep the packaged app from running as plain Node or loading other code', async () => {
    expect((await load()).electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
      // The renderer is served from app:// (issue 16), so file:// needs none of its old privileges.
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('keeps native modules outside the asar archive', async () => {
    const unpacked = (await load()).asarUnpack as string[];
    for (const pattern of ['**/*.node', 'node_modules/better-sqlite3/**', 'node_modules/onnxruntime-node/**', 'node_modules/sharp/**']) expect(unpacked).toContain(pattern);
  });

  it('ships resources/ (the demo models) as plain files beside the archive, where main.ts looks when packaged', async () => {
    const config = await load();
    expect(config.extraResources).toEqual([expect.objectContaining({ from: 'resources', to: 'resources' })]);
    const main = readFileSync(join(ROOT, 'electron', 'main', 'main.ts'), 'utf8');
    expect(main).toMatch(/app\.isPackaged\) process\.env\.ROUNDTRIP_DEMO_MODELS \?\?= join\(process\.resourcesPath, 'resources', 'demo'\)/);
  });
});
