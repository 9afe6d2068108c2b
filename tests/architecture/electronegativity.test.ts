/**
 * `npm run lint:electron` (scripts/electronegativity.mjs) fails on Electronegativity findings above
 * LOW unless an `eng-disable` comment at the line explains them. The tool itself takes ~15 s and
 * tries the network, so the suite checks the script's rules and the comments, not a full run.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findingsAboveLow, unexplainedDisables, type ElectronegativityIssue } from '../../scripts/electronegativity.mjs';

const ROOT = resolve(import.meta.dirname, '..', '..');

function issue(id: string, severity: string, value: number): ElectronegativityIssue {
  return { id, file: join(ROOT, 'electron/main/x.ts'), location: { line: 3, column: 4 }, severity: { name: severity, value }, description: 'd' };
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return /\.(ts|html)$/.test(e.name) ? [path] : [];
  });
}

describe('electronegativity rules', () => {
  it('fails on findings above LOW only', () => {
    const lines = findingsAboveLow([issue('A_JS_CHECK', 'HIGH', 3), issue('B_JS_CHECK', 'MEDIUM', 2), issue('C_GLOBAL_CHECK', 'LOW', 1), issue('D', 'INFORMATIONAL', 0)], ROOT);
    expect(lines).toEqual(['electron/main/x.ts:3:4 A_JS_CHECK (HIGH) d', 'electron/main/x.ts:3:4 B_JS_CHECK (MEDIUM) d']);
  });

  it('wants a reason after every eng-disable', () => {
    // Spelled in two parts, or lint:electron would find these unexplained comments in this file.
    const disable = 'eng-' + 'disable';
    expect(unexplainedDisables(`a(); // ${disable} PRELOAD_JS_CHECK\nb(); /* ${disable} X_JS_CHECK: */\n`)).toHaveLength(2);
    expect(unexplainedDisables(`a(); // ${disable} PRELOAD_JS_CHECK: our own bundled preload, checked by a test\n`)).toEqual([]);
  });

  it('every eng-disable in the Electron layer and the renderer says why', () => {
    const missing = [...sources(join(ROOT, 'electron')), ...sources(join(ROOT, 'renderer'))].flatMap((file) =>
      unexplainedDisables(readFileSync(file, 'utf8')).map((hit) => `${file}:${hit}`),
    );
    expect(missing).toEqual([]);
  });
});
