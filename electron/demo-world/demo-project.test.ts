import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Backend, createBackend } from '../backend/backend.js';
import { DEMO_MODELS } from '../backend/runs/project-settings.js';
import { backendCall } from '../backend/backend-call.js';
import { createDemoProject } from './demo-project.js';

let backend: Backend | undefined;
afterEach(() => backend?.dispose());

describe('createDemoProject', () => {
  it('creates a project and imports demo images with five references each, once', async () => {
    backend = createBackend({ mode: 'browser', version: 'test', actor: 'tester' });
    const call = backendCall(backend);
    const dir = join(mkdtempSync(join(tmpdir(), 'rt-demo-project-')), 'demo');
    const demo = await createDemoProject(call, dir, { count: 6 });
    expect(demo.report).toMatchObject({ imported: 6, references: 30, problems: [] });
    expect(demo.project).toMatchObject({ name: 'Demo world', imageCount: 6 });
    expect(demo.imagesDir).toBe(join(demo.project.path, 'demo-images'));
    // The project's models are the bundled demo models, written into the project itself.
    expect(await call('settings:get', {})).toEqual({ activeModels: DEMO_MODELS, executionProvider: 'cpu' });
    expect(backend.session.require().meta.get('engine.active_models')).toBe(JSON.stringify(DEMO_MODELS));
    await expect(createDemoProject(call, dir, { count: 6 })).rejects.toThrow(/already holds a Roundtrip project/);
  });
});
