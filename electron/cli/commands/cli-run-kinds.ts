/**
 * What the command line adds to each run kind of the job host's table (backend/runs/run-kinds.ts):
 * its command name and usage, the flags only it has and the settings they give, the line that
 * describes a run as it starts, and the results printed when it completes. Everything else — models
 * by slot, --dtype, generation, seed, selection, --resume — is common (run-kind-command.ts).
 */
import { groupBySourceText, imageSelectionGain } from '../../engine/evaluation/image-selection-gain.js';
import { captionerMaxNewTokens } from '../../engine/caption-length.js';
import type { CaptionDecodingSettings } from '../../engine/engine-models.js';
import {
  parseRunSettings,
  ReferenceAuditRunSettingsSchema,
  SuggestRunSettingsSchema,
  VERIFY_IMAGES_DEFAULTS,
  VerifyImagesRunSettingsSchema,
} from '../../engine/run-settings-schemas.js';
import type { SlotMap } from '../../backend/runs/run-kind.js';
import type { Project } from '../../storage/project.js';
import type { RunRecord } from '../../storage/repos/runs-repo.js';
import { CAPTION_TASKS, SCHEDULER_NAMES, type CaptionTask, type ModelSlot, type RunKind } from '../../../shared/contract/run-schemas.js';
import { CliFailure } from '../cli-io.js';
import type { CommandContext } from '../command.js';
import { DTYPE_OPTION, DTYPE_USAGE } from '../dtype-flag.js';
import { GENERATION_OPTIONS, int, num, positive, SELECTION_OPTIONS, str } from './run-command.js';

type Options = Record<string, { type: 'string' | 'boolean'; multiple?: boolean }>;

export interface CliRunKind {
  command: string;
  kind: RunKind;
  usage: string;
  /** Every flag the command takes (its own, then the common ones). */
  options: Options;
  /** The kind's own recorded settings from its flags; `dirs` are the model folders by slot. */
  settings(values: CommandContext['values'], dirs: SlotMap<string>): object;
  describe(run: RunRecord): string;
  /** Lines printed after the run completed (results worth a glance). */
  summary?(project: Project, run: RunRecord): string[];
}

const SCHEDULING = `[--steps S] [--guidance G] [--scheduler ${SCHEDULER_NAMES.join('|')}] [--seed S] [--limit N] [--split NAME | --dataset ID]`;

/** The flag naming each slot's model folder, and the demo model used without it (the demo CLIP has both towers). */
export const SLOT_FLAGS: Record<ModelSlot, { flag: string; demo: string }> = {
  captioner: { flag: 'captioner', demo: 'captioner' },
  generator: { flag: 'generator', demo: 'generator' },
  imageEmbedder: { flag: 'embedder', demo: 'clip' },
  textEmbedder: { flag: 'text-embedder', demo: 'clip' },
};

function options(own: Options, slots: readonly ModelSlot[]): Options {
  const models = Object.fromEntries(slots.map((slot) => [SLOT_FLAGS[slot].flag, { type: 'string' as const }]));
  return { ...own, ...GENERATION_OPTIONS, ...SELECTION_OPTIONS, ...models, ...DTYPE_OPTION };
}

/** Image → text → image: N sampled captions per image, ranked by reconstruction. */
const suggest: CliRunKind = {
  command: 'suggest',
  kind: 'suggest',
  usage: `suggest DIR [--candidates N] [--sampler top-p|top-k|beam] [--top-p P] [--top-k K] [--no-greedy] [--task <CAPTION>|<DETAILED_CAPTION>|<MORE_DETAILED_CAPTION>] ${SCHEDULING} [--captioner DIR --generator DIR --embedder DIR] ${DTYPE_USAGE} | suggest DIR --resume RUN`,
  options: options(
    {
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
    },
    ['captioner', 'generator', 'imageEmbedder'],
  ),
  settings(values, dirs) {
    const candidates = int(values.candidates ?? '10', '--candidates');
    const sampler = str(values.sampler) ?? 'top-p';
    const task = captionTaskFrom(values.task);
    const maxNewTokens = values['max-tokens'] !== undefined ? int(values['max-tokens'], '--max-tokens') : captionerMaxNewTokens(dirs.captioner!, task);
    let decoding: CaptionDecodingSettings;
    if (sampler === 'top-p') decoding = { strategy: 'sample', topP: num(values['top-p'] ?? '0.9', '--top-p'), numReturnSequences: candidates, maxNewTokens };
    else if (sampler === 'top-k') decoding = { strategy: 'sample', topK: int(values['top-k'] ?? '20', '--top-k'), numReturnSequences: candidates, maxNewTokens };
    else if (sampler === 'beam') decoding = { strategy: 'beam', numBeams: int(values.beams ?? String(candidates), '--beams'), numReturnSequences: candidates, maxNewTokens };
    else throw new CliFailure(`--sampler must be top-p, top-k or beam (not "${sampler}")`, 2);
    if (decoding.strategy === 'sample' && candidates > 1 && values['no-greedy'] !== true) decoding.greedyFirst = true;
    if (task !== undefined) decoding.task = task;
    return { decoding };
  },
  describe: (run) => `${run.total} image(s), ${parseRunSettings(run, SuggestRunSettingsSchema).decoding.numReturnSequences ?? 1} candidate(s) each`,
};

