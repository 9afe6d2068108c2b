/**
 * `roundtrip suggest DIR …`: the image → text → image round trip over a project's images,
 * as a persistent run (resume with --resume RUN after an interruption).
 */
import { join } from 'node:path';
import { modelProvenance } from '../../engine/model-provenance.js';
import { loadSuggestModels } from '../../engine/load-suggest-models.js';
import type { RunProgress } from '../../engine/run-runner.js';
import { createSuggestRun, executeSuggestRun, type SuggestRunSettings } from '../../engine/suggest-run.js';
import type { CaptionDecodingSettings } from '../../engine/engine-models.js';
import { defaultDemoRoot } from '../../models/registry.js';
import { Project } from '../../storage/project.js';
import { CliFailure } from '../cli-io.js';
import { captionerMaxNewTokens } from '../../engine/verify-images-run.js';
import type { CommandContext } from '../command.js';

export const SUGGEST_OPTIONS = {
  candidates: { type: 'string' },
  sampler: { type: 'string' },
  'top-p': { type: 'string' },
  'top-k': { type: 'string' },
  beams: { type: 'string' },
  'max-tokens': { type: 'string' },
  steps: { type: 'string' },
  guidance: { type: 'string' },
  scheduler: { type: 'string' },
  seed: { type: 'string' },
  limit: { type: 'string' },
  dataset: { type: 'string' },
  resume: { type: 'string' },
  captioner: { type: 'string' },
  generator: { type: 'string' },
  embedder: { type: 'string' },
} as const;

export async function suggestCommand({ positionals, values, io, stopSignal }: CommandContext): Promise<void> {
  const project = Project.open(positionals[0]!);
  let stop = false;
  void stopSignal.then(() => (stop = true));
  try {
    const runId = values.resume !== undefined ? int(values.resume, '--resume') : undefined;
    const run = runId !== undefined ? project.runs.get(runId) : createSuggestRun(project, await settingsFrom(values), selectionFrom(values));
    if (!run) throw new CliFailure(`Run ${runId} does not exist in ${project.dir}`);
    if (run.kind !== 'suggest') throw new CliFailure(`Run ${run.id} is a ${run.kind} run; continue it with \`roundtrip ${run.kind === 'reference-audit' ? 'audit-references' : run.kind}\``);
    if (runId !== undefined && project.runs.retryFailed(run.id) > 0) io.err(`Run ${run.id}: retrying the images that failed before`);
    const settings = run.settings as SuggestRunSettings;
    const models = await loadSuggestModels({
      captioner: settings.models.captioner.dir,
      generator: settings.models.generator.dir,
      embedder: settings.models.embedder.dir,
    });
    try {
      io.err(`Run ${run.id}: ${run.total} image(s), ${settings.decoding.numReturnSequences ?? 1} candidate(s) each`);
      const outcome = await executeSuggestRun(project, run.id, models, {
        control: { requested: () => (stop ? 'pause' : null) },
        onProgress: (p) => io.progress(progressLine(p)),
      });
      io.progress('');
      const final = project.runs.get(run.id)!;
      io.out(
        `Run ${run.id} ${outcome.status}: ${final.done} done, ${final.failed} failed of ${final.total} (${outcome.processed} computed now)` +
          (outcome.status === 'paused' ? ` — resume with --resume ${run.id}` : ''),
      );
    } finally {
      await models.dispose();
    }
  } finally {
    project.dispose();
  }
}

function progressLine(p: RunProgress): string {
  const eta = p.etaSeconds === null ? '' : `, about ${Math.ceil(p.etaSeconds)} s left`;
  return `suggest: ${p.done + p.failed}/${p.total} (${p.itemsPerSecond.toFixed(2)} images/s${eta})`;
}

async function settingsFrom(values: CommandContext['values']): Promise<SuggestRunSettings> {
  const demo = defaultDemoRoot();
  const dirs = {
    captioner: str(values.captioner) ?? join(demo, 'captioner'),
    generator: str(values.generator) ?? join(demo, 'generator'),
    embedder: str(values.embedder) ?? join(demo, 'clip'),
  };
  const candidates = int(values.candidates ?? '10', '--candidates');
  const sampler = str(values.sampler) ?? 'top-p';
  const maxNewTokens = values['max-tokens'] !== undefined ? int(values['max-tokens'], '--max-tokens') : captionerMaxNewTokens(dirs.captioner);
  let decoding: CaptionDecodingSettings;
  if (sampler === 'top-p') decoding = { strategy: 'sample', topP: num(values['top-p'] ?? '0.9', '--top-p'), numReturnSequences: candidates, maxNewTokens };
  else if (sampler === 'top-k') decoding = { strategy: 'sample', topK: int(values['top-k'] ?? '20', '--top-k'), numReturnSequences: candidates, maxNewTokens };
  else if (sampler === 'beam') decoding = { strategy: 'beam', numBeams: int(values.beams ?? String(candidates), '--beams'), numReturnSequences: candidates, maxNewTokens };
  else throw new CliFailure(`--sampler must be top-p, top-k or beam (not "${sampler}")`, 2);
  const scheduler = str(values.scheduler) ?? 'ddim';
  if (!['ddim', 'euler', 'euler-ancestral', 'lcm'].includes(scheduler)) throw new CliFailure('--scheduler must be ddim, euler, euler-ancestral or lcm', 2);
  return {
    seed: int(values.seed ?? '1', '--seed'),
    decoding,
    generation: { steps: int(values.steps ?? '20', '--steps'), guidanceScale: num(values.guidance ?? '4', '--guidance'), scheduler: scheduler as SuggestRunSettings['generation']['scheduler'] },
    models: {
      captioner: await modelProvenance(dirs.captioner),
      generator: await modelProvenance(dirs.generator),
      embedder: await modelProvenance(dirs.embedder),
    },
  };
}

function selectionFrom(values: CommandContext['values']) {
  return {
    ...(values.limit !== undefined ? { limit: int(values.limit, '--limit') } : {}),
    ...(values.dataset !== undefined ? { datasetId: int(values.dataset, '--dataset') } : {}),
  };
}

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

function num(v: unknown, flag: string): number {
  const n = Number(v);
  if (typeof v !== 'string' || !Number.isFinite(n)) throw new CliFailure(`${flag} must be a number`, 2);
  return n;
}

function int(v: unknown, flag: string): number {
  const n = num(v, flag);
  if (!Number.isSafeInteger(n) || n < 0) throw new CliFailure(`${flag} must be a whole number`, 2);
  return n;
}
