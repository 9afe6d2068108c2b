/**
 * A Roundtrip project holding demo-world images and their reference captions, imported through
 * the ordinary COCO import (the same path a user's dataset takes). Used by `roundtrip demo` and
 * on first run, when the default project does not exist yet.
 */
import { join } from 'node:path';
import type { ImportReport, ProjectInfo } from '../../shared/contract/schemas.js';
import { MODEL_SLOTS, type ModelChoice } from '../../shared/contract/run-schemas.js';
import type { BackendCall } from '../backend/backend-call.js';
import { DEMO_MODELS } from '../backend/runs/project-settings.js';
import { type Split, writeDemoSplit } from './dataset.js';


export interface DemoProjectOptions {
  split?: Split;
  count?: number;
  seed?: number;
  name?: string;
  onProgress?: (done: number, total: number) => void;
}

/** The held-out split by default: what the demo shows is never what the demo models trained on. */
export const DEMO_PROJECT_DEFAULTS = { split: 'test', count: 200, seed: 1, name: 'Demo world' } as const;

export interface DemoProject {
  project: ProjectInfo;
  report: ImportReport;
  /** Where the images and their captions.json were written (inside the project folder). */
  imagesDir: string;
}

/** Creates the project at `dir` (refused if one is already there), writes the images, imports them. */
export async function createDemoProject(call: BackendCall, dir: string, options: DemoProjectOptions = {}): Promise<DemoProject> {
  const { split, count, seed, name } = { ...DEMO_PROJECT_DEFAULTS, ...options };
  const created = await call('project:create', { path: dir, name });
  // Inside the project folder, so the project carries its pictures along when copied.
  const imagesDir = join(created.path, 'demo-images');
  const captionsFile = join(imagesDir, 'captions.json');
  await writeDemoSplit({ captionsFile, imagesDir }, { split, count, seed, onProgress: options.onProgress });
  const report = await call('import:coco', { file: captionsFile, images: imagesDir });
  await useDemoModels(call);
  const project = await call('project:open', { path: created.path });
  return { project, report, imagesDir };
}

/**
 * Makes the bundled demo models (captioner, generator, CLIP image and text towers) the project's
 * models, written into the project so it keeps them whatever later becomes the default. A demo
 * model that is not installed here is left out rather than failing the whole demo.
 */
async function useDemoModels(call: BackendCall): Promise<void> {
  const { models } = await call('models:list', {});
  const installed = new Set(models.filter((m) => m.status === 'installed').map((m) => m.id));
  const activeModels: ModelChoice = {};
  for (const slot of MODEL_SLOTS) if (installed.has(DEMO_MODELS[slot])) activeModels[slot] = DEMO_MODELS[slot];
  if (Object.keys(activeModels).length > 0) await call('settings:update', { activeModels });
}