/** Text → image → text: N seeded images per reference, re-captioned by beam search and scored against the text. */
const verifyImages: CliRunKind = {
  command: 'verify-images',
  kind: 'verify-images',
  usage: `verify-images DIR [--images-per-text N] [--beams B] [--references K|all] [--max-tokens T] ${SCHEDULING} [--captioner DIR --generator DIR --embedder DIR --text-embedder DIR] ${DTYPE_USAGE} | verify-images DIR --resume RUN`,
  options: options(
    { 'images-per-text': { type: 'string' }, beams: { type: 'string' }, references: { type: 'string' }, 'max-tokens': { type: 'string' } },
    ['captioner', 'generator', 'imageEmbedder', 'textEmbedder'],
  ),
  settings(values, dirs) {
    const references = str(values.references) ?? String(VERIFY_IMAGES_DEFAULTS.referencesPerImage);
    if (references !== 'all' && !/^\d+$/.test(references)) throw new CliFailure('--references must be a whole number or "all"', 2);
    return {
      referencesPerImage: references === 'all' ? null : positive(references, '--references'),
      imagesPerText: positive(values['images-per-text'] ?? String(VERIFY_IMAGES_DEFAULTS.imagesPerText), '--images-per-text'),
      recaption: {
        strategy: 'beam',
        numBeams: positive(values.beams ?? String(VERIFY_IMAGES_DEFAULTS.numBeams), '--beams'),
        maxNewTokens: values['max-tokens'] !== undefined ? positive(values['max-tokens'], '--max-tokens') : captionerMaxNewTokens(dirs.captioner!),
      },
    };
  },
  describe(run) {
    const s = parseRunSettings(run, VerifyImagesRunSettingsSchema);
    const refs = s.referencesPerImage === null ? 'every reference' : `${s.referencesPerImage} reference(s)`;
    const skipped = s.skippedWithoutReferences ? ` (${s.skippedWithoutReferences} without references skipped)` : '';
    return `${run.total} image(s)${skipped}, ${refs} each, ${s.imagesPerText} image(s) per text, beam ${s.recaption.numBeams ?? 1}`;
  },
  /** The run's Table 2 figures: the selected images' similarity to the real ones vs. their candidates'. */
  summary(project, run) {
    const rows = project.runs.itemImageIds(run.id).flatMap((imageId) => project.runs.generatedImages(run.id, imageId));
    const groups = groupBySourceText(rows.filter((r) => r.realSimilarity !== null && r.rank !== null)) as { idx: number; rank: number; realSimilarity: number }[][];
    if (groups.length === 0) return [];
    const g = imageSelectionGain(groups);
    const pct = (x: number) => `${x >= 0 ? '+' : ''}${x.toFixed(1)}%`;
    return [
      `Similarity to the real image over ${g.texts} text(s): selected ${g.selected.toFixed(4)}, candidates' mean ${g.mean.toFixed(4)} (${pct(g.gainOverMeanPercent)}), ` +
        `first seed ${g.random.toFixed(4)} (${pct(g.gainOverRandomPercent)}); selected beats the mean for ${(g.selectedBeatsMean * 100).toFixed(1)}% of texts`,
    ];
  },
};

const WEAKEST_SHOWN = 5;

/** Every human reference drawn back once and scored against its image, so weak references stand out. */
const auditReferences: CliRunKind = {
  command: 'audit-references',
  kind: 'reference-audit',
  usage: `audit-references DIR ${SCHEDULING} [--generator DIR --embedder DIR] ${DTYPE_USAGE} | audit-references DIR --resume RUN`,
  options: options({}, ['generator', 'imageEmbedder']),
  settings: () => ({}),
  describe(run) {
    const skipped = parseRunSettings(run, ReferenceAuditRunSettingsSchema).skippedWithoutReferences;
    return `${run.total} image(s)${skipped ? ` (${skipped} without references skipped)` : ''}, every reference drawn once`;
  },
  summary(project, run) {
    const weakest = project.runs.weakestReferences(run.id, WEAKEST_SHOWN).filter((w) => w.gap > 0);
    if (weakest.length === 0) return [];
    return [
      'Weakest references (similarity of their reconstruction, and how far below the image’s best reference):',
      ...weakest.map((w) => `  image ${w.imageId}, reference ${w.referenceId}: ${(w.similarity ?? 0).toFixed(3)} (−${w.gap.toFixed(3)})  "${w.text}"`),
    ];
  },
};

/** The run commands, in the order `roundtrip help` lists them. */
export const CLI_RUN_KINDS: readonly CliRunKind[] = [suggest, verifyImages, auditReferences];

/** --task: one of Florence-2's caption tasks; other captioners ignore it. */
function captionTaskFrom(value: unknown): CaptionTask | undefined {
  const task = str(value);
  if (task === undefined) return undefined;
  if (!(CAPTION_TASKS as readonly string[]).includes(task)) throw new CliFailure(`--task must be one of ${CAPTION_TASKS.join(', ')} (not "${task}")`, 2);
  return task as CaptionTask;
}
