import './app/global.css';
import { PrimedTransport } from './lib/api/primed-transport.js';
import { selectTransport } from './lib/api/select-transport.js';
import { FIRST_GRID_PAGE } from './lib/grid/grid-page.js';

const target = document.getElementById('app');
if (!target) throw new Error('index.html is missing #app');

// Connect and ask for what the first screen shows before loading the app: the app (Svelte, the
// contract's schemas, the views) is a second chunk, evaluated while the backend answers.
const transport = new PrimedTransport(selectTransport(window as unknown as { roundtrip?: unknown; location: Location }));
transport.prime('app:info', {});
transport.prime('images:list', FIRST_GRID_PAGE);

import('./app/start.js')
  .then(({ start }) => start(target, transport))
  .catch((error: unknown) => {
    target.textContent = `Roundtrip could not load: ${error instanceof Error ? error.message : String(error)}`;
  });
