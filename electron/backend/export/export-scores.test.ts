import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { addImages, addSuggestRun, addVerifyImagesRun } from '../../evaluation/report/synthetic-runs.js';
import { CaptionCorpus } from '../../metrics/caption-corpus.js';
import { noiseImage, tempDir } from '../import/test-images.js';
import { EXPORT_MARKER } from '../../files/atomic-folder.js';
import { exportAs, projectTracker } from './export-test-support.js';
import { SCORE_COLUMNS } from './scores-rows.js';

const projects = projectTracker();
afterEach(() => projects.disposeAll());

const REFS = [
  ['a red circle', 'a red circle on white', 'one red round shape'],
  ['a blue square', 'a square that is blue', 'blue square'],
  ['a green star', 'green star on white', 'a star, green'],
];

function suggestProject() {
  const project = projects.create();
  const ids = addImages(project, 'val', REFS);
  const run = addSuggestRun(project, [
    { imageId: ids[0]!, results: [{ text: 'a red circle', similarity: 0.8 }, { text: 'a blue circle', similarity: 0.5 }, { text: 'a red circle', similarity: 0.8 }] },
    { imageId: ids[1]!, results: [{ text: 'a square', similarity: 0.7 }, { text: 'a blue square', similarity: 0.9 }, { text: 'a green square', similarity: 0.4 }] },
    { imageId: ids[2]!, results: [{ text: 'a green star', similarity: 0.6 }, { text: 'a star', similarity: 0.6 }, { text: 'two stars', similarity: 0.1 }] },
  ]);
  return { project, ids, run };
}

const readJsonl = (file: string) => readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);

/** A CSV reader for what csvLine writes (quoted fields may hold commas, quotes and line breaks). */
function readCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(field), (field = '');
    else if (c === '\r' && text[i + 1] === '\n') row.push(field), rows.push(row), (row = []), (field = ''), i++;
    else field += c;
  }
  return rows;
}

describe('scores export', () => {
  it('writes every candidate with rank, margin, selection, human choice, settings and the metrics the report computes', async () => {
    const { project, ids, run } = suggestProject();
    const take = project.runs.candidates(run.id, ids[2]!)[1]!;
    project.decisions.record({ imageId: ids[2]!, actor: 'ann', action: 'accept', finalText: take.text, referenceId: null, candidateId: take.id });
    const out = join(tempDir('export-scores'), 'scores.jsonl');
    expect(await exportAs(project, { format: 'scores', out })).toMatchObject({ format: 'scores', images: 3, captions: 9 });
    const rows = readJsonl(out);
    expect(rows).toHaveLength(9);
    expect(Object.keys(rows[0]!)).toEqual([...SCORE_COLUMNS]);

    const [first, second, third] = rows as Record<string, number | string | boolean | null>[];
    expect(first).toMatchObject({ run_id: run.id, run_kind: 'suggest', image_id: ids[0], file_name: 'val-0.png', dataset: 'val', candidate_idx: 0, source: 'sampled', text: 'a red circle' });
    expect(first).toMatchObject({ similarity: 0.8, rank: 1, selected: true, human_status: 'undecided', human_choice: false });
    expect(first).toMatchObject({ run_seed: 7, sampler: 'sample', top_p: 0.9, num_candidates: 3, max_new_tokens: 20, steps: 20, guidance: 4, scheduler: 'ddim', captioner: 'test/captioner@1', generator: 'test/generator@2', embedder: 'test/clip@3' });
    // The duplicate caption is not its own rival: the margin is to the other distinct caption.
    expect(first!.margin).toBeCloseTo(0.3, 12);
    expect(third).toMatchObject({ text: 'a red circle', rank: 2, selected: false });
    expect(second!.margin).toBeCloseTo(-0.3, 12);
    expect(rows[7]).toMatchObject({ text: 'a star', human_status: 'accepted', human_choice: true, selected: false, rank: 2 });

    // Per-candidate metrics: the values CaptionCorpus (the evaluation report) gives on the same evaluated set.
    const corpus = new CaptionCorpus(ids, new Map(ids.map((id, i) => [id, REFS[i]!])));
    for (const row of rows) {
      const index = ids.indexOf(row.image_id as number);
      const expected = corpus.score(index, row.text as string).scores;
      expect({ Bleu_1: row.Bleu_1, Bleu_2: row.Bleu_2, Bleu_3: row.Bleu_3, Bleu_4: row.Bleu_4, ROUGE_L: row.ROUGE_L, CIDEr: row.CIDEr }).toEqual(expected);
    }

    const csv = join(dirname(out), 'scores.csv');
    await exportAs(project, { format: 'scores', out: csv, runId: run.id });
    const table = readCsv(readFileSync(csv, 'utf8'));
    expect(table[0]).toEqual([...SCORE_COLUMNS]);
    expect(table.slice(1)).toEqual(rows.map((r) => SCORE_COLUMNS.map((c) => (r[c] === null ? '' : String(r[c])))));
  });

  it('writes the images of a verify-images run with their re-captions and scores, after the suggest run', async () => {
    const { project, ids, run } = suggestProject();
    const generated = (text: string, idx: number, textSimilarity: number, rank: number) => ({
      referenceId: project.references.forImage(ids[1]!)[0]!.id,
      text,
      idx,
      seed: 100 + idx,
      path: `assets/generated/x/${idx}.png`,
      recaption: `recaption ${idx}`,
      textSimilarity,
      cider: idx / 10,
      realSimilarity: 0.3,
      rank,
    });
    const verify = addVerifyImagesRun(project, [{ imageId: ids[1]!, results: [generated('a blue square', 0, 0.4, 2), generated('a blue square', 1, 0.9, 1)] }]);
    const out = join(tempDir('export-scores'), 'all.jsonl');
    expect(await exportAs(project, { format: 'scores', out })).toMatchObject({ images: 4, captions: 11 });
    const rows = readJsonl(out).slice(9);
    expect(rows.map((r) => [r.run_id, r.source, r.candidate_idx, r.rank, r.selected, r.recaption, r.text_similarity, r.recaption_cider, r.real_similarity, r.image_path])).toEqual([
      [verify.id, 'generated', 0, 2, false, 'recaption 0', 0.4, 0, 0.3, 'assets/generated/x/0.png'],
      [verify.id, 'generated', 1, 1, true, 'recaption 1', 0.9, 0.1, 0.3, 'assets/generated/x/1.png'],
    ]);
    expect(rows[1]!.margin).toBeCloseTo(0.5, 12);
    expect(rows[0]).toMatchObject({ num_candidates: 3, sampler: 'beam', num_beams: 3, steps: 4, Bleu_1: null, CIDEr: null });
    expect(project.exports.list()[0]!.provenance.runs.map((r) => (r as { run_id: number }).run_id)).toEqual([run.id, verify.id]);
  });
});

