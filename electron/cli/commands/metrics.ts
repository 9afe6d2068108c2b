/**
 * `roundtrip metrics --refs FILE --results FILE [--per-image] [--json]`: COCO caption metrics
 * (BLEU-1..4, ROUGE-L, CIDEr) with the toolkit's numbers. Pure file scoring: no project.
 */
import { readReferences, readResults } from '../../metrics/coco-files.js';
import { METRIC_KEYS, scoreCaptions, type MetricScores } from '../../metrics/score-captions.js';
import { CliFailure } from '../cli-io.js';
import type { CommandContext } from '../command.js';

const USAGE = 'usage: roundtrip metrics --refs FILE --results FILE [--per-image] [--json]';

function table(rows: [string, MetricScores][]): string[] {
  const head = ['image', ...METRIC_KEYS];
  const body = rows.map(([name, s]) => [name, ...METRIC_KEYS.map((k) => s[k].toFixed(4))]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(head), ...body.map(line)];
}

export async function metricsCommand({ values, io }: CommandContext): Promise<void> {
  const refsFile = values.refs;
  const resultsFile = values.results;
  if (typeof refsFile !== 'string' || typeof resultsFile !== 'string') throw new CliFailure(USAGE, 2);
  const references = await readReferences(refsFile);
  const results = await readResults(resultsFile, references);
  const { corpus, perImage } = scoreCaptions(references, results);
  if (values.json) {
    const out: { corpus: MetricScores; per_image?: Record<string, MetricScores> } = { corpus };
    if (values['per-image']) out.per_image = Object.fromEntries(perImage);
    io.out(JSON.stringify(out));
    return;
  }
  const rows: [string, MetricScores][] = values['per-image'] ? [...perImage] : [];
  rows.push(['corpus', corpus]);
  for (const l of table(rows)) io.out(l);
}
