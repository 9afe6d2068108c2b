/**
 * A Roundtrip project holding demo-world images and their reference captions, imported through
 * the ordinary COCO import (the same path a user's dataset takes). Used by `roundtrip demo` and
 * on first run, when the default project does not exist yet.
 */
import { join } from 'node:path';
import type { MethodInput, MethodName, MethodOutput } from '../../shared/contract/api.js';
import type { ImportReport, ProjectInfo } from '../../shared/contract/schemas.js';
import type { Backend } from '../backend/backend.js';
import { type Split, writeDemoSplit } from './dataset.js';

/** One backend API call: the CLI's client.call, or backendCall() in Electron. */
export type BackendCall = <M extends MethodName>(method: M, input: MethodInput<M>) => Promise<MethodOutput<M>>;

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
  // TODO(issue 4): configure the demo models from resources/demo/ (captioner, generator,
  // embedders) for this project once the model registry exists; until then it has data only.
  const project = await call('project:open', { path: created.path });
  return { project, report, imagesDir };
}

/** A BackendCall straight onto a backend's dispatcher (Electron has no CLI client). */
export function backendCall(backend: Backend): BackendCall {
  return async <M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> => {
    const outcome = await backend.dispatcher.dispatch(method, input, { actor: backend.actor });
    if (!outcome.ok) throw new Error(outcome.error.message);
    return outcome.result as MethodOutput<M>;
  };
}
