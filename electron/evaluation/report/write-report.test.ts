import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EvaluationReportSchema } from '../../../shared/contract/report-schemas.js';
import { Project } from '../../storage/project.js';
import { buildEvaluationReport } from './build-report.js';
import { addImages, addSuggestRun, suggestSettings } from './synthetic-runs.js';
import { checkReportFolder, REPORT_MARKER, writeReport } from './write-report.js';

let root: string;
let project: Project;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'rt-write-report-'));
  project = Project.create(join(root, 'p'), 'Shapes <b>&</b> "friends"');
});
afterEach(() => project.dispose());

describe('writeReport', () => {
  it('writes the JSON, an escaped self-contained HTML page and every figure at its stated size; a beam run shows its best beam', async () => {
    const refs = [['a red circle', 'a red ball'], ['a blue square', 'a blue box'], ['<script>alert(1)</script> a green star', 'a green star']];
    const ids = addImages(project, 'test', refs);
    const texts = [['a red circle', 'a circle'], ['a square', 'a blue square'], ['a green star', 'a star']];
    const run = addSuggestRun(project, ids.map((imageId, i) => ({ imageId, results: texts[i]!.map((text, k) => ({ text, similarity: k === 1 ? 0.9 : 0.5 })) })), {
      settings: suggestSettings({ strategy: 'beam', numBeams: 2, numReturnSequences: 2, maxNewTokens: 20 }),
    });
    const report = await buildEvaluationReport(project);
    expect(report.table1[0]!.overall.rows.map((r) => [r.key, r.label])).toEqual([
      ['sampled-mean', 'Mean of the 2 candidates (baseline)'],
      ['top-beam', 'Best beam of this run'],
      ['selected', 'Reconstruction-selected'],
    ]);
    expect(report.table1[0]!.sampler).toBe('beam search (2 beams), N = 2');

    const out = join(root, 'report');
    const written = await writeReport(report, out);
    expect(EvaluationReportSchema.parse(JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')))).toEqual(written);
    expect(written.plots.map((p) => p.name)).toEqual([`fig3-run${run.id}-cider`, `fig3-run${run.id}-metrics`, `scatter-run${run.id}`, `hist-run${run.id}-cider`, `table1-run${run.id}`]);
    for (const plot of written.plots) {
      const meta = await sharp(join(out, plot.png)).metadata();
      expect([meta.width, meta.height]).toEqual([plot.width, plot.height]);
    }
    expect(readdirSync(out).sort()).toEqual([...written.plots.flatMap((p) => [p.png, p.svg]), 'report.html', 'report.json', REPORT_MARKER].sort());

    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain('Evaluation report: Shapes &lt;b&gt;&amp;&lt;/b&gt; &quot;friends&quot;');
    expect(html).not.toContain('<b>&</b>');
    expect(html).not.toMatch(/<script/);
    expect(html).toContain('Best beam of this run');
  });

  it('replaces an earlier report whole (no stale figures), refuses any other folder, and checks --out before any work', async () => {
    const ids = addImages(project, 'test', [['a red circle'], ['a blue square']]);
    addSuggestRun(project, ids.map((imageId) => ({ imageId, results: [{ text: 'a circle', similarity: 0.5 }, { text: 'a square', similarity: 0.7 }] })));
    const report = await buildEvaluationReport(project);
    const out = join(root, 'report');
    await writeReport(report, out);
    writeFileSync(join(out, 'stale-figure.svg'), '<svg/>');
    const again = await writeReport({ ...report, table1: [] }, out);
    expect(again.plots).toEqual([]);
    expect(readdirSync(out).sort()).toEqual(['report.html', 'report.json', REPORT_MARKER]);
    expect(readdirSync(root).sort()).toEqual(['p', 'report']);

    const mine = join(root, 'mine');
    mkdirSync(mine);
    writeFileSync(join(mine, 'report.json'), 'my own file');
    await expect(checkReportFolder(mine)).rejects.toMatchObject({ message: expect.stringMatching(/not a Roundtrip report \(no roundtrip-report\.json; in the way: report\.json\); choose a new or empty folder/) });
    await expect(writeReport(report, mine)).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(readFileSync(join(mine, 'report.json'), 'utf8')).toBe('my own file');

    const file = join(root, 'afile');
    writeFileSync(file, 'x');
    await expect(checkReportFolder(join(file, 'x'))).rejects.toMatchObject({ message: `Cannot write ${join(file, 'x')}: ${file} is a file, not a folder.` });
    await expect(checkReportFolder(file)).rejects.toMatchObject({ message: expect.stringContaining('is a file; this writes a folder') });
    await expect(checkReportFolder(join(root, 'no', 'such'))).rejects.toMatchObject({ message: expect.stringContaining('does not exist') });
    expect(existsSync(join(root, 'no'))).toBe(false);
  });
});
