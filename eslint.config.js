/**
 * Lint for the renderer: no way to put a string into the page as HTML (issue 16). The renderer
 * shows captions, file names and model output, all of it text a dataset or a model controls; with
 * no HTML sink in the code, an injected caption stays text. tests/architecture/renderer-lint.test.ts
 * runs this in the test suite and proves each rule bites.
 */
import tsParser from '@typescript-eslint/parser';
import svelte from 'eslint-plugin-svelte';

const SINK = /^(innerHTML|outerHTML|insertAdjacentHTML)$/.source;
const noHtmlSinks = [
  'error',
  { selector: `MemberExpression[property.name=/${SINK}/]`, message: 'No HTML sinks in the renderer: set textContent, or build nodes.' },
  { selector: `MemberExpression[computed=true][property.value=/${SINK}/]`, message: 'No HTML sinks in the renderer: set textContent, or build nodes.' },
  { selector: "MemberExpression[object.name='document'][property.name=/^(write|writeln)$/]", message: 'No document.write in the renderer.' },
  { selector: `SvelteDirective[kind='Binding'][key.name.name=/${SINK}/]`, message: 'No bind:innerHTML in the renderer: it parses what the user types as HTML.' },
];

export default [
  { ignores: ['dist/**', 'node_modules/**'] },
  {
    files: ['renderer/**/*.ts'],
    languageOptions: { parser: tsParser },
    rules: { 'no-restricted-syntax': noHtmlSinks },
  },
  ...svelte.configs.base,
  {
    files: ['renderer/**/*.svelte', 'renderer/**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tsParser } },
    rules: { 'svelte/no-at-html-tags': 'error', 'no-restricted-syntax': noHtmlSinks },
  },
];
