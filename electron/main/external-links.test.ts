import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXTERNAL_LINK_HOSTS, externalLinkToOpen } from './external-links.js';

const RENDERER = resolve(import.meta.dirname, '..', '..', 'renderer');

function rendererSources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return rendererSources(path);
    return /\.(ts|svelte|html)$/.test(e.name) && !e.name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('externalLinkToOpen', () => {
  const hosts = ['huggingface.co'];

  it('opens https links to an allowed host', () => {
    expect(externalLinkToOpen('https://huggingface.co/onnx-community/x', hosts)).toBe('https://huggingface.co/onnx-community/x');
    expect(externalLinkToOpen('https://HuggingFace.co/docs#a', hosts)).toBe('https://huggingface.co/docs#a');
  });

  it('refuses every other scheme, host, port or credential', () => {
    for (const url of [
      'http://huggingface.co/',
      'https://huggingface.co.evil.com/',
      'https://evil.com/?https://huggingface.co/',
      'https://evil.com#@huggingface.co',
      'https://user@huggingface.co/',
      'https://huggingface.co:8443/',
      'file:///etc/passwd',
      'smb://server/share',
      'ms-msdt:/id PCWDiagnostic',
      'javascript:alert(1)',
      'app://roundtrip/index.html',
      'not a url',
    ]) {
      expect(externalLinkToOpen(url, hosts), url).toBeNull();
    }
  });

  it('allows only the hosts the renderer links to, and all of them', () => {
    const linked = new Set<string>();
    for (const file of rendererSources(RENDERER)) {
      for (const match of readFileSync(file, 'utf8').matchAll(/https:\/\/([a-z0-9.-]+)/gi)) linked.add(match[1]!.toLowerCase());
    }
    expect([...linked].sort()).toEqual([...EXTERNAL_LINK_HOSTS].sort());
    // Today there is none, so nothing at all leaves the app.
    expect(externalLinkToOpen('https://huggingface.co/')).toBeNull();
  });
});
