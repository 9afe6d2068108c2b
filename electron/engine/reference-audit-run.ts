/**
 * A "reference-audit" run over a project: every human reference caption of each selected image
 * reconstructed and scored against the image, stored as candidates with source 'reference'
 * (ranked within the image) and reconstructions under assets/reconstructions/<run>/<image>/.
 * Same persistence and provenance as the other runs; `executeReferenceAuditRun` resumes.
 */
import type { Project } from '../storage/project.js';
import type { RunRecord } from '../storage/repos/runs-repo.js';
import type { ModelProvenance } from './model-provenance.js';
import type { EngineModelDtypes } from './model-load-options.js';
import { savePngAsset } from './png-assets.js';
import { auditReferencesForImage, type ReferenceAuditModels, type ReferenceAuditSettings } from './reference-audit-pipeline.js';
import { parseRunSettings, ReferenceAuditRunSettingsSchema } from './run-settings-schemas.js';
import { RunRunner, type RunControl, type RunOutcome, type RunProgress } from './run-runner.js';
import { imagesWithReferences, type RunSelection } from './verify-images-run.js';
import { importedSourceFile } from './source-image.js';

export interface ReferenceAuditRunSettings extends ReferenceAuditSettings {
  models: { generator: ModelProvenance; embedder: ModelProvenance };
  /** Precision variant chosen per model; recorded so a resumed run opens the same files. */
  dtypes?: EngineModelDtypes;
}

/** Creates (but does not start) a run over the selected images that have reference captions, in grid order. */
export function createReferenceAuditRun(project: Project, settings: ReferenceAuditRunSettings, selection: RunSelection = {}): RunRecord {
  const { ids, skipped } = imagesWithReferences(project, selection);
  return project.runs.create('reference-audit', { ...settings, ranking: 'image-similarity', skippedWithoutReferences: skipped }, ids);
}

export async function executeReferenceAuditRun(
  project: Project,
  runId: number,
  models: ReferenceAuditModels,
  options: { control?: RunControl; onProgress?: (p: RunProgress) => void } = {},
): Promise<RunOutcome> {
  const run = project.runs.get(runId);
  if (!run) throw new Error(`Run ${runId} does not exist`);
  if (run.kind !== 'reference-audit') throw new Error(`Run ${runId} is a ${run.kind} run, not reference-audit`);
  const settings = parseRunSettings(run, ReferenceAuditRunSettingsSchema);
  return new RunRunner(project.runs).run(
    runId,
    async (imageId) => {
      const source = await importedSourceFile(project, imageId);
      const references = project.references.forImage(imageId);
      const result = await auditReferencesForImage(imageId, source, references, models, settings);
      const paths = await Promise.all(result.reconstructions.map((r, k) => savePngAsset(project, ['reconstructions', runId, imageId, k], r)));
      return {
        candidates: result.candidates.map((c) => ({ ...c, reconstruction: paths[result.distinctTexts.indexOf(c.text)] ?? null })),
        timings: result.timings,
      };
    },
    options,
  );
}
