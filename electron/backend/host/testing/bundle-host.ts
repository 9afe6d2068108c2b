/** The backend host entry bundled from source, so tests and benches start the real host without a build first. */
import { join } from 'node:path';
import { bundleEntry, CHECKOUT_ROOT } from '../../testing/bundle-entry.js';

export function bundleHost(): Promise<string> {
  return bundleEntry(join(CHECKOUT_ROOT, 'electron', 'backend', 'host', 'host-main.ts'), 'backend-host');
}
