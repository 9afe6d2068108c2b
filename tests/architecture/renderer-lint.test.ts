/**
 * eslint.config.js keeps HTML sinks out of the renderer (issue 16). Run here so the test suite
 * enforces it, with one snippet per sink to prove each rule still bites: a rule whose selector
 * stops matching (an ESLint or parser upgrade renames a node) would otherwise pass silently.
 */
import { ESLint } from 'eslint';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..', '..');
const eslint = new ESLint({ cwd: ROOT });

/** Rule ids reported for `code` as if it were the renderer file `path`. */
async function rulesHit(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: resolve(ROOT, path) });
  return (result?.messages ?? []).map((m) => m.ruleId ?? `fatal: ${m.message}`);
}

describe('renderer lint', () => {
  it('passes on the renderer as it is', { timeout: 60_000 }, async () => {
    const results = await eslint.lintFiles(['renderer']);
    expect(results.length).toBeGreaterThan(50);
    const problems = results.flatMap((r) => r.messages.map((m) => `${r.filePath}:${m.line} ${m.ruleId} ${m.message}`));
    expect(problems).toEqual([]);
  });

  it.each([
    ['{@html}', 'renderer/src/components/X.svelte', '<script lang="ts">let x: string = "";</script>\n{@html x}\n', 'svelte/no-at-html-tags'],
    ['bind:innerHTML', 'renderer/src/components/X.svelte', '<script lang="ts">let x: string = "";</script>\n<div contenteditable bind:innerHTML={x}></div>\n', 'no-restricted-syntax'],
    ['innerHTML in a component', 'renderer/src/components/X.svelte', '<script lang="ts">export function f(el: HTMLElement, s: string) { el.innerHTML = s; }</script>\n', 'no-restricted-syntax'],
    ['innerHTML', 'renderer/src/lib/x.ts', 'export const f = (el: HTMLElement, s: string): void => { el.innerHTML = s; };\n', 'no-restricted-syntax'],
    ["['outerHTML']", 'renderer/src/lib/x.ts', "export const f = (el: HTMLElement, s: string): void => { el['outerHTML'] = s; };\n", 'no-restricted-syntax'],
    ['insertAdjacentHTML', 'renderer/src/lib/x.svelte.ts', "export const f = (el: HTMLElement, s: string): void => el.insertAdjacentHTML('beforeend', s);\n", 'no-restricted-syntax'],
    ['document.write', 'renderer/src/lib/x.ts', 'export const f = (s: string): void => document.write(s);\n', 'no-restricted-syntax'],
  ])('refuses %s', async (_name, path, code, rule) => {
    expect(await rulesHit(path, code)).toEqual([rule]);
  });

  it('leaves text alone', async () => {
    expect(await rulesHit('renderer/src/lib/x.ts', 'export const f = (el: HTMLElement, s: string): void => { el.textContent = s; };\n')).toEqual([]);
  });
});
