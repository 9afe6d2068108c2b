/** Handlers of the models view's maintenance methods (verify, pull, cancel a pull), spread into the backend's table. */
import type { Handlers } from '../handler-table.js';
import type { ModelAdmin } from './model-admin.js';

export function createModelHandlers({ models }: { models: ModelAdmin }): Pick<Handlers, 'models:verify' | 'models:pull' | 'models:cancel-pull'> {
  return {
    'models:verify': ({ id, hashes }) => models.verify(id, hashes),
    'models:pull': (input) => models.pull(input),
    'models:cancel-pull': () => models.cancelPull(),
  };
}
