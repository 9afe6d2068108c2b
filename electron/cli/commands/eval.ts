/**
 * `roundtrip eval DIR --out REPORTDIR [--run ID] [--embedder MODELDIR]`: the evaluation report of
 * a project's stored runs (Table 1, Fig. 3, Table 2, provenance) as report.json, a
 * self-contained report.html and every figure as SVG and PNG. Embedding metrics use --embedder
 * (a CLIP folder: both towers), else the embedders the project chose (demo projects: the demo
 * CLIP), else the report has caption metrics only and says so; an --embedder that cannot be
 * opened is an error. REPORTDIR must be new, empty or an earlier report (checked before any
 * work); the report replaces it whole. Ctrl+C cancels: the previous report is then left as it was.
 */
import { chosenModels } from '../../backend/runs/project-settings.js';
import { resolve } from 'node:path';
import { buildEvaluationReport, checkReportFolder, openReportEmbedders, writeReport } from '../../evaluation/report/index.js';
import type { OpenedEmbedders } from '../../evaluation/report/index.js';
import { ModelRegistry } from '../../models/registry.js';
import { Project } from '../../storage/project.js';
import type { EvaluationReport } from '../../../shared/contract/report-schemas.js';
import { CliFailure } from '../cli-io.js';
import type { CommandContext } from '../command.js';
import { int, str } from './run-command.js';

export const EVAL_OPTIONS = {
  out: { type: 'string' },
  run: { type: 'string' },
  embedder: { type: 'string' },
  'text-embedder': { type: 'string' },
  'no-embedder': { type: 'boolean' },
} as const;

export const EVAL_USAGE = 'eval DIR --out REPORTDIR [--run ID] [--embedder MODELDIR [--text-embedder MODELDIR] | --no-embedder]';

export async function evalCommand({ positionals, values, io, stopSignal }: CommandContext): Promise<void> {
  const out = str(values.out);
  if (!out) throw new CliFailure(`usage: roundtrip ${EVAL_USAGE}`, 2);
  const runId = values.run !== undefined ? int(values.run, '--run') : undefined;
  // Before any work: a bad --out must not cost a whole evaluation.
  await checkReportFolder(resolve(out));
  const project = Project.open(positionals[0]!);
  const controller = new AbortController();
  void stopSignal.then(() => controller.abort());
  let opened: OpenedEmbedders | undefined;
  try {
    if (runId !== undefined && !project.runs.get(runId)) throw new CliFailure(`Run ${runId} does not exist in ${project.dir}`);
    const hasRuns = project.runs.list().length > 0;
    opened = hasRuns ? await openEmbedders(project, values) : undefined;
    const report = await buildEvaluationReport(project, {
      runId,
      embedders: opened?.embedders,
      embeddingNote: opened ? opened.note : null,
      signal: controller.signal,
      onProgress: (p) => io.progress(`eval: ${p.phase} ${p.done}/${p.total}`),
    });
    io.progress('eval: writing figures');
    const written = await writeReport(report, out, { signal: controller.signal });
    io.progress('');
    io.out(`Report written to ${out}: report.json, report.html and ${written.plots.length} figure(s) as SVG and PNG.`);
    for (const line of summary(written)) io.out(line);
  } catch (error) {
    if (controller.signal.aborted) {
      io.progress('');
      throw new CliFailure('cancelled; no report.json was written', 130);
    }
    throw error;
  } finally {
    await opened?.dispose();
    project.dispose();
  }
}

/** --embedder (and --text-embedder), else the project's chosen embedders, else none. */
async function openEmbedders(project: Project, values: CommandContext['values']): Promise<OpenedEmbedders> {
  if (values['no-embedder']) return { embedders: undefined, note: 'Caption metrics only (--no-embedder).', dispose: async () => {} };
  const embedder = str(values.embedder);
  // Named on the command line: failing to open it is an error, not a quiet fallback.
  if (embedder) return openReportEmbedders({ image: embedder, text: str(values['text-embedder']) ?? embedder }, { required: true });
  const chosen = chosenModels(project.meta);
  if (!chosen?.imageEmbedder && !chosen?.textEmbedder) {
    return { embedders: undefined, note: 'Caption metrics only: the project has no embedder configured (pass --embedder MODELDIR for CLIPScore, text cosine and Fréchet distances).', dispose: async () => {} };
  }
  const registry = new ModelRegistry();
  try {
    const models = await registry.list();
    const dirOf = (id: string | undefined) => (id === undefined ? undefined : models.find((m) => m.id === id)?.path);
    const dirs = { image: dirOf(chosen.imageEmbedder), text: dirOf(chosen.textEmbedder) };
    if (!dirs.image && !dirs.text) {
      return { embedders: undefined, note: `Caption metrics only: the project's embedders (${[chosen.imageEmbedder, chosen.textEmbedder].filter(Boolean).join(', ')}) are not installed here.`, dispose: async () => {} };
    }
    return openReportEmbedders(dirs);
  } finally {
    registry.dispose();
  }
}

function summary(report: EvaluationReport): string[] {
  const f = (x: number | null | undefined, d = 4) => (x === null || x === undefined ? 'n/a' : x.toFixed(d));
  const pct = (x: number | null | undefined) => (x === null || x === undefined ? 'n/a' : `${x >= 0 ? '+' : ''}${x.toFixed(1)}%`);
  const lines = report.messages.map((m) => `note: ${m}`);
  for (const t of report.table1) {
    const base = t.overall.rows.find((r) => r.key === 'sampled-mean')!;
    const sel = t.overall.rows.find((r) => r.key === 'selected')!;
    const b = t.bootstrap;
    lines.push(
      `Run ${t.runId} (${t.sampler}, ${t.overall.images} images): CIDEr-D ${f(base.scores.CIDEr)} → ${f(sel.scores.CIDEr)} (${pct(sel.gainPercent?.CIDEr)}, ` +
        `95% CI ${pct(b.gainPercent.low)} to ${pct(b.gainPercent.high)}); by rank ${t.byRank.map((r) => f(r.corpus.CIDEr, 3)).join(' ')}; Spearman ρ ${f(t.reconstructionVsScore.spearman, 3)}`,
    );
  }
  for (const t of report.table2) {
    lines.push(
      `Run ${t.runId} (${t.texts} texts): similarity to the real image selected ${f(t.similarity.selected)}, mean ${f(t.similarity.mean)} (${pct(t.gainOverMeanPercent)}), first seed ${f(t.similarity.random)}` +
        (t.frechet ? `; Fréchet distance selected ${f(t.frechet.selected.distance)} vs first seed ${f(t.frechet.random.distance)}` : ''),
    );
  }
  return lines;
}
