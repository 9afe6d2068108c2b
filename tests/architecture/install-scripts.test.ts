/**
 * Install scripts are a policy, written down in package.json's `allowScripts`: npm 12 skips every
 * dependency's install script that is not listed there, so a package that needs one (the
 * better-sqlite3 build) would silently install broken, and one we must not run (onnxruntime-node's
 * CUDA download, which fails offline) must stay denied. This walks the installed tree the way npm
 * decides what has an install script, so a new dependency with one fails here, not on a user's
 * machine.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..', '..');
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { allowScripts?: Record<string, boolean> };
const allowScripts = manifest.allowScripts ?? {};

/** Packages the lockfile says have install scripts (npm records this when it resolves the tree). */
function lockedWithInstallScripts(): string[] {
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { hasInstallScript?: boolean }> };
  return Object.entries(lock.packages)
    .filter(([, entry]) => entry.hasInstallScript)
    .map(([path]) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length))
    .sort();
}

/** Every installed package folder under `node_modules`, nested ones and scopes included. */
function installedPackages(nodeModules: string): string[] {
  if (!existsSync(nodeModules)) return [];
  return readdirSync(nodeModules, { withFileTypes: true }).flatMap((entry) => {
    if (!entry.isDirectory() || entry.name.startsWith('.')) return [];
    const path = join(nodeModules, entry.name);
    if (entry.name.startsWith('@')) return installedPackages(path);
    return existsSync(join(path, 'package.json')) ? [path, ...installedPackages(join(path, 'node_modules'))] : [];
  });
}

/** Names of installed packages npm would run an install script for (a gyp file implies one). */
function installedWithInstallScripts(): string[] {
  const names = new Set<string>();
  for (const dir of installedPackages(join(ROOT, 'node_modules'))) {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; scripts?: Record<string, string> };
    const scripts = pkg.scripts ?? {};
    const hasScript = ['preinstall', 'install', 'postinstall'].some((s) => s in scripts) || existsSync(join(dir, 'binding.gyp'));
    if (hasScript && pkg.name) names.add(pkg.name);
  }
  return [...names].sort();
}

describe('install scripts', () => {
  it('every dependency the lockfile marks as having an install script has a decision in allowScripts, and no other', () => {
    const locked = lockedWithInstallScripts();
    expect(locked).toContain('better-sqlite3');
    expect(locked.filter((name) => !(name in allowScripts))).toEqual([]);
    expect(Object.keys(allowScripts).filter((name) => !locked.includes(name))).toEqual([]);
  });

  it('agrees with what is installed (however it was installed: peers or dev dependencies may be left out)', () => {
    expect(installedWithInstallScripts().filter((name) => !(name in allowScripts))).toEqual([]);
  });

  it('runs the native builds the app needs and never the CUDA download', () => {
    expect(allowScripts['better-sqlite3']).toBe(true);
    expect(allowScripts['esbuild']).toBe(true);
    expect(allowScripts['onnxruntime-node']).toBe(false);
  });
});
