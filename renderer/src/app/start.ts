/** Builds the app's services over a transport and mounts the root component. */
import { mount } from 'svelte';
import type { Transport } from '../../../shared/contract/client.js';
import App from './App.svelte';
import { createDeps } from './deps.js';

export function start(target: HTMLElement, transport: Transport): void {
  mount(App, { target, props: { deps: createDeps(transport) } });
}
