/**
 * report.html: the whole report in one self-contained page — inline CSS, the figures as inline
 * SVG, no scripts and no external resources — readable offline and safe to mail around.
 */
import type { EvaluationReport, ReportRun, Table1, Table2 } from '../../../shared/contract/report-schemas.js';
import { escapeHtml, fig3Table, provenanceTable, table1Block, table2Table } from './report-html-tables.js';
import type { ReportFigure } from './report-plots.js';

const CSS = `
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d1d1f; max-width: 1100px; margin: 2rem auto; padding: 0 1.25rem; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { margin-top: 2.5rem; border-bottom: 1px solid #ddd; padding-bottom: .3rem; } h3 { margin-top: 1.6rem; }
.meta { color: #555; } .messages { background: #fff8e1; border: 1px solid #f0d58c; border-radius: 6px; padding: .6rem 1rem .6rem 2rem; }
table { border-collapse: collapse; margin: .6rem 0 1rem; font-variant-numeric: tabular-nums; }
th, td { border-bottom: 1px solid #e3e3e3; padding: .3rem .6rem; text-align: right; vertical-align: top; }
th:first-child, td:first-child { text-align: left; } thead th { border-bottom: 2px solid #bbb; }
tr.selected td { font-weight: 600; background: #f2f8ff; } .gain { display: block; font-size: .8em; font-weight: 400; color: #555; }
.pos { color: #0a7a32; } .neg { color: #b3261e; } .note { color: #555; font-size: .92em; }
figure { margin: 1rem 0; } figure svg { max-width: 100%; height: auto; border: 1px solid #eee; } figcaption { color: #555; font-size: .9em; }
code, pre { font: 12.5px/1.4 ui-monospace, SFMono-Regular, Menlo, monospace; } pre { background: #f6f6f6; padding: .5rem; overflow-x: auto; max-width: 560px; }
details summary { cursor: pointer; color: #0b57d0; } table.runs td, table.runs th { text-align: left; }
`;

