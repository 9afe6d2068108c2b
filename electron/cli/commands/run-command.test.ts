/**
 * The CLI's side of run ownership, with a stand-in run kind (no models): a new run is claimed
 * before its models load, so the app's job host cannot pick it up; --resume refuses a run a live
 * process executes, takes over one whose process died, and refuses a run whose models changed.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { modelProvenance, type ModelProvenance } from '../../engine/model-provenance.js';
import { RunRunner } from '../../engine/run-runner.js';
import { Project } from '../../storage/project.js';
import { newRunOwner, type RunRecord } from '../../storage/repos/runs-repo.js';
import type { CommandContext } from '../command.js';
import { runCommand, type RunCommand } from './run-command.js';

let dir: string;
const lines: string[] = [];
afterEach(() => {
  lines.length = 0;
});

function newProject(count: number): { dir: string; runId: number; model: string } {
  dir = join(mkdtempSync(join(tmpdir(), 'rt-run-command-')), 'p');
  const project = Project.create(dir);
  const model = mkdtempSync(join(tmpdir(), 'rt-run-command-model-'));
  writeFileSync(join(model, 'model.onnx'), 'weights v1');
  const ds = project.datasets.ensure('/data', 'data', 'folder');
  const ids = Array.from({ length: count }, (_, i) => project.images.insert({ datasetId: ds.id, externalId: null, relPath: `${i}.png`, sha256: 'h', bytes: 1, width: 1, height: 1 }));
  const runId = project.runs.create('suggest', {}, ids).id;
  project.dispose();
  return { dir, runId, model };
}

/** A stand-in suggest command; `during` sees the run while the "models" load. */
function standIn(options: { models?: ModelProvenance; during?: (run: RunRecord) => void; computed?: number[] } = {}): RunCommand<{ dispose(): Promise<void> }> {
  return {
    label: 'suggest',
    kind: 'suggest',
    create: async (project) => project.runs.create('suggest', { models: options.models ? { generator: options.models } : {} }, project.runs.itemImageIds(1)),
    load: async (run) => {
      const project = Project.open(dir);
      options.during?.(project.runs.get(run.id)!);
      project.dispose();
      return { dispose: async () => {} };
    },
    describe: (run) => `${run.total} image(s)`,
    execute: (project, runId, _models, execute) =>
      new RunRunner(project.runs).run(
        runId,
        async (imageId) => {
          options.computed?.push(imageId);
          return {};
        },
        execute,
      ),
  };
}

function ctx(values: CommandContext['values'] = {}): CommandContext {
  const io = { out: (l: string) => lines.push(l), err: (l: string) => lines.push(l), progress: () => {} };
  return { positionals: [dir], values, client: undefined as never, io, stopSignal: new Promise(() => {}) };
}

describe('runCommand', () => {
  it('creates its run already held, so no other process starts it while models load', async () => {
    const { model } = newProject(2);
    let seen: RunRecord | undefined;
    await runCommand(ctx(), standIn({ models: await modelProvenance(model), during: (run) => (seen = run) }));
    expect(seen).toMatchObject({ status: 'running' });
    const project = Project.open(dir);
    expect(project.runs.list().at(-1)).toMatchObject({ status: 'completed', done: 2 });
    expect(project.runs.holder(seen!.id)).toBeUndefined();
    project.dispose();
  });

  it('refuses --resume of a run a live process executes, and resumes at once one whose process died', async () => {
    const { runId } = newProject(3);
    const project = Project.open(dir);
    project.runs.claim(runId, newRunOwner());
    const computed: number[] = [];
    await expect(runCommand(ctx({ resume: String(runId) }), standIn({ computed }))).rejects.toThrow(
      new RegExp(`^Run ${runId} is being executed by process ${process.pid} on .*, alive \\d+ s ago; pause it there or wait for it to finish\\.`),
    );
    expect(computed).toEqual([]);
    expect(project.runs.get(runId)).toMatchObject({ status: 'running' });

    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    project.db.prepare(`UPDATE runs SET owner = ? WHERE id = ?`).run(`${dead}@${hostname()}#dead`, runId);
    await runCommand(ctx({ resume: String(runId) }), standIn({ computed }));
    expect(computed).toHaveLength(3);
    expect(lines).toContain(`Run ${runId} completed: 3 done, 0 failed of 3 (3 computed now)`);
    project.dispose();
  });

  it('refuses --resume when a recorded model changed, and leaves the run failed with why', async () => {
    const { runId, model } = newProject(2);
    const project = Project.open(dir);
    project.db.prepare(`UPDATE runs SET status = 'paused', settings = ? WHERE id = ?`).run(JSON.stringify({ models: { captioner: await modelProvenance(model) } }), runId);
    writeFileSync(join(model, 'model.onnx'), 'weights v2');
    const computed: number[] = [];
    await expect(runCommand(ctx({ resume: String(runId) }), standIn({ computed }))).rejects.toMatchObject({ code: 'RUN_INPUTS_CHANGED', model: 'captioner' });
    expect(computed).toEqual([]);
    expect(project.runs.get(runId)).toMatchObject({ status: 'failed', error: expect.stringContaining('The captioner model of run') });
    expect(project.runs.holder(runId)).toBeUndefined();
    project.dispose();
  });
});
