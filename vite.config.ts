import { svelte } from '@sveltejs/vite-plugin-svelte';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { preloadAppChunk } from './scripts/preload-app-chunk.js';

const root = fileURLToPath(new URL('./renderer', import.meta.url));

export default defineConfig({
  root,
  // Relative asset paths: the same build is loaded from disk by Electron and over HTTP in browser mode.
  base: './',
  // The Svelte config sits at the repository root (svelte-check reads it there too).
  plugins: [svelte({ configFile: fileURLToPath(new URL('./svelte.config.js', import.meta.url)) }), preloadAppChunk('/renderer/src/app/start.ts')],
  build: {
    outDir: fileURLToPath(new URL('./dist/renderer', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
  },
});
