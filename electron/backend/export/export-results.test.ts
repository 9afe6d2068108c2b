/**
 * coco-results and coco-captions of one project score with the COCO metrics exactly as the
 * captions they came from (issue 8, acceptance 3, in process; tests/e2e/export-metrics.test.ts
 * runs the same through `roundtrip export` and `roundtrip metrics`).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { selectionGain } from '../../engine/evaluation/selection-gain.js';
import { loadSuggestRun } from '../../evaluation/report/run-data.js';
import { addImages, addSuggestRun } from '../../evaluation/report/synthetic-runs.js';
import { readReferences, readResults } from '../../metrics/coco-files.js';
import { scoreCaptions } from '../../metrics/score-captions.js';
import { tempDir } from '../import/test-images.js';
import { ExportSourceRepo } from '../../storage/repos/export-source-repo.js';
import { exportAs, projectTracker } from './export-test-support.js';
import { rankedSampled } from './run-candidates.js';

const projects = projectTracker();
afterEach(() => projects.disposeAll());

const SHAPES = ['circle', 'square', 'triangle', 'star'];
const COLOURS = ['red', 'blue', 'green', 'yellow'];

/** A project of `n` images with five references each and a suggest run of four candidates per image. */
function projectWithRun(n: number) {
  const project = projects.create();
  const references = Array.from({ length: n }, (_, i) => {
    const shape = SHAPES[i % 4]!;
    const colour = COLOURS[(i >> 2) % 4]!;
    return [`a ${colour} ${shape}`, `a ${colour} ${shape} on a white background`, `one ${shape} that is ${colour}`, `the ${shape} is ${colour}.`, `A ${colour} ${shape}!`];
  });
  const ids = addImages(project, 'test', references);
  const run = addSuggestRun(
    project,
    ids.map((imageId, i) => ({
      imageId,
      results: [
        { text: `a ${COLOURS[(i + 1) % 4]} ${SHAPES[i % 4]}`, similarity: 0.5 + (i % 3) * 0.1 },
        { text: references[i]![0]!, similarity: 0.6 },
        { text: `a ${COLOURS[(i >> 2) % 4]} shape`, similarity: 0.6 },
        { text: `two ${SHAPES[(i + 2) % 4]}s`, similarity: 0.2 },
      ],
    })),
  );
  return { project, ids, run };
}

describe('coco-results export', () => {
  it('scores with the COCO metrics exactly as the run-selected captions it came from', async () => {
    const { project, run } = projectWithRun(24);
    const dir = tempDir('export-results');
    const refs = join(dir, 'refs.json');
    const results = join(dir, 'results.json');
    expect(await exportAs(project, { format: 'coco-captions', out: refs, captions: 'references' })).toMatchObject({ images: 24, captions: 120 });
    expect(await exportAs(project, { format: 'coco-results', out: results, runId: run.id })).toMatchObject({ images: 24, captions: 24 });

    const references = await readReferences(refs);
    const scored = scoreCaptions(references, await readResults(results, references));
    const data = loadSuggestRun(project, project.runs.get(run.id)!);
    const expected = selectionGain(new Map(data.images.map((i) => [i.imageId, i.references])), new Map(data.images.map((i) => [i.imageId, i.candidates])));
    expect(scored.corpus).toEqual(expected.selected);

    const entries = JSON.parse(readFileSync(results, 'utf8')) as { image_id: number; caption: string; provenance: unknown }[];
    // Image 2: similarities 0.7, 0.6, 0.6, 0.2 → the first candidate; image 1: 0.6 tie → the earlier one (idx 1).
    expect(entries[0]).toEqual({ image_id: 1, caption: 'a red circle', provenance: { source: 'selected', run_id: run.id, candidate_idx: 1 } });
    expect(entries[1]).toMatchObject({ image_id: 2, caption: 'a green square', provenance: { candidate_idx: 0 } });
    expect(project.exports.list()[0]).toMatchObject({ format: 'coco-results', provenance: { runs: [{ run_id: run.id, kind: 'suggest', models: { captioner: { id: 'test/captioner', version: '1' } } }] } });
  });

  it('without a run writes the decided captions, refuses blank ones unless asked, and names a wrong run', async () => {
    const { project, ids, run } = projectWithRun(4);
    project.decisions.record({ imageId: ids[2]!, actor: 'ann', action: 'edit', finalText: 'an annotated square', referenceId: null, candidateId: null });
    const candidate = project.runs.candidates(run.id, ids[3]!)[2]!;
    project.decisions.record({ imageId: ids[3]!, actor: 'ann', action: 'accept', finalText: candidate.text, referenceId: null, candidateId: candidate.id });
    const out = join(tempDir('export-results'), 'decided.json');
    expect(await exportAs(project, { format: 'coco-results', out })).toMatchObject({ images: 2, withoutCaption: 2 });
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual([
      { image_id: 3, caption: 'an annotated square', provenance: { source: 'edited', by: 'ann', at: expect.any(String) } },
      { image_id: 4, caption: candidate.text, provenance: { source: 'accepted', by: 'ann', at: expect.any(String), run_id: run.id, candidate_idx: 2 } },
    ]);

    const blank = addSuggestRun(project, [{ imageId: ids[0]!, results: [{ text: '  ', similarity: 0.9 }] }]);
    await expect(exportAs(project, { format: 'coco-results', out, runId: blank.id })).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/1 captions are blank.*--allow-empty/) });
    expect(await exportAs(project, { format: 'coco-results', out, runId: blank.id, allowEmpty: true })).toMatchObject({ images: 1 });
    await expect(exportAs(project, { format: 'coco-results', out, runId: 99 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(exportAs(project, { format: 'coco-captions', out, runId: run.id })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('selects in SQL exactly the candidate the report ranks first: nulls last, ties by sampling order', () => {
    const project = projects.create();
    const ids = addImages(project, 'x', [['r'], ['r'], ['r'], ['r']]);
    const similarities: (number | null)[][] = [
      [null, 0.2, 0.2],
      [null, null],
      [0.5, 0.9, 0.9, -1],
      [-0.3, -0.1],
    ];
    const run = addSuggestRun(project, [], { imageIds: ids });
    for (const [k, sims] of similarities.entries()) {
      project.runs.completeItem(run.id, ids[k]!, { candidates: sims.map((similarity, idx) => ({ idx, source: 'sampled', text: `t${idx}`, similarity })) });
    }
    const source = new ExportSourceRepo(project.db);
    const selected = source.selectedCandidates(run.id, ids);
    const all = source.candidates(run.id, ids);
    expect(ids.map((id) => selected.get(id)?.idx)).toEqual([1, 0, 1, 1]);
    expect(ids.map((id) => selected.get(id)?.idx)).toEqual(ids.map((id) => rankedSampled(all.get(id)!)[0]!.idx));
  });
});
