/**
 * Vite plugin: index.html preloads the app chunk that renderer/src/main.ts imports dynamically
 * (its JavaScript, the chunks it imports and its CSS), so the browser fetches it alongside the
 * entry instead of after it, and before the backend gets busy with the first API calls.
 */
import type { Plugin } from 'vite';

export function preloadAppChunk(entrySuffix: string): Plugin {
  return {
    name: 'roundtrip:preload-app-chunk',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(_html, { bundle }) {
        if (!bundle) return [];
        const chunks = Object.values(bundle).flatMap((c) => (c.type === 'chunk' ? [c] : []));
        const app = chunks.find((c) => c.facadeModuleId?.endsWith(entrySuffix));
        if (!app) throw new Error(`preload-app-chunk: no chunk for ${entrySuffix}`);
        const files = new Set<string>();
        const css = new Set<string>();
        const visit = (name: string) => {
          const chunk = chunks.find((c) => c.fileName === name);
          // The entry is loaded by its own script tag, with its CSS.
          if (!chunk || chunk.isEntry || files.has(name)) return;
          files.add(name);
          for (const file of chunk.viteMetadata?.importedCss ?? []) css.add(file);
          chunk.imports.forEach(visit);
        };
        visit(app.fileName);
        return [
          ...[...css].map((href) => ({ tag: 'link', attrs: { rel: 'stylesheet', href: `./${href}` }, injectTo: 'head' as const })),
          ...[...files].map((href) => ({ tag: 'link', attrs: { rel: 'modulepreload', crossorigin: true, href: `./${href}` }, injectTo: 'head' as const })),
        ];
      },
    },
  };
}
