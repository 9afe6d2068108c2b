/**
 * Writes a report folder: every figure as NAME.svg and NAME.png (PNG at 2× for high-DPI
 * screens and print), report.json (the report with its plot list), report.html and the marker
 * REPORT_MARKER. The folder is built as a hidden sibling of the target and swapped in whole
 * (atomic-folder.ts), so no stale figure of an earlier report survives and a cancelled or failed
 * report leaves the previous one as it was. Only a folder holding an earlier report (its marker)
 * or an empty one is replaced; anything else is refused before any work (`checkReportFolder`).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EvaluationReport } from '../../../shared/contract/report-schemas.js';
import { requireReplaceable, writeFolderAtomically, type FolderKind } from '../../files/atomic-folder.js';
import { svgToPng } from '../plots/index.js';
import { reportHtml } from './report-html.js';
import { reportFigures } from './report-plots.js';

/** Marks a folder as a Roundtrip report, which the next report to the same place may replace. */
export const REPORT_MARKER = 'roundtrip-report.json';
const REPORT_FOLDER: FolderKind = Object.freeze({ marker: REPORT_MARKER, what: 'report' });

/** Throws (with what to do) unless `outDir` may receive a report: new, empty, or an earlier report; its parent must exist. */
export async function checkReportFolder(outDir: string): Promise<void> {
  await requireReplaceable(outDir, REPORT_FOLDER);
}

export const PNG_SCALE = 2;

export async function writeReport(report: EvaluationReport, outDir: string, options: { signal?: AbortSignal | undefined } = {}): Promise<EvaluationReport> {
  let written: EvaluationReport = report;
  await writeFolderAtomically(
    outDir,
    async (folder) => {
      const figures = reportFigures(report);
      const plots: EvaluationReport['plots'] = [];
      for (const f of figures) {
        options.signal?.throwIfAborted();
        writeFileSync(join(folder, `${f.name}.svg`), f.svg);
        writeFileSync(join(folder, `${f.name}.png`), await svgToPng(f.svg, PNG_SCALE));
        plots.push({ name: f.name, title: f.title, svg: `${f.name}.svg`, png: `${f.name}.png`, width: f.width * PNG_SCALE, height: f.height * PNG_SCALE, scale: PNG_SCALE });
      }
      written = { ...report, plots };
      options.signal?.throwIfAborted();
      writeFileSync(join(folder, 'report.html'), reportHtml(written, figures));
      writeFileSync(join(folder, 'report.json'), `${JSON.stringify(written, null, 2)}\n`);
      writeFileSync(join(folder, REPORT_MARKER), `${JSON.stringify({ kind: 'roundtrip-eval-report', createdAt: new Date().toISOString() })}\n`);
    },
    { kind: REPORT_FOLDER },
  );
  return written;
}
