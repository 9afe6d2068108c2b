/**
 * What the engine benches share: the demo models' folders (or a clean skip when they are not
 * trained), and a fresh demo project of held-out test images created through the ordinary API.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Backend, createBackend } from '../../electron/backend/backend.js';
import { backendCall } from '../../electron/backend/backend-call.js';
import { createDemoProject } from '../../electron/demo-world/demo-project.js';
import { defaultDemoRoot } from '../../electron/models/registry.js';
import type { Project } from '../../electron/storage/project.js';

export interface DemoModelDirs {
  captioner: string;
  generator: string;
  embedder: string;
}

/** The demo model folders; exits the bench (status 0, one line) when any is missing. */
export function demoModelDirsOrSkip(bench: string): DemoModelDirs {
  const demo = defaultDemoRoot();
  const dirs = { captioner: join(demo, 'captioner'), generator: join(demo, 'generator'), embedder: join(demo, 'clip') };
  const missing = Object.values(dirs).filter((d) => !existsSync(d));
  if (missing.length) {
    console.log(`${bench}: skipped, demo models missing (${missing.join(', ')}); train them with tools/demo-world/train-all.sh`);
    process.exit(0);
  }
  return dirs;
}

export interface DemoBenchProject {
  backend: Backend;
  project: Project;
  name: string;
  /** Every image's id, its file and its reference captions, in grid order. */
  images: { id: number; file: string; references: string[] }[];
}

export async function openDemoBenchProject(count: number, prefix: string): Promise<DemoBenchProject> {
  const backend = createBackend({ mode: 'browser', version: 'bench', actor: 'bench', log: { error() {}, warn() {}, info() {} } });
  const { project: info } = await createDemoProject(backendCall(backend), join(mkdtempSync(join(tmpdir(), prefix)), 'demo'), { count });
  const project = backend.session.current!;
  const images = [...project.images.iterate()].map((image) => ({
    id: image.id,
    file: join(image.rootPath, image.fileName),
    references: project.references.forImage(image.id).map((r) => r.text),
  }));
  return { backend, project, name: info.name, images };
}

/** Samples the process's resident set size until stopped; returns the peak in MiB. */
export function peakRssSampler(): { stop(): number } {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, process.memoryUsage().rss) / 2 ** 20;
    },
  };
}
