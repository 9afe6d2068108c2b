/**
 * `roundtrip suggest DIR …`: the image → text → image round trip over a project's images,
 * as a persistent run (resume with --resume RUN after an interruption).
 */
import { join } from 'node:path';
import type { CaptionDecodingSettings } from '../../engine/engine-models.js';
import { loadEngineModels } from '../../engine/load-engine-models.js';
import { recordedDtypes } from '../../engine/model-load-options.js';
import { modelProvenance } from '../../engine/model-provenance.js';
import type { SuggestModels } from '../../engine/suggest-pipeline.js';
import { createSuggestRun, executeSuggestRun, type SuggestRunSettings } from '../../engine/suggest-run.js';
import { captionerMaxNewTokens } from '../../engine/caption-length.js';
import { CAPTION_TASKS, type CaptionTask } from '../../../shared/contract/run-schemas.js';
import { defaultDemoRoot } from '../../models/registry.js';
import { CliFailure } from '../cli-io.js';
import { DTYPE_OPTION, DTYPE_USAGE, runDtypesFrom } from '../dtype-flag.js';
import type { CommandContext } from '../command.js';
import { GENERATION_OPTIONS, type OpenModels, generationFrom, int, num, runCommand, SELECTION_OPTIONS, selectionFrom, str } from './run-command.js';

export const SUGGEST_OPTIONS = {
  ...GENERATION_OPTIONS,
  ...SELECTION_OPTIONS,
  candidates: { type: 'string' },
  sampler: { type: 'string' },
  'top-p': { type: 'string' },
  'top-k': { type: 'string' },
  beams: { type: 'string' },
  /** Sample all N candidates (the paper's set) instead of the greedy caption and N − 1 samples. */
  'no-greedy': { type: 'boolean' },
  'max-tokens': { type: 'string' },
  /** Florence-2's caption task: <CAPTION> (default), <DETAILED_CAPTION> or <MORE_DETAILED_CAPTION>. */
  task: { type: 'string' },
  captioner: { type: 'string' },
  generator: { type: 'string' },
  embedder: { type: 'string' },
  /** Precision variant per model, e.g. --dtype captioner=q8 (recorded with the run; a resume opens the same files). */
  ...DTYPE_OPTION,
} as const;

export const SUGGEST_USAGE = `suggest DIR [--candidates N] [--sampler top-p|top-k|beam] [--top-p P] [--top-k K] [--no-greedy] [--task <CAPTION>|<DETAILED_CAPTION>|<MORE_DETAILED_CAPTION>] [--steps S] [--guidance G] [--scheduler ddim|pndm|euler|euler-ancestral|lcm|dpm-solver++] [--seed S] [--limit N] [--split NAME | --dataset ID] [--captioner DIR --generator DIR --embedder DIR] ${DTYPE_USAGE} | suggest DIR --resume RUN`;

export function suggestCommand(ctx: CommandContext): Promise<void> {
  const { values } = ctx;
  return runCommand<SuggestModels & OpenModels>(ctx, {
    label: 'suggest',
    kind: 'suggest',
    create: async (project) => createSuggestRun(project, await settingsFrom(values), selectionFrom(project, values)),
    load: (run) => {
      const { models } = run.settings as SuggestRunSettings;
      return loadEngineModels({ captioner: models.captioner.dir, generator: models.generator.dir, embedder: models.embedder.dir }, {}, recordedDtypes(run.settings));
    },
    describe: (run) => `${run.total} image(s), ${(run.settings as SuggestRunSettings).decoding.numReturnSequences ?? 1} candidate(s) each`,
    execute: executeSuggestRun,
  });
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
  const task = captionTaskFrom(values.task);
  const maxNewTokens = values['max-tokens'] !== undefined ? int(values['max-tokens'], '--max-tokens') : captionerMaxNewTokens(dirs.captioner, task);
  let decoding: CaptionDecodingSettings;
  if (sampler === 'top-p') decoding = { strategy: 'sample', topP: num(values['top-p'] ?? '0.9', '--top-p'), numReturnSequences: candidates, maxNewTokens };
  else if (sampler === 'top-k') decoding = { strategy: 'sample', topK: int(values['top-k'] ?? '20', '--top-k'), numReturnSequences: candidates, maxNewTokens };
  else if (sampler === 'beam') decoding = { strategy: 'beam', numBeams: int(values.beams ?? String(candidates), '--beams'), numReturnSequences: candidates, maxNewTokens };
  else throw new CliFailure(`--sampler must be top-p, top-k or beam (not "${sampler}")`, 2);
  if (decoding.strategy === 'sample' && candidates > 1 && values['no-greedy'] !== true) decoding.greedyFirst = true;
  if (task !== undefined) decoding.task = task;
  const dtypes = runDtypesFrom(values.dtype, ['captioner', 'generator', 'imageEmbedder'], 'suggest');
  return {
    ...(await generationFrom(values, dirs.generator)),
    decoding,
    models: {
      captioner: await modelProvenance(dirs.captioner),
      generator: await modelProvenance(dirs.generator),
      embedder: await modelProvenance(dirs.embedder),
    },
    ...dtypes,
  };
}

/** --task: one of Florence-2's caption tasks; other captioners ignore it. */
export function captionTaskFrom(value: unknown): CaptionTask | undefined {
  const task = str(value);
  if (task === undefined) return undefined;
  if (!(CAPTION_TASKS as readonly string[]).includes(task)) throw new CliFailure(`--task must be one of ${CAPTION_TASKS.join(', ')} (not "${task}")`, 2);
  return task as CaptionTask;
}
