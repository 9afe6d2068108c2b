import { describe, expect, it } from 'vitest';
import type { ModelInfo, ModelsList } from '../../../../shared/contract/run-schemas.js';
import { captionerTakesTask, duration, EMPTY_FORM, rateAndEta, runRequest } from './run-form.js';

describe('runRequest', () => {
  it('sends only what the user set, with the sampler settings of a suggest run', () => {
    expect(runRequest({ ...EMPTY_FORM, limit: '8', candidates: '3', steps: '2', models: { captioner: 'demo/captioner', textEmbedder: 'x' } })).toEqual({
      kind: 'suggest',
      selection: { limit: 8 },
      settings: { seed: 1, candidates: 3, steps: 2, sampler: 'top-p', topP: 0.9, greedyCandidate: true },
      models: { captioner: 'demo/captioner' },
    });
    // guidance left empty: the generator's measured default applies (backend); typed: sent
    expect(runRequest({ ...EMPTY_FORM, guidance: '7.5' }).settings).toMatchObject({ guidance: 7.5 });
    // the greedy caption as candidate 1 can be turned off (the paper's all-sampled set); beam search has none
    expect(runRequest({ ...EMPTY_FORM, greedyCandidate: false }).settings).toMatchObject({ greedyCandidate: false });
    expect(runRequest({ ...EMPTY_FORM, sampler: 'beam' }).settings).not.toHaveProperty('greedyCandidate');
  });

  it('takes a dataset or the grid filter as the selection, and leaves N out of a reference audit', () => {
    const audit = runRequest({ ...EMPTY_FORM, kind: 'reference-audit', scope: 'dataset', datasetId: 2, candidates: '5', provider: 'cuda' });
    expect(audit).toMatchObject({ kind: 'reference-audit', selection: { datasetId: 2 }, provider: 'cuda' });
    expect(audit.settings).not.toHaveProperty('candidates');
    expect(audit.settings).not.toHaveProperty('sampler');
    expect(runRequest({ ...EMPTY_FORM, scope: 'filter', filterIds: [4, 5] }).selection).toEqual({ imageIds: [4, 5] });
    expect(runRequest({ ...EMPTY_FORM, scope: 'marked', filterIds: [2, 9] }).selection).toEqual({ imageIds: [2, 9] });
    expect(runRequest({ ...EMPTY_FORM, scope: 'project', filterIds: [2, 9] }).selection).toEqual({});
    expect(runRequest({ ...EMPTY_FORM, sampler: 'top-k' }).settings).toMatchObject({ sampler: 'top-k', topK: 20 });
  });
});

describe('rateAndEta', () => {
  it('reads rate and time left in words', () => {
    expect(rateAndEta(2.5, 90)).toBe('2.5 images/s · about 2 min left');
    expect(rateAndEta(0.25, 7200 + 600)).toBe('4.0 s per image · about 2 h 10 min left');
    expect(rateAndEta(null, null)).toBe('');
    expect(duration(0.2)).toBe('1 s');
  });
});

describe('caption task (Florence-2)', () => {
  const model = (id: string, family: string): ModelInfo => ({ id, name: id, roles: ['captioner'], family, version: '1', status: 'installed', bundled: false, path: `/m/${id}`, detail: null, runDefaults: null });
  const list = (active: string): ModelsList => ({
    models: [model('demo/captioner', 'demo'), model('onnx-community/Florence-2-base-ft', 'florence-2')],
    project: { activeModels: { captioner: active, generator: 'g', imageEmbedder: 'e', textEmbedder: 't' }, executionProvider: 'cpu' },
    execution: null,
  });

  it('applies when the run’s captioner (chosen, else the project’s) is Florence-2 and the kind captions', () => {
    expect(captionerTakesTask(EMPTY_FORM, list('onnx-community/Florence-2-base-ft'))).toBe(true);
    expect(captionerTakesTask(EMPTY_FORM, list('demo/captioner'))).toBe(false);
    expect(captionerTakesTask({ ...EMPTY_FORM, models: { captioner: 'onnx-community/Florence-2-base-ft' } }, list('demo/captioner'))).toBe(true);
    expect(captionerTakesTask({ ...EMPTY_FORM, kind: 'verify-images' }, list('onnx-community/Florence-2-base-ft'))).toBe(true);
    expect(captionerTakesTask({ ...EMPTY_FORM, kind: 'reference-audit' }, list('onnx-community/Florence-2-base-ft'))).toBe(false);
    expect(captionerTakesTask(EMPTY_FORM, null)).toBe(false);
  });

  it('is sent in the run settings only when chosen', () => {
    expect(runRequest({ ...EMPTY_FORM, captionTask: '<DETAILED_CAPTION>' }).settings).toMatchObject({ captionTask: '<DETAILED_CAPTION>' });
    expect(runRequest(EMPTY_FORM).settings).not.toHaveProperty('captionTask');
    expect(runRequest({ ...EMPTY_FORM, kind: 'reference-audit', captionTask: '<CAPTION>' }).settings).not.toHaveProperty('captionTask');
  });
});
