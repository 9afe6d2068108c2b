/**
 * `roundtrip verify-images DIR …`: text → image → text for the reference captions of a
 * project's images (N seeded images per text, each captioned back with beam search and scored
 * against the text), as a persistent run (resume with --resume RUN after an interruption).
 */
import { join } from 'node:path';
import { groupBySourceText, imageSelectionGain } from '../../engine/evaluation/image-selection-gain.js';
import { loadEngineModels } from '../../engine/load-engine-models.js';
import { captionerMaxNewTokens } from '../../engine/caption-length.js';
import { recordedDtypes } from '../../engine/model-load-options.js';
import { modelProvenance } from '../../engine/model-provenance.js';
import { createVerifyImagesRun, executeVerifyImagesRun, VERIFY_IMAGES_DEFAULTS, type VerifyImagesRunRecordedSettings, type VerifyImagesRunSettings } from '../../engine/verify-images-run.js';
import { defaultDemoRoot } from '../../models/registry.js';
import type { VerifyImagesModels } from '../../engine/verify-images-pipeline.js';
import type { Project } from '../../storage/project.js';
import { CliFailure } from '../cli-io.js';
import { DTYPE_OPTION, DTYPE_USAGE, runDtypesFrom } from '../dtype-flag.js';
import type { CommandContext } from '../command.js';
import { type OpenModels, GENERATION_OPTIONS, generationFrom, positive, runCommand, SELECTION_OPTIONS, selectionFrom, str } from './run-command.js';

export const VERIFY_IMAGES_OPTIONS = {
  'images-per-text': { type: 'string' },
  beams: { type: 'string' },
  references: { type: 'string' },
  'max-tokens': { type: 'string' },
  ...GENERATION_OPTIONS,
  ...SELECTION_OPTIONS,
  captioner: { type: 'string' },
  generator: { type: 'string' },
  embedder: { type: 'string' },
  'text-embedder': { type: 'string' },
  ...DTYPE_OPTION,
} as const;

export const VERIFY_IMAGES_USAGE = `verify-images DIR [--images-per-text N] [--beams B] [--references K|all] [--max-tokens T] [--steps S] [--guidance G] [--scheduler ddim|pndm|euler|euler-ancestral|lcm|dpm-solver++] [--seed S] [--limit N] [--split NAME | --dataset ID] [--captioner DIR --generator DIR --embedder DIR --text-embedder DIR] ${DTYPE_USAGE} | verify-images DIR --resume RUN`;

export function verifyImagesCommand(ctx: CommandContext): Promise<void> {
  const { values } = ctx;
  return runCommand<VerifyImagesModels & OpenModels>(ctx, {
    label: 'verify-images',
    kind: 'verify-images',
    create: async (project) => createVerifyImagesRun(project, await settingsFrom(values), selectionFrom(project, values)),
    load: (run) => {
      const { models } = run.settings as VerifyImagesRunSettings;
      return loadEngineModels(
        { captioner: models.captioner.dir, generator: models.generator.dir, embedder: models.embedder.dir, textEmbedder: models.textEmbedder.dir },
        {},
        recordedDtypes(run.settings),
      );
    },
    describe: (run) => {
      const s = run.settings as VerifyImagesRunRecordedSettings;
      const refs = s.referencesPerImage === null ? 'every reference' : `${s.referencesPerImage} reference(s)`;
      const skipped = s.skippedWithoutReferences ? ` (${s.skippedWithoutReferences} without references skipped)` : '';
      return `${run.total} image(s)${skipped}, ${refs} each, ${s.imagesPerText} image(s) per text, beam ${s.recaption.numBeams ?? 1}`;
    },
    execute: executeVerifyImagesRun,
    summary,
  });
}

/** The run's Table 2 figures: the selected images' similarity to the real ones vs. their candidates'. */
function summary(project: Project, run: { id: number }): string[] {
  const rows = project.runs.itemImageIds(run.id).flatMap((imageId) => project.runs.generatedImages(run.id, imageId));
  const groups = groupBySourceText(rows.filter((r) => r.realSimilarity !== null && r.rank !== null)) as { idx: number; rank: number; realSimilarity: number }[][];
  if (groups.length === 0) return [];
  const g = imageSelectionGain(groups);
  const pct = (x: number) => `${x >= 0 ? '+' : ''}${x.toFixed(1)}%`;
  return [
    `Similarity to the real image over ${g.texts} text(s): selected ${g.selected.toFixed(4)}, candidates' mean ${g.mean.toFixed(4)} (${pct(g.gainOverMeanPercent)}), ` +
      `first seed ${g.random.toFixed(4)} (${pct(g.gainOverRandomPercent)}); selected beats the mean for ${(g.selectedBeatsMean * 100).toFixed(1)}% of texts`,
  ];
}

async function settingsFrom(values: CommandContext['values']): Promise<VerifyImagesRunSettings> {
  const demo = defaultDemoRoot();
  const dirs = {
    captioner: str(values.captioner) ?? join(demo, 'captioner'),
    generator: str(values.generator) ?? join(demo, 'generator'),
    embedder: str(values.embedder) ?? join(demo, 'clip'),
    // The paper compares re-captions with CLIP's text encoder: the demo CLIP's text tower.
    textEmbedder: str(values['text-embedder']) ?? join(demo, 'clip'),
  };
  const references = str(values.references) ?? String(VERIFY_IMAGES_DEFAULTS.referencesPerImage);
  if (references !== 'all' && !/^\d+$/.test(references)) throw new CliFailure('--references must be a whole number or "all"', 2);
  const dtypes = runDtypesFrom(values.dtype, ['captioner', 'generator', 'imageEmbedder', 'textEmbedder'], 'verify-images');
  return {
    ...(await generationFrom(values, dirs.generator)),
    referencesPerImage: references === 'all' ? null : positive(references, '--references'),
    imagesPerText: positive(values['images-per-text'] ?? String(VERIFY_IMAGES_DEFAULTS.imagesPerText), '--images-per-text'),
    recaption: {
      strategy: 'beam',
      numBeams: positive(values.beams ?? String(VERIFY_IMAGES_DEFAULTS.numBeams), '--beams'),
      maxNewTokens: values['max-tokens'] !== undefined ? positive(values['max-tokens'], '--max-tokens') : captionerMaxNewTokens(dirs.captioner),
    },
    models: {
      captioner: await modelProvenance(dirs.captioner),
      generator: await modelProvenance(dirs.generator),
      embedder: await modelProvenance(dirs.embedder),
      textEmbedder: await modelProvenance(dirs.textEmbedder),
    },
    ...dtypes,
  };
}
