/** A backend for tests: silent logs and no user models (only the bundled demo models); `options` on top. */
import { join } from 'node:path';
import { ModelRegistry } from '../../models/registry.js';
import { createBackend, type Backend, type BackendOptions } from '../backend.js';

export function testBackend(root: string, options: Partial<BackendOptions> = {}): Backend {
  return createBackend({
    mode: 'browser',
    version: 'test',
    actor: 'tester',
    log: { error() {}, warn() {}, info() {} },
    registry: new ModelRegistry({ modelsDir: join(root, 'no-user-models') }),
    ...options,
  });
}
