/**
 * A project's engine settings, kept in its `project_meta` table: the models it uses (registry
 * ids, one per slot) and the execution provider it asks for. A project that never chose uses
 * the bundled demo models on the CPU, which every installation has.
 */
import {
  ActiveModelsSchema,
  ExecutionProviderSchema,
  type ActiveModels,
  type ExecutionProvider,
  type ModelChoice,
  type ProjectSettings,
} from '../../../shared/contract/run-schemas.js';
import type { MetaRepo } from '../../storage/repos/meta-repo.js';

/** Registry ids of the demo models in resources/demo (their roundtrip-model.json); the CLIP folder holds both towers. */
export const DEMO_MODELS: ActiveModels = {
  captioner: 'demo/captioner',
  generator: 'demo/generator',
  imageEmbedder: 'demo/clip',
  textEmbedder: 'demo/clip',
};

const ACTIVE_KEY = 'engine.active_models';
const PROVIDER_KEY = 'engine.execution_provider';

export function readProjectSettings(meta: MetaRepo): ProjectSettings {
  return { activeModels: activeModels(meta), executionProvider: executionProvider(meta) };
}

/** Stored choices, slot by slot; a slot never chosen (or unreadable) falls back to the demo model. */
function activeModels(meta: MetaRepo): ActiveModels {
  const stored = parseJson(meta.get(ACTIVE_KEY));
  const parsed = ActiveModelsSchema.partial().safeParse(stored);
  return { ...DEMO_MODELS, ...(parsed.success ? parsed.data : {}) };
}

/** The models a project chose itself (demo projects choose the demo models), without the demo fallback; undefined if it never chose. */
export function chosenModels(meta: MetaRepo): Partial<ActiveModels> | undefined {
  const parsed = ActiveModelsSchema.partial().safeParse(parseJson(meta.get(ACTIVE_KEY)));
  return parsed.success && parsed.data ? parsed.data : undefined;
}

function executionProvider(meta: MetaRepo): ExecutionProvider {
  const parsed = ExecutionProviderSchema.safeParse(meta.get(PROVIDER_KEY));
  return parsed.success ? parsed.data : 'cpu';
}

export function writeProjectSettings(meta: MetaRepo, change: { activeModels?: ModelChoice; executionProvider?: ExecutionProvider }): ProjectSettings {
  if (change.activeModels) meta.set(ACTIVE_KEY, JSON.stringify({ ...activeModels(meta), ...change.activeModels }));
  if (change.executionProvider) meta.set(PROVIDER_KEY, change.executionProvider);
  return readProjectSettings(meta);
}

function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
