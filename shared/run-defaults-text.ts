/** One line for a model's run defaults, the same in the Models view and the CLI. */
import type { ModelRunDefaults } from './contract/run-schemas.js';

/** e.g. "1 step · guidance 0 · euler (SD-turbo as published: …)". */
export function describeRunDefaults(d: ModelRunDefaults): string {
  const parts = [d.steps !== undefined ? `${d.steps} step${d.steps === 1 ? '' : 's'}` : null, d.guidance !== undefined ? `guidance ${d.guidance}` : null, d.scheduler ?? null];
  const text = parts.filter((p) => p !== null).join(' · ');
  return d.note ? `${text} (${d.note})` : text;
}
