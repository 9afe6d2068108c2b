/**
 * The preload bridge's allowlist is neither wider nor narrower than what the renderer calls: a
 * method the renderer starts to use fails here until it is allowed, and an allowed method the
 * renderer no longer calls fails here until it is taken out (issue 16: the bridge used to pass
 * every method, so an injected script reached every method with any path).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { methodNames } from './api.js';
import { BRIDGE_METHODS, isBridgeMethod } from './bridge-methods.js';

const ROOT = resolve(import.meta.dirname, '..', '..');

function rendererSources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return rendererSources(path);
    return /\.(ts|svelte)$/.test(e.name) && !e.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** Methods the renderer calls: `client.call('m', …)`, and `transport.prime('m', …)` at start-up. */
function rendererCalls(): { methods: Set<string>; unreadable: string[] } {
  const methods = new Set<string>();
  const unreadable: string[] = [];
  for (const file of rendererSources(join(ROOT, 'renderer', 'src'))) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\.(?:call|prime)\(\s*(['"`])([^'"`]*)\1/g)) methods.add(m[2]!);
    // A call whose method is not a literal would escape this check; none may exist.
    for (const m of text.matchAll(/\.(?:call|prime)\(\s*(?!['"`])([^)\s,]*)/g)) unreadable.push(`${relative(ROOT, file)}: .call(${m[1]}`);
  }
  return { methods, unreadable };
}

describe('preload bridge methods', () => {
  it('are all methods of the contract, each listed once', () => {
    expect(BRIDGE_METHODS.filter((m) => !methodNames.includes(m))).toEqual([]);
    expect(new Set(BRIDGE_METHODS).size).toBe(BRIDGE_METHODS.length);
  });

  it('are exactly the methods renderer/ calls', () => {
    const { methods, unreadable } = rendererCalls();
    expect(unreadable).toEqual([]);
    expect(methods.size).toBeGreaterThan(20);
    expect([...methods].filter((m) => !isBridgeMethod(m)).sort()).toEqual([]);
    expect(BRIDGE_METHODS.filter((m) => !methods.has(m))).toEqual([]);
  });

  it('leave out what the renderer does not use', () => {
    expect(isBridgeMethod('settings:get')).toBe(false);
    for (const name of ['nope', 'toString', '__proto__', 'constructor', 42, null, undefined]) expect(isBridgeMethod(name)).toBe(false);
  });
});
