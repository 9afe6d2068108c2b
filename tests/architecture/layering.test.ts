/**
 * The folders are the architecture (DESIGN.md §6): `shared/` is the contract and imports
 * nothing from either side; the renderer never reaches into the Node side; the Node side never
 * imports renderer code. Checked here so a stray import fails the build, not a code review.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..', '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|svelte)$/.test(name) ? [path] : [];
  });
}

/** Top-level folder each relative import of `file` lands in, plus its bare package imports. */
function importsOf(file: string): { folders: string[]; packages: string[] } {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map(
    (m) => m[1] ?? m[2]!,
  );
  const folders: string[] = [];
  const packages: string[] = [];
  for (const s of specifiers) {
    if (s.startsWith('.')) folders.push(relative(ROOT, resolve(dirname(file), s)).split(/[\\/]/)[0]!);
    else packages.push(s);
  }
  return { folders, packages };
}

function violations(folder: string, allowedFolders: string[], allowedPackages: (p: string) => boolean): string[] {
  return sourceFiles(join(ROOT, folder))
    // Tests and their helpers (a `testing/` folder, as in electron/) may import test tools.
    .filter((f) => !/\.test\.ts$/.test(f) && !/[\\/]testing[\\/]/.test(f))
    .flatMap((file) => {
      const { folders, packages } = importsOf(file);
      return [
        ...folders.filter((f) => !allowedFolders.includes(f)).map((f) => `${relative(ROOT, file)} imports from ${f}/`),
        ...packages.filter((p) => !allowedPackages(p)).map((p) => `${relative(ROOT, file)} imports ${p}`),
      ];
    });
}

describe('layering', () => {
  it('shared/ imports only itself and zod', () => {
    expect(violations('shared', ['shared'], (p) => p === 'zod')).toEqual([]);
  });

  it('renderer/ imports only itself, shared/ and browser-safe packages', () => {
    expect(violations('renderer', ['renderer', 'shared'], (p) => p === 'svelte' || p.startsWith('svelte/') || p === 'zod')).toEqual([]);
  });

  it('electron/ never imports renderer code', () => {
    expect(violations('electron', ['electron', 'shared', 'package.json'], () => true)).toEqual([]);
  });
});