export function reportHtml(report: EvaluationReport, figures: readonly ReportFigure[]): string {
  const svgOf = new Map(figures.map((f) => [f.name, f]));
  const fig = (name: string) => {
    const f = svgOf.get(name);
    return f ? `<figure>${f.svg.replace(/^<\?xml[^>]*>\s*/, '')}<figcaption>${escapeHtml(f.title)} — <code>${escapeHtml(name)}.svg</code>, <code>${escapeHtml(name)}.png</code></figcaption></figure>` : '';
  };
  const { project } = report;
  const body = [
    `<h1>Evaluation report: ${escapeHtml(project.name)}</h1>`,
    `<p class="meta">Generated ${escapeHtml(report.generatedAt)} by Roundtrip from <code>${escapeHtml(project.path)}</code>; ${project.images} image(s) in ${project.datasets.length} dataset(s)` +
      (project.datasets.length ? ` (${project.datasets.map((d) => `${escapeHtml(d.name)}: ${d.images}`).join(', ')})` : '') +
      (report.runId !== null ? `; run ${report.runId} only` : '') +
      '.</p>',
    report.messages.length ? `<ul class="messages">${report.messages.map((m) => `<li>${escapeHtml(m)}</li>`).join('')}</ul>` : '',
    ...report.table1.map((t) => table1Section(t, report.runs, fig)),
    ...report.table2.map((t) => table2Section(t, fig)),
    `<h2>Provenance</h2><p class="note">Every run with its models (file hashes as recorded when the run was created), sampler and generation settings and seeds: enough to reproduce it.</p>`,
    report.runs.length ? provenanceTable(report.runs) : '<p>No runs.</p>',
  ];
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Roundtrip evaluation: ${escapeHtml(project.name)}</title><style>${CSS}</style></head>
<body>
${body.filter(Boolean).join('\n')}
</body></html>
`;
}

function table1Section(t: Table1, runs: readonly ReportRun[], fig: (name: string) => string): string {
  const run = runs.find((r) => r.id === t.runId);
  const b = t.bootstrap;
  const num = (x: number | null, digits = 4) => (x === null ? 'n/a' : x.toFixed(digits));
  const pct = (x: number | null) => (x === null ? 'n/a' : `${x >= 0 ? '+' : ''}${x.toFixed(1)}%`);
  const splits =
    t.splits.length > 1
      ? t.splits.map((s) => `<h4>Split ${escapeHtml(s.name)} (${s.images} images)</h4>${table1Block(s, t.metrics)}`).join('')
      : t.splits.length === 1
        ? `<p class="note">One split (${escapeHtml(t.splits[0]!.name)}): the table above is its table.</p>`
        : '';
  return [
    `<h2>Image → text → image: run ${t.runId}</h2>`,
    `<p class="meta">${escapeHtml(t.sampler)}; ${t.overall.images} image(s) evaluated${run && run.done < run.total ? ` of ${run.total} in the run (${run.status})` : ''}` +
      `${t.imagesWithoutReferences ? `, ${t.imagesWithoutReferences} without references left out` : ''}.</p>`,
    `<h3>Table 1: baseline vs. reconstruction-selected</h3>`,
    table1Block(t.overall, t.metrics),
    `<p class="note">Baseline: the corpus score of the k-th sampled candidate, averaged over k = 1..${t.candidatesPerImage} (the paper's mean of the candidates). ` +
      `Gains are relative to it. CIDEr is CIDEr-D as the COCO toolkit computes it, document frequencies over the evaluated images' references.` +
      (t.embedding.note ? ` ${escapeHtml(t.embedding.note)}` : '') +
      (t.embedding.models.length ? ` Embedding metrics by ${[...new Set(t.embedding.models.map((m) => m.id ?? m.dir))].map(escapeHtml).join(', ')}${clipPrefixNote(t.embedding.prefix)}.` : '') +
      `</p>`,
    `<p>CIDEr-D selection gain: <strong>${num(b.gain.point)}</strong> (${pct(b.gainPercent.point)}), ` +
      `${Math.round(b.confidence * 100)}% bootstrap interval [${num(b.gain.low)}, ${num(b.gain.high)}] ([${pct(b.gainPercent.low)}, ${pct(b.gainPercent.high)}]), ` +
      `${b.resamples} resamples of the images, seed ${b.seed}.</p>`,
    splits,
    fig(`table1-run${t.runId}`),
    `<h3>Fig. 3: caption score by reconstruction rank</h3>`,
    fig3Table(t),
    fig(`fig3-run${t.runId}-cider`),
    fig(`fig3-run${t.runId}-metrics`),
    `<h3>Reconstruction similarity vs. caption score</h3>`,
    `<p>Spearman ρ between the selected caption's reconstruction similarity and its CIDEr-D over ${t.reconstructionVsScore.points.length} image(s): <strong>${num(t.reconstructionVsScore.spearman, 3)}</strong>; ` +
      `over all ${t.reconstructionVsScore.allCandidates.pairs} candidates: ${num(t.reconstructionVsScore.allCandidates.spearman, 3)}; ` +
      `within each image (its candidates' similarities vs. their CIDEr-D), mean over ${t.reconstructionVsScore.withinImage.images} image(s): <strong>${num(t.reconstructionVsScore.withinImage.meanSpearman, 3)}</strong>.</p>`,
    fig(`scatter-run${t.runId}`),
    fig(`hist-run${t.runId}-cider`),
  ].join('\n');
}

function clipPrefixNote(prefix: string | null): string {
  if (prefix === null) return '';
  return prefix ? ` (CLIPScore texts prefixed "${escapeHtml(prefix.trim())}", as in the CLIPScore paper)` : ' (CLIPScore without the paper\'s "A photo depicts" prefix: the model\'s vocabulary lacks those words)';
}

function table2Section(t: Table2, fig: (name: string) => string): string {
  return [
    `<h2>Text → image → text: run ${t.runId}</h2>`,
    `<p class="meta">${t.texts} text(s), ${t.imagesPerText} generated image(s) per text.</p>`,
    `<h3>Table 2: selected image vs. candidates</h3>`,
    table2Table(t),
    t.note ? `<p class="note">${escapeHtml(t.note)}</p>` : '',
    fig(`table2-run${t.runId}`),
    fig(`table2-run${t.runId}-frechet`),
  ].join('\n');
}
