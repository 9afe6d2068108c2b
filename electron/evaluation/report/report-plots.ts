/**
 * The report's figures as SVG (electron/evaluation/plots): per suggest run, Fig. 3 (CIDEr by
 * reconstruction rank with its 95 % interval, and every metric by rank), the similarity-vs-CIDEr
 * scatter with Spearman's ρ, the per-image CIDEr histograms and Table 1 as bars; per
 * verify-images run, Table 2 as bars (and the Fréchet distances when computed).
 */
import type { EvaluationReport, Table1, Table2 } from '../../../shared/contract/report-schemas.js';
import { barChart, histogramChart, lineChart, scatterChart } from '../plots/index.js';

export interface ReportFigure {
  /** File name without extension. */
  name: string;
  title: string;
  svg: string;
  width: number;
  height: number;
}

const WIDTH = 640;
const HEIGHT = 400;
const LABELS: Record<string, string> = { Bleu_1: 'BLEU-1', Bleu_2: 'BLEU-2', Bleu_3: 'BLEU-3', Bleu_4: 'BLEU-4', ROUGE_L: 'ROUGE-L', CIDEr: 'CIDEr-D' };

export const metricLabel = (key: string): string => LABELS[key] ?? key;

const nan = (x: number | null | undefined): number => (x === null || x === undefined ? Number.NaN : x);

export function reportFigures(report: EvaluationReport): ReportFigure[] {
  return [...report.table1.flatMap(table1Figures), ...report.table2.flatMap(table2Figures)];
}

function figure(name: string, title: string, svg: string): ReportFigure {
  return { name, title, svg, width: WIDTH, height: HEIGHT };
}

function table1Figures(t: Table1): ReportFigure[] {
  const run = `run ${t.runId}`;
  const n = t.overall.images;
  const ciderBand = t.byRank.map((r) => {
    const s = r.perImage.CIDEr;
    const half = s?.std !== null && s?.std !== undefined && n > 1 ? (1.96 * s.std) / Math.sqrt(n) : Number.NaN;
    const y = nan(r.corpus.CIDEr);
    return { x: r.rank, y, low: y - half, high: y + half };
  });
  const baseline = nan(t.overall.rows.find((r) => r.key === 'sampled-mean')?.scores.CIDEr);
  const figures = [
    figure(
      `fig3-run${t.runId}-cider`,
      `Fig. 3: CIDEr-D by reconstruction rank (${run})`,
      lineChart({
        title: `CIDEr-D by reconstruction rank (${run}, ${n} images)`,
        xLabel: 'Reconstruction rank (1 = closest to the source image)',
        yLabel: 'CIDEr-D (95% interval of the mean)',
        width: WIDTH,
        height: HEIGHT,
        integerX: true,
        series: [
          { name: 'captions at this rank', points: ciderBand },
          { name: `mean of the ${t.candidatesPerImage} candidates`, points: t.byRank.map((r) => ({ x: r.rank, y: baseline })) },
        ],
      }),
    ),
    figure(
      `fig3-run${t.runId}-metrics`,
      `Fig. 3: every metric by reconstruction rank (${run})`,
      lineChart({
        title: `Corpus scores by reconstruction rank (${run})`,
        xLabel: 'Reconstruction rank (1 = closest to the source image)',
        yLabel: 'Corpus score',
        width: WIDTH,
        height: HEIGHT,
        integerX: true,
        series: t.metrics.map((m) => ({ name: metricLabel(m), points: t.byRank.map((r) => ({ x: r.rank, y: nan(r.corpus[m]) })) })),
      }),
    ),
  ];
  const rho = t.reconstructionVsScore.spearman;
  const all = t.reconstructionVsScore.allCandidates;
  const within = t.reconstructionVsScore.withinImage;
  figures.push(
    figure(
      `scatter-run${t.runId}`,
      `Reconstruction similarity vs. CIDEr-D (${run})`,
      scatterChart({
        title: `Selected caption: reconstruction similarity vs. CIDEr-D (${run})`,
        xLabel: 'Similarity of the reconstruction to the source image',
        yLabel: 'CIDEr-D of the caption',
        width: WIDTH,
        height: HEIGHT,
        points: t.reconstructionVsScore.points.map((p) => ({ x: p.similarity, y: p.score })),
        note: `Spearman ρ = ${rho === null ? 'n/a' : rho.toFixed(3)} (${t.reconstructionVsScore.points.length} images)\nall candidates: ρ = ${all.spearman === null ? 'n/a' : all.spearman.toFixed(3)} (${all.pairs} pairs)\nwithin an image: mean ρ = ${within.meanSpearman === null ? 'n/a' : within.meanSpearman.toFixed(3)} (${within.images} images)`,
        fitLine: true,
      }),
    ),
    figure(
      `hist-run${t.runId}-cider`,
      `Per-image CIDEr-D (${run})`,
      histogramChart({
        title: `Per-image CIDEr-D (${run})`,
        xLabel: 'CIDEr-D',
        yLabel: 'Images',
        width: WIDTH,
        height: HEIGHT,
        bins: 30,
        series: [
          { name: 'reconstruction-selected', values: t.perImageScores.selected },
          { name: `mean of the ${t.candidatesPerImage} candidates`, values: t.perImageScores.candidatesMean },
          { name: `rank ${t.candidatesPerImage} (last)`, values: t.perImageScores.lastRank },
        ],
      }),
    ),
    figure(
      `table1-run${t.runId}`,
      `Table 1 (${run})`,
      barChart({
        title: `Table 1: baselines vs. reconstruction-selected (${run})`,
        xLabel: 'Metric',
        yLabel: 'Corpus score',
        width: WIDTH,
        height: HEIGHT,
        groups: t.metrics.map((m) => ({ label: metricLabel(m), bars: t.overall.rows.map((row) => ({ name: shortLabel(row), value: nan(row.scores[m]) })) })),
      }),
    ),
  );
  return figures;
}

