/**
 * The API methods the Electron renderer may call through the preload bridge: exactly those it
 * uses (bridge-methods.test.ts compares this list with renderer/ and with the contract). Preload
 * refuses any other name, and so does the main process, which does not trust preload. An
 * injected script in the page thus reaches only what the UI itself can do; it has no way to
 * `settings:get`, say, or to any method added to the contract for the CLI or scripts only.
 *
 * The renderer does need the methods that take paths (project:open/create, import:folder/coco,
 * export:write): the user types them in the UI. The backend validates those paths itself, never
 * trusting the caller: projects open only where a Roundtrip project is and are created only in
 * an empty or new folder; imports read only regular files; exports go outside the project and
 * its datasets and replace only this project's own earlier exports.
 *
 * Imports only errors.ts (itself import-free) and types: the sandboxed preload bundles this file.
 */
import type { MethodName } from './api.js';
import { ErrorCode } from './errors.js';
import type { Outcome } from './wire.js';

export const BRIDGE_METHODS = [
  'app:info',
  'project:open',
  'project:create',
  'datasets:list',
  'images:list',
  'images:get',
  'images:neighbours',
  'decisions:record',
  'decisions:undo',
  'review:queue',
  'review:item',
  'import:folder',
  'import:coco',
  'import:cancel',
  'export:write',
  'runs:start',
  'runs:list',
  'runs:get',
  'runs:pause',
  'runs:resume',
  'runs:cancel',
  'models:list',
  'models:verify',
  'models:pull',
  'models:cancel-pull',
  'settings:update',
  'eval:report',
  'eval:cancel',
  'audit:disagreements',
  'audit:weak-references',
  'audit:vocabulary',
  'notes:get',
  'notes:set',
  'notes:search',
  'notes:tags',
] as const satisfies readonly MethodName[];

export type BridgeMethod = (typeof BRIDGE_METHODS)[number];

export function isBridgeMethod(name: unknown): name is BridgeMethod {
  return typeof name === 'string' && (BRIDGE_METHODS as readonly string[]).includes(name);
}

/** The reply to a method outside the list, from preload and from the main process alike. */
export function refuseBridgeMethod(method: unknown): Outcome<never> {
  const name = JSON.stringify(String(method)).slice(0, 80);
  return { ok: false, error: { code: ErrorCode.UnknownMethod, message: `${name} cannot be called from the Roundtrip window.` } };
}
