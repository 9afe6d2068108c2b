/**
 * Writes a report folder: every figure as NAME.svg and NAME.png (PNG at 2× for high-DPI
 * screens and print), report.json (the report with its plot list) and report.html. The JSON and
 * HTML are written last, each through a temporary file, so a folder with a report.json holds
 * every file it lists.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EvaluationReport } from '../../../shared/contract/report-schemas.js';
import { svgToPng } from '../plots/index.js';
import { reportHtml } from './report-html.js';
import { reportFigures } from './report-plots.js';

export const PNG_SCALE = 2;

export async function writeReport(report: EvaluationReport, outDir: string, options: { signal?: AbortSignal | undefined } = {}): Promise<EvaluationReport> {
  mkdirSync(outDir, { recursive: true });
  const figures = reportFigures(report);
  const plots: EvaluationReport['plots'] = [];
  for (const f of figures) {
    options.signal?.throwIfAborted();
    writeFileSync(join(outDir, `${f.name}.svg`), f.svg);
    writeFileSync(join(outDir, `${f.name}.png`), await svgToPng(f.svg, PNG_SCALE));
    plots.push({ name: f.name, title: f.title, svg: `${f.name}.svg`, png: `${f.name}.png`, width: f.width * PNG_SCALE, height: f.height * PNG_SCALE, scale: PNG_SCALE });
  }
  const written = { ...report, plots };
  options.signal?.throwIfAborted();
  atomicWrite(join(outDir, 'report.html'), reportHtml(written, figures));
  atomicWrite(join(outDir, 'report.json'), `${JSON.stringify(written, null, 2)}\n`);
  return written;
}

function atomicWrite(file: string, text: string): void {
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, text);
  renameSync(temp, file);
}
