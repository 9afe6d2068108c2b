/** The HTML tables of report.html: Table 1 blocks, Fig. 3 by rank, Table 2 and the runs' provenance. */
import type { ReportRun, Table1, Table1Block, Table2 } from '../../../shared/contract/report-schemas.js';
import { metricLabel } from './report-plots.js';

export const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const num = (x: number | null | undefined, digits = 4) => (x === null || x === undefined ? '—' : x.toFixed(digits));

function gainSpan(x: number | null | undefined): string {
  if (x === null || x === undefined) return '';
  return `<span class="gain ${x >= 0 ? 'pos' : 'neg'}">${x >= 0 ? '+' : ''}${x.toFixed(1)}%</span>`;
}

export function table1Block(block: Table1Block, metrics: readonly string[]): string {
  const head = `<thead><tr><th>Captions</th>${metrics.map((m) => `<th>${escapeHtml(metricLabel(m))}</th>`).join('')}</tr></thead>`;
  const rows = block.rows.map(
    (row) =>
      `<tr class="${row.key === 'selected' ? 'selected' : ''}"><td>${escapeHtml(row.label)}</td>` +
      metrics.map((m) => `<td>${num(row.scores[m])}${gainSpan(row.gainPercent?.[m])}</td>`).join('') +
      '</tr>',
  );
  return `<table class="table1">${head}<tbody>${rows.join('')}</tbody></table>`;
}

export function fig3Table(t: Table1): string {
  const head =
    `<thead><tr><th>Rank</th>${t.metrics.map((m) => `<th>${escapeHtml(metricLabel(m))}</th>`).join('')}` +
    `<th>CIDEr-D per image: mean ± sd</th><th>25%–75%</th></tr></thead>`;
  const rows = t.byRank.map((r) => {
    const s = r.perImage.CIDEr;
    return (
      `<tr><td>${r.rank}</td>${t.metrics.map((m) => `<td>${num(r.corpus[m])}</td>`).join('')}` +
      `<td>${num(s?.mean)} ± ${num(s?.std)}</td><td>${num(s?.q25)} – ${num(s?.q75)}</td></tr>`
    );
  });
  return `<table class="fig3">${head}<tbody>${rows.join('')}</tbody></table>`;
}

export function table2Table(t: Table2): string {
  const rows = [
    `<tr class="selected"><td>Selected image (re-caption closest to the text)</td><td>${num(t.similarity.selected)}${gainSpan(t.gainOverMeanPercent)}</td><td>${num(t.distance.selected, 2)}</td><td>${num(t.frechet?.selected.distance ?? null, 4)}</td></tr>`,
    `<tr><td>Candidates' mean</td><td>${num(t.similarity.mean)}</td><td>${num(t.distance.mean, 2)}</td><td>—</td></tr>`,
    `<tr><td>First seed (a random candidate)</td><td>${num(t.similarity.random)}</td><td>${num(t.distance.random, 2)}</td><td>${num(t.frechet?.random.distance ?? null, 4)}</td></tr>`,
  ];
  const splits =
    t.splits.length > 1
      ? `<table><thead><tr><th>Split</th><th>Texts</th><th>Selected</th><th>Mean</th><th>First seed</th></tr></thead><tbody>${t.splits
          .map((s) => `<tr><td>${escapeHtml(s.name)}</td><td>${s.texts}</td><td>${num(s.similarity.selected)}</td><td>${num(s.similarity.mean)}</td><td>${num(s.similarity.random)}</td></tr>`)
          .join('')}</tbody></table>`
      : '';
  return (
    `<table class="table2"><thead><tr><th>Generated image</th><th>Similarity to the real image</th><th>Distance 100·(1 − cos)</th><th>Fréchet distance to the real images</th></tr></thead><tbody>${rows.join('')}</tbody></table>` +
    `<p>The selected image is closer to the real image than its candidates' mean for <strong>${t.selectedBeatsMean === null ? '—' : (t.selectedBeatsMean * 100).toFixed(1)}%</strong> of texts ` +
    `(selected ${t.gainOverMeanPercent === null ? '—' : `${t.gainOverMeanPercent >= 0 ? '+' : ''}${t.gainOverMeanPercent.toFixed(1)}%`} over the mean). ` +
    `Re-caption vs. text: text similarity ${num(t.recaption.textSimilarity.selected)} (selected) / ${num(t.recaption.textSimilarity.mean)} (mean); ` +
    `CIDEr-D ${num(t.recaption.cider.selected)} / ${num(t.recaption.cider.mean)}.` +
    (t.frechet ? ` Fréchet distances over ${escapeHtml(t.frechet.model.id ?? t.frechet.model.dir)} features, ${t.frechet.realImages} real image(s).` : '') +
    `</p>` +
    splits
  );
}

export function provenanceTable(runs: readonly ReportRun[]): string {
  const rows = runs.map((r) => {
    const models = r.models
      .map(
        (m) =>
          `<details><summary>${escapeHtml(m.slot)}: ${escapeHtml(m.id ?? m.dir)}${m.version ? ` ${escapeHtml(m.version)}` : ''}</summary>` +
          `<div><code>${escapeHtml(m.dir)}</code></div>${m.files.map((f) => `<div><code>${escapeHtml(f.path)} ${escapeHtml(f.sha256)}</code></div>`).join('')}</details>`,
      )
      .join('');
    return (
      `<tr><td>${r.id}</td><td>${escapeHtml(r.kind)}</td><td>${escapeHtml(r.status)}${r.error ? `<div class="note">${escapeHtml(r.error)}</div>` : ''}</td>` +
      `<td>${r.done} / ${r.total}${r.failed ? ` (${r.failed} failed)` : ''}</td><td>${escapeHtml(r.createdAt)}<br>${escapeHtml(r.finishedAt ?? '—')}</td>` +
      `<td>${r.seed ?? '—'}</td><td>${escapeHtml(r.datasets.map((d) => `${d.name}: ${d.images}`).join(', '))}</td>` +
      `<td>${models}<details><summary>settings</summary><pre>${escapeHtml(JSON.stringify(r.settings, null, 2))}</pre></details></td></tr>`
    );
  });
  return (
    `<table class="runs"><thead><tr><th>Run</th><th>Kind</th><th>Status</th><th>Done</th><th>Created / last finished</th><th>Seed</th><th>Images by dataset</th><th>Models and settings</th></tr></thead>` +
    `<tbody>${rows.join('')}</tbody></table>`
  );
}
