/**
 * Stored run settings are parsed by their kind's schema when read back: rows written by today's
 * code paths (the runs API, with its request and provider, and the CLI's shapes) parse unchanged;
 * a row with a bad field fails that run with a message naming the run and the field — in the
 * executor, and in the job host, which records it on the run instead of crashing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MethodInput, MethodName, MethodOutput } from '../../shared/contract/api.js';
import { RunSettingsSchema, type RunKind } from '../../shared/contract/run-schemas.js';
import { readRunSettings } from '../backend/runs/run-kind.js';
import { RUN_KINDS } from '../backend/runs/run-kinds.js';
import { testBackend } from '../backend/testing/test-backend.js';
import { Project } from '../storage/project.js';
import { executeReferenceAuditRun } from './reference-audit-run.js';
import type { ReferenceAuditModels } from './reference-audit-pipeline.js';
import { executeSuggestRun } from './suggest-run.js';
import type { SuggestModels } from './suggest-pipeline.js';
import { executeVerifyImagesRun } from './verify-images-run.js';
import type { VerifyImagesModels } from './verify-images-pipeline.js';

const provenance = (dir: string) => ({ dir, id: 'demo/x', version: '1', files: [{ path: 'onnx/model.onnx', sha256: 'ab'.repeat(32) }] });
const models = { captioner: provenance('/m/c'), generator: provenance('/m/g'), imageEmbedder: provenance('/m/e'), textEmbedder: provenance('/m/t') };
const KINDS: RunKind[] = ['suggest', 'verify-images', 'reference-audit'];
/** Models no test here may reach: a run that gets as far as computing has read settings it should have refused. */
const unreachable = new Proxy({}, { get: () => { throw new Error('the models were used'); } });

let root: string;
let project: Project;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'rt-run-settings-'));
  project = Project.create(join(root, 'p'));
});
afterAll(() => {
  project.dispose();
  rmSync(root, { recursive: true, force: true });
});

/** A run created as `runs:start` creates it: the kind's engine settings plus the API's request and provider. */
function apiRun(kind: RunKind, input: Record<string, unknown>) {
  const definition = RUN_KINDS[kind]!;
  const settings = RunSettingsSchema.parse({ candidates: 2, beams: 2, steps: 3, guidance: 1, scheduler: 'euler', ...input });
  const recorded = { ...definition.engineSettings(settings, models), executionProvider: 'cpu', request: { settings, selection: {} } };
  return definition.create(project, recorded, {});
}

/** A stored row with one field replaced. */
function storedWith(kind: RunKind, path: string[], value: unknown): number {
  const run = apiRun(kind, {});
  const settings = structuredClone(run.settings) as Record<string, unknown>;
  let at = settings;
  for (const key of path.slice(0, -1)) at = at[key] as Record<string, unknown>;
  at[path.at(-1)!] = value;
  project.db.prepare('UPDATE runs SET settings = ? WHERE id = ?').run(JSON.stringify(settings), run.id);
  return run.id;
}

describe('stored run settings written by today’s code', () => {
  it('parse back for every kind, keeping what the API added', () => {
    for (const kind of KINDS) {
      for (const input of [{}, { sampler: 'beam', maxNewTokens: 7 }, { sampler: 'top-k', greedyCandidate: false, dtypes: { generator: 'fp16' } }, { captionTask: '<DETAILED_CAPTION>', referencesPerImage: 3 }]) {
        const run = project.runs.get(apiRun(kind, input).id)!;
        const definition = RUN_KINDS[kind]!;
        const parsed = readRunSettings(definition, run);
        // Nothing is lost or changed by the parse (JSON round trip: the row is what was written).
        expect(parsed).toEqual(run.settings);
        expect(definition.modelDirs(parsed)).toMatchObject({ generator: '/m/g', imageEmbedder: '/m/e' });
      }
    }
  });

  it('parse back in the shapes the CLI records (no request; verify-images over every reference; greedy first)', () => {
    const suggest = project.runs.create(
      'suggest',
      { seed: 9, generation: { steps: 3, guidanceScale: 7.5, scheduler: 'euler-ancestral' }, decoding: { strategy: 'sample', topP: 0.9, numReturnSequences: 6, maxNewTokens: 5, greedyFirst: true }, models: { captioner: models.captioner, generator: models.generator, embedder: models.imageEmbedder } },
      [],
    );
    expect(readRunSettings(RUN_KINDS.suggest!, suggest)).toMatchObject({ decoding: { greedyFirst: true }, seed: 9 });
    const verify = apiRun('verify-images', {});
    const all = { ...(verify.settings as object), referencesPerImage: null };
    expect(readRunSettings(RUN_KINDS['verify-images']!, { ...verify, settings: all })).toMatchObject({ referencesPerImage: null });
    // A row from before the field was always written reads as the default, as the executor always treated it.
    const { referencesPerImage: _dropped, ...older } = verify.settings as Record<string, unknown>;
    expect(readRunSettings(RUN_KINDS['verify-images']!, { ...verify, settings: older })).toMatchObject({ referencesPerImage: 1 });
  });
});

