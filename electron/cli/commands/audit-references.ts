/**
 * `roundtrip audit-references DIR …`: every human reference caption of a project's images drawn
 * back (one seeded image per distinct reference) and scored against the image, so weak
 * references can be flagged; a persistent run like suggest (resume with --resume RUN).
 */
import { join } from 'node:path';
import { loadEngineModels } from '../../engine/load-engine-models.js';
import { recordedDtypes } from '../../engine/model-load-options.js';
import { modelProvenance } from '../../engine/model-provenance.js';
import { createReferenceAuditRun, executeReferenceAuditRun, type ReferenceAuditRunSettings } from '../../engine/reference-audit-run.js';
import { defaultDemoRoot } from '../../models/registry.js';
import type { ReferenceAuditModels } from '../../engine/reference-audit-pipeline.js';
import type { Project } from '../../storage/project.js';
import type { CommandContext } from '../command.js';
import { DTYPE_OPTION, DTYPE_USAGE, runDtypesFrom } from '../dtype-flag.js';
import { type OpenModels, GENERATION_OPTIONS, generationFrom, runCommand, SELECTION_OPTIONS, selectionFrom, str } from './run-command.js';

export const AUDIT_REFERENCES_OPTIONS = {
  ...GENERATION_OPTIONS,
  ...SELECTION_OPTIONS,
  generator: { type: 'string' },
  embedder: { type: 'string' },
  ...DTYPE_OPTION,
} as const;

export const AUDIT_REFERENCES_USAGE = `audit-references DIR [--steps S] [--guidance G] [--scheduler ddim|pndm|euler|euler-ancestral|lcm|dpm-solver++] [--seed S] [--limit N] [--split NAME | --dataset ID] [--generator DIR --embedder DIR] ${DTYPE_USAGE} | audit-references DIR --resume RUN`;

const WEAKEST_SHOWN = 5;

export function auditReferencesCommand(ctx: CommandContext): Promise<void> {
  const { values } = ctx;
  return runCommand<ReferenceAuditModels & OpenModels>(ctx, {
    label: 'audit-references',
    kind: 'reference-audit',
    create: async (project) => createReferenceAuditRun(project, await settingsFrom(values), selectionFrom(project, values)),
    load: (run) => {
      const { models } = run.settings as ReferenceAuditRunSettings;
      return loadEngineModels({ generator: models.generator.dir, embedder: models.embedder.dir }, {}, recordedDtypes(run.settings));
    },
    describe: (run) => {
      const skipped = (run.settings as { skippedWithoutReferences?: number }).skippedWithoutReferences;
      return `${run.total} image(s)${skipped ? ` (${skipped} without references skipped)` : ''}, every reference drawn once`;
    },
    execute: executeReferenceAuditRun,
    summary,
  });
}

function summary(project: Project, run: { id: number }): string[] {
  const weakest = project.runs.weakestReferences(run.id, WEAKEST_SHOWN).filter((w) => w.gap > 0);
  if (weakest.length === 0) return [];
  return [
    'Weakest references (similarity of their reconstruction, and how far below the image’s best reference):',
    ...weakest.map((w) => `  image ${w.imageId}, reference ${w.referenceId}: ${(w.similarity ?? 0).toFixed(3)} (−${w.gap.toFixed(3)})  "${w.text}"`),
  ];
}

async function settingsFrom(values: CommandContext['values']): Promise<ReferenceAuditRunSettings> {
  const demo = defaultDemoRoot();
  const generator = str(values.generator) ?? join(demo, 'generator');
  const embedder = str(values.embedder) ?? join(demo, 'clip');
  const dtypes = runDtypesFrom(values.dtype, ['generator', 'imageEmbedder'], 'reference-audit');
  return { ...(await generationFrom(values, generator)), models: { generator: await modelProvenance(generator), embedder: await modelProvenance(embedder) }, ...dtypes };
}