/** Legend names short enough for a 640-px legend. */
function shortLabel(row: Table1['overall']['rows'][number]): string {
  if (row.key === 'sampled-mean') return "candidates' mean";
  if (row.key === 'selected') return 'selected';
  return `${row.key === 'greedy' ? 'greedy' : 'best beam'}${row.runId === undefined ? '' : ` (run ${row.runId})`}`;
}

function table2Figures(t: Table2): ReportFigure[] {
  const run = `run ${t.runId}`;
  const groups = [
    {
      label: `all (${t.texts} texts)`,
      bars: [
        { name: 'selected image', value: nan(t.similarity.selected) },
        { name: "candidates' mean", value: nan(t.similarity.mean) },
        { name: 'first seed (random)', value: nan(t.similarity.random) },
      ],
    },
    ...(t.splits.length > 1
      ? t.splits.map((s) => ({
          label: `${s.name} (${s.texts})`,
          bars: [
            { name: 'selected image', value: nan(s.similarity.selected) },
            { name: "candidates' mean", value: nan(s.similarity.mean) },
            { name: 'first seed (random)', value: nan(s.similarity.random) },
          ],
        }))
      : []),
  ];
  const figures = [
    figure(
      `table2-run${t.runId}`,
      `Table 2 (${run})`,
      barChart({ title: `Table 2: similarity to the real image (${run})`, xLabel: 'Texts', yLabel: 'Image embedder cosine', width: WIDTH, height: HEIGHT, groups }),
    ),
  ];
  if (t.frechet) {
    figures.push(
      figure(
        `table2-run${t.runId}-frechet`,
        `Fréchet distance to the real images (${run})`,
        barChart({
          title: `Fréchet distance to the real images (${run}; lower is closer)`,
          xLabel: 'Generated set',
          yLabel: `Fréchet distance (${t.frechet.model.id ?? 'image embedder'} features)`,
          width: WIDTH,
          height: HEIGHT,
          groups: [
            { label: 'selected images', bars: [{ name: 'selected', value: nan(t.frechet.selected.distance) }] },
            { label: 'first-seed images', bars: [{ name: 'first seed', value: nan(t.frechet.random.distance) }] },
          ],
        }),
      ),
    );
  }
  return figures;
}
