import { mount } from 'svelte';
import App from './app/App.svelte';
import { createDeps } from './app/deps.js';
import { selectTransport } from './lib/api/select-transport.js';
import './app/global.css';

const target = document.getElementById('app');
if (!target) throw new Error('index.html is missing #app');

const deps = createDeps(selectTransport(window as unknown as { roundtrip?: unknown; location: Location }));
mount(App, { target, props: { deps } });
