import { readFileSync } from 'node:fs';

let cached: string | undefined;

/**
 * The version in package.json. Both the sources (electron/backend/) and the bundles (dist/cli/)
 * sit two folders below the package root, so one relative path serves both.
 */
export function appVersion(): string {
  if (cached) return cached;
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
    cached = pkg.version ?? '0.0.0';
  } catch {
    cached = '0.0.0';
  }
  return cached;
}