describe('a stored row with a bad field', () => {
  it('is refused with the run, its kind and the field named', () => {
    const id = storedWith('suggest', ['decoding', 'maxNewTokens'], 'forty');
    expect(() => readRunSettings(RUN_KINDS.suggest!, project.runs.get(id)!)).toThrow(new RegExp(`^Run ${id} \\(suggest\\) cannot be read back: its stored settings have a bad decoding\\.maxNewTokens \\(`));
    const missing = storedWith('reference-audit', ['models', 'embedder'], undefined);
    expect(() => readRunSettings(RUN_KINDS['reference-audit']!, project.runs.get(missing)!)).toThrow(/bad models\.embedder/);
    project.db.prepare('UPDATE runs SET settings = ? WHERE id = ?').run('"not an object"', missing);
    expect(() => readRunSettings(RUN_KINDS['reference-audit']!, project.runs.get(missing)!)).toThrow(/bad settings \(/);
  });

  it('stops each executor before it computes anything', async () => {
    const suggest = storedWith('suggest', ['generation', 'scheduler'], 'warp-drive');
    await expect(executeSuggestRun(project, suggest, unreachable as SuggestModels)).rejects.toThrow(`Run ${suggest} (suggest) cannot be read back: its stored settings have a bad generation.scheduler`);
    const verify = storedWith('verify-images', ['imagesPerText'], 0);
    await expect(executeVerifyImagesRun(project, verify, unreachable as VerifyImagesModels)).rejects.toThrow(`bad imagesPerText`);
    const audit = storedWith('reference-audit', ['seed'], -1);
    await expect(executeReferenceAuditRun(project, audit, unreachable as ReferenceAuditModels)).rejects.toThrow(`bad seed`);
    for (const id of [suggest, verify, audit]) expect(project.runs.get(id)).toMatchObject({ status: 'queued', done: 0 });
  });

  it('fails that run in the job host, with the message, before any worker starts', async () => {
    const dir = join(root, 'hosted');
    const seed = Project.create(dir);
    const bad = (() => {
      const run = RUN_KINDS['reference-audit']!.create(seed, RUN_KINDS['reference-audit']!.engineSettings(RunSettingsSchema.parse({ steps: 2 }), models), {});
      seed.db.prepare('UPDATE runs SET settings = json_set(settings, ?, ?) WHERE id = ?').run('$.generation.steps', 'many', run.id);
      return run.id;
    })();
    seed.dispose();
    let launched = 0;
    const backend = testBackend(root, {
      launchWorker: () => {
        launched++;
        throw new Error('no worker in this test');
      },
    });
    const call = async <M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> => {
      const outcome = await backend.dispatcher.dispatch(method, input, { actor: 'tester' });
      if (!outcome.ok) throw new Error(outcome.error.message);
      return outcome.result as MethodOutput<M>;
    };
    try {
      await call('project:open', { path: dir });
      await call('runs:list', {});
      await backend.runs.settled();
      const run = await call('runs:get', { id: bad });
      expect(run).toMatchObject({ status: 'failed', error: expect.stringContaining(`Run ${bad} (reference-audit) cannot be read back: its stored settings have a bad generation.steps`) });
      expect(launched).toBe(0);
    } finally {
      await backend.dispose();
    }
  });
});