describe('hf-imagefolder generator set', () => {
  it('pairs each source text with the best image a verify-images run drew for it', async () => {
    const project = projects.create();
    const ids = addImages(project, 'train', [['a red circle', 'a round red thing'], ['a blue square']]);
    const refs = ids.map((id) => project.references.forImage(id));
    const images: { path: string; bytes: Buffer }[] = [];
    const item = (imageId: number, ref: number, text: string, idx: number, rank: number, textSimilarity: number) => {
      const path = `assets/generated/1/${imageId}/${ref}-${idx}.png`;
      return { referenceId: ref, text, idx, seed: idx, path, recaption: `re ${text}`, textSimilarity, cider: 0, realSimilarity: 0.5, rank };
    };
    const results0 = [item(ids[0]!, refs[0]![0]!.id, 'a red circle', 0, 2, 0.5), item(ids[0]!, refs[0]![0]!.id, 'a red circle', 1, 1, 0.8), item(ids[0]!, refs[0]![1]!.id, 'a round red thing', 0, 1, 0.7)];
    const results1 = [item(ids[1]!, refs[1]![0]!.id, 'a blue square', 0, 1, 0.9)];
    for (const [k, r] of [...results0, ...results1].entries()) images.push({ path: r.path, bytes: await noiseImage('png', 8, 8, k + 1) });
    for (const { path, bytes } of images) {
      mkdirSync(dirname(join(project.dir, path)), { recursive: true });
      writeFileSync(join(project.dir, path), bytes);
    }
    const run = addVerifyImagesRun(project, [{ imageId: ids[0]!, results: results0 }, { imageId: ids[1]!, results: results1 }]);

    const out = join(tempDir('export-gen'), 'generator');
    expect(await exportAs(project, { format: 'hf-imagefolder', out, generatorSet: true })).toMatchObject({ images: 3, captions: 3, withoutCaption: 0 });
    const lines = readJsonl(join(out, 'metadata.jsonl'));
    expect(lines.map((l) => [l.file_name, l.text, l.seed, l.text_similarity, l.source_image, l.run_id])).toEqual([
      ['train-0-t2i-0.png', 'a red circle', 1, 0.8, 'train-0.png', run.id],
      ['train-0-t2i-1.png', 'a round red thing', 0, 0.7, 'train-0.png', run.id],
      ['train-1-t2i-0.png', 'a blue square', 0, 0.9, 'train-1.png', run.id],
    ]);
    expect(readFileSync(join(out, 'train-0-t2i-0.png')).equals(images[1]!.bytes)).toBe(true);
    expect(JSON.parse(readFileSync(join(out, EXPORT_MARKER), 'utf8')).runs).toMatchObject([{ run_id: run.id, kind: 'verify-images' }]);

    // another project (its own new folder: `out` belongs to the first project's export log)
    await expect(exportAs(projects.create(), { format: 'hf-imagefolder', out: `${out}-other`, generatorSet: true })).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('verify-images') });
    await expect(exportAs(project, { format: 'sidecar-txt', out, generatorSet: true })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});
